/**
 * What HR sees of field workers' reach: a search by name or employee number, per person which channels
 * reach them, their masked contacts and consent state, and the totals per channel ("how many field workers
 * can we reach by SMS?"). Callers check `canReadReach` first; nothing here decrypts a contact.
 */
import { prisma } from "~/db.server";
import { type ConsentPurpose, type DigestChannel, type Prisma } from "~/generated/prisma/client";
import { consentHistory, consentState } from "./consent.server";
import { listContacts } from "./contacts.server";
import { currentConsents, reachableChannels } from "./reachability.server";
import { WORKER_PAGE_SIZE, WORKER_QUERY_MAX } from "./shared";

export type WorkerRow = {
  id: string;
  displayName: string;
  employeeNumber: string | null;
  jobTitle: string | null;
  department: string | null;
  reachable: DigestChannel[];
  consents: ConsentPurpose[];
  /** Masked contacts; `verified` false = waiting for the code. */
  contacts: { kind: "phone" | "email"; masked: string; verified: boolean }[];
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Active field workers whose name or employee number contains the query (all when empty), by name. */
export async function findFieldWorkers(
  query: string,
  page = 1,
): Promise<{ rows: WorkerRow[]; total: number }> {
  const q = query.trim().slice(0, WORKER_QUERY_MAX);
  const where: Prisma.UserWhereInput = {
    active: true,
    isFieldWorker: true,
    ...(q
      ? {
          OR: [
            { displayName: { contains: escapeLike(q), mode: "insensitive" } },
            { employeeNumber: { contains: escapeLike(q), mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const [total, users] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({
      where,
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      skip: (Math.max(1, page) - 1) * WORKER_PAGE_SIZE,
      take: WORKER_PAGE_SIZE,
      select: {
        id: true,
        displayName: true,
        employeeNumber: true,
        jobTitle: true,
        department: { select: { name: true } },
      },
    }),
  ]);
  const ids = users.map((u) => u.id);
  const [reachable, consents, contacts] = await Promise.all([
    reachableChannels(ids),
    currentConsents(ids),
    prisma.personalContact.findMany({
      where: { userId: { in: ids }, removedAt: null },
      orderBy: [{ kind: "asc" }, { createdAt: "asc" }],
      select: { userId: true, kind: true, masked: true, verifiedAt: true },
    }),
  ]);
  return {
    total,
    rows: users.map((u) => ({
      id: u.id,
      displayName: u.displayName,
      employeeNumber: u.employeeNumber,
      jobTitle: u.jobTitle,
      department: u.department?.name ?? null,
      reachable: ["push", "sms", "email"].filter((c) =>
        reachable.get(u.id)?.has(c as DigestChannel),
      ) as DigestChannel[],
      consents: [...(consents.get(u.id) ?? [])].sort(),
      contacts: contacts
        .filter((c) => c.userId === u.id)
        .map((c) => ({ kind: c.kind, masked: c.masked, verified: c.verifiedAt !== null })),
    })),
  };
}

export type ReachTotals = {
  fieldWorkers: number;
  push: number;
  sms: number;
  email: number;
  /** Reachable on at least one channel. */
  any: number;
  /** With a contact waiting for its code. */
  pending: number;
};

/** How many active field workers each channel reaches (consent + verified contact or subscription), in one query. */
export async function reachTotals(): Promise<ReachTotals> {
  const rows = await prisma.$queryRaw<ReachTotals[]>`
    WITH fw AS (SELECT "id" FROM "User" WHERE "isFieldWorker" AND "active"),
    consent AS (
      SELECT DISTINCT ON ("userId", "purpose") "userId", "purpose", "granted"
      FROM "ConsentEvent" WHERE "userId" IN (SELECT "id" FROM fw)
      ORDER BY "userId", "purpose", "createdAt" DESC, "id" DESC
    ),
    granted AS (SELECT "userId", "purpose" FROM consent WHERE "granted"),
    contact AS (
      SELECT "userId", "kind", bool_or("verifiedAt" IS NOT NULL) AS "verified",
        bool_or("verifiedAt" IS NULL) AS "pending"
      FROM "PersonalContact" WHERE "removedAt" IS NULL AND "userId" IN (SELECT "id" FROM fw)
      GROUP BY "userId", "kind"
    ),
    reach AS (
      SELECT fw."id",
        EXISTS (SELECT 1 FROM granted g WHERE g."userId" = fw."id" AND g."purpose" = 'digest_push')
          AND EXISTS (SELECT 1 FROM "PushSubscription" s WHERE s."userId" = fw."id") AS "push",
        EXISTS (SELECT 1 FROM granted g WHERE g."userId" = fw."id" AND g."purpose" = 'digest_sms')
          AND EXISTS (SELECT 1 FROM contact c WHERE c."userId" = fw."id" AND c."kind" = 'phone' AND c."verified") AS "sms",
        EXISTS (SELECT 1 FROM granted g WHERE g."userId" = fw."id" AND g."purpose" = 'digest_email')
          AND EXISTS (SELECT 1 FROM contact c WHERE c."userId" = fw."id" AND c."kind" = 'email' AND c."verified") AS "email",
        EXISTS (SELECT 1 FROM contact c WHERE c."userId" = fw."id" AND c."pending") AS "pending"
      FROM fw
    )
    SELECT count(*)::int AS "fieldWorkers",
      (count(*) FILTER (WHERE "push"))::int AS "push",
      (count(*) FILTER (WHERE "sms"))::int AS "sms",
      (count(*) FILTER (WHERE "email"))::int AS "email",
      (count(*) FILTER (WHERE "push" OR "sms" OR "email"))::int AS "any",
      (count(*) FILTER (WHERE "pending"))::int AS "pending"
    FROM reach`;
  return rows[0]!;
}

/** One field worker's reach for their HR page: contacts, consent state and history, channels, preferences. */
export async function workerReach(workerId: string) {
  const worker = await prisma.user.findFirst({
    where: { id: workerId, active: true, isFieldWorker: true },
    select: {
      id: true,
      displayName: true,
      employeeNumber: true,
      jobTitle: true,
      locale: true,
      department: { select: { name: true } },
      digestPreference: { select: { channels: true, rhythm: true, paused: true } },
    },
  });
  if (!worker) return null;
  const [contacts, consents, history, reachable] = await Promise.all([
    listContacts(worker.id),
    consentState(worker.id),
    consentHistory(worker.id),
    reachableChannels([worker.id]),
  ]);
  return {
    worker: {
      id: worker.id,
      displayName: worker.displayName,
      employeeNumber: worker.employeeNumber,
      jobTitle: worker.jobTitle,
      department: worker.department?.name ?? null,
    },
    preference: worker.digestPreference,
    contacts,
    consents,
    history,
    reachable: [...(reachable.get(worker.id) ?? [])],
  };
}
