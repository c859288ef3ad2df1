// Idempotent demo seed for the identity model (`npm run db:seed`). Records are matched on their natural
// keys and only written when they differ, so a second run changes nothing, not even updatedAt.
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../app/generated/prisma/client";
import { seedAcknowledgements } from "./seed-acknowledgements";
import { seedCampaigns } from "./seed-campaigns";
import { seedCirculars } from "./seed-circulars";
import { SEED_DEPARTMENTS, SEED_USERS, type SeedDepartment } from "./seed-data";
import { seedReach } from "./seed-reach";
import { seedStream } from "./seed-stream";
import { enqueueSearchIndex } from "../search/queue.server";
import { type SearchType } from "../search/document-types";

/** Number of departments (including services), users and circulars the seed describes. */
export interface SeedCounts {
  departments: number;
  users: number;
  circulars: number;
}

// Seeding ~100 rows one by one over a remote connection can take a while; the default 5 s is too tight.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 60_000 } as const;

const ROLE_SOURCE = "seed";

/** Upserts the demo departments, users and roles in one transaction; running it again changes nothing. */
export async function seed(prisma: PrismaClient): Promise<SeedCounts> {
  return prisma.$transaction(async (tx) => {
    const departmentIds = await seedDepartments(tx);
    await seedUsers(tx, departmentIds);
    // Circulars refer to departments and users, so they come last; existing numbers are left alone.
    const { circulars } = await seedCirculars(tx);
    // Readers' confirmations, ratings and questions on the published demo circulars.
    await seedAcknowledgements(tx);
    // Groups and projects with their members, join requests and follows.
    await seedStream(tx);
    // Field workers' personal contacts, consents and digest preferences, and an HR colleague (issue 5).
    await seedReach(tx);
    // Demo campaigns (issue 6): two running, one waiting for approval; messages and stories come later.
    await seedCampaigns(tx);
    // People and posts become searchable through the indexer, like any other change.
    await enqueueUnindexed(
      tx,
      "person",
      (await tx.user.findMany({ where: { active: true }, select: { id: true } })).map((u) => u.id),
    );
    await enqueueUnindexed(
      tx,
      "post",
      (await tx.post.findMany({ where: { deletedAt: null, hiddenAt: null }, select: { id: true } })).map(
        (p) => p.id,
      ),
    );
    return { departments: SEED_DEPARTMENTS.length, users: SEED_USERS.length, circulars };
  }, TRANSACTION_OPTIONS);
}

/**
 * Queues the items that have neither a search document nor a pending task, so a second run queues
 * nothing (an item the indexer chose to leave out, such as a share without text, is queued once per run:
 * a handful of cheap no-ops).
 */
async function enqueueUnindexed(tx: Prisma.TransactionClient, type: SearchType, ids: string[]) {
  if (ids.length === 0) return;
  // One after the other: queries run one at a time on a transaction's connection anyway.
  const indexed = await tx.searchDocument.findMany({
    where: { type, sourceId: { in: ids } },
    select: { sourceId: true },
  });
  const pending = await tx.searchIndexTask.findMany({
    where: { type, sourceId: { in: ids } },
    select: { sourceId: true },
  });
  const known = new Set([...indexed, ...pending].map((row) => row.sourceId));
  await enqueueSearchIndex(
    tx,
    type,
    ids.filter((id) => !known.has(id)),
  );
}

/** True when no user exists yet, i.e. when a fresh development database still needs seeding. */
export async function isDatabaseEmpty(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.user.findFirst({ select: { id: true } })) === null;
}

/** Writes departments and services, returning their ids by code. */
async function seedDepartments(tx: Prisma.TransactionClient): Promise<Map<string, string>> {
  const existing = await tx.department.findMany({
    where: { code: { in: SEED_DEPARTMENTS.map((department) => department.code) } },
    select: { id: true, code: true, name: true, kind: true, parentId: true },
  });
  const existingByCode = new Map(existing.map((department) => [department.code, department]));
  const idsByCode = new Map<string, string>();

  // A service needs its parent's id, so every department must be written before any service.
  for (const department of parentsFirst(SEED_DEPARTMENTS)) {
    const parentId = department.parentCode === null ? null : idsByCode.get(department.parentCode);
    if (parentId === undefined) {
      throw new Error(
        `Seed service ${department.code} refers to unknown department ${department.parentCode}`,
      );
    }
    const data = { name: department.name, kind: department.kind, parentId };
    const current = existingByCode.get(department.code);
    if (current && !differs(current, data)) {
      idsByCode.set(department.code, current.id);
      continue;
    }
    const written = await tx.department.upsert({
      where: { code: department.code },
      create: { code: department.code, ...data },
      update: data,
      select: { id: true },
    });
    idsByCode.set(department.code, written.id);
  }
  return idsByCode;
}

/** Writes users and grants their seeded roles; roles granted elsewhere are left alone. */
async function seedUsers(
  tx: Prisma.TransactionClient,
  departmentIds: ReadonlyMap<string, string>,
): Promise<void> {
  const existing = await tx.user.findMany({
    where: { employeeNumber: { in: SEED_USERS.map((user) => user.employeeNumber) } },
    select: {
      id: true,
      employeeNumber: true,
      entraOid: true,
      email: true,
      displayName: true,
      givenName: true,
      familyName: true,
      jobTitle: true,
      isFieldWorker: true,
      locale: true,
      departmentId: true,
      roles: { select: { role: true } },
    },
  });
  const existingByNumber = new Map(existing.map((user) => [user.employeeNumber, user]));

  for (const user of SEED_USERS) {
    const departmentId = departmentIds.get(user.departmentCode);
    if (departmentId === undefined) {
      throw new Error(`Seed user ${user.employeeNumber} refers to unknown department ${user.departmentCode}`);
    }
    const data = {
      entraOid: user.entraOid,
      email: user.email,
      displayName: user.displayName,
      givenName: user.givenName,
      familyName: user.familyName,
      jobTitle: user.jobTitle,
      isFieldWorker: user.isFieldWorker,
      locale: user.locale,
      departmentId,
    };
    const current = existingByNumber.get(user.employeeNumber);
    let userId = current?.id;
    if (!current || differs(current, data)) {
      const written = await tx.user.upsert({
        where: { employeeNumber: user.employeeNumber },
        create: { employeeNumber: user.employeeNumber, ...data },
        update: data,
        select: { id: true },
      });
      userId = written.id;
    }
    if (userId === undefined) throw new Error(`Seed user ${user.employeeNumber} was not written`);

    const heldRoles = new Set(current?.roles.map((assignment) => assignment.role));
    for (const role of user.roles) {
      if (heldRoles.has(role)) continue;
      // An empty update keeps the source of a role that an admin or Entra group granted earlier.
      await tx.roleAssignment.upsert({
        where: { userId_role: { userId, role } },
        create: { userId, role, source: ROLE_SOURCE },
        update: {},
      });
    }
  }
}

// Sorting instead of trusting the data order keeps the seed correct if someone appends a department later.
function parentsFirst(departments: readonly SeedDepartment[]): SeedDepartment[] {
  return [...departments].sort((a, b) => Number(a.parentCode !== null) - Number(b.parentCode !== null));
}

function differs<T extends object>(current: T, desired: Partial<T>): boolean {
  return (Object.keys(desired) as (keyof T)[]).some((key) => current[key] !== desired[key]);
}

/** Seeds the database named by DATABASE_URL and prints what it describes. */
async function main(): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    console.error(
      "DATABASE_URL is not set. Point it at the Werkplek PostgreSQL database, " +
        "e.g. DATABASE_URL=postgresql://werkplek@127.0.0.1:5432/werkplek npm run db:seed",
    );
    process.exitCode = 1;
    return;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
  try {
    const counts = await seed(prisma);
    console.log(
      `Seed complete: ${counts.departments} departments and services, ${counts.users} users, ` +
        `${counts.circulars} circulars.`,
    );
  } finally {
    await prisma.$disconnect();
  }
}

/** True when this file is the script being run, not a module imported by the app or a test. */
function isRunDirectly(): boolean {
  const script = process.argv[1];
  // Once bundled, import.meta.url is the bundle's URL, which is also argv[1] of the server: the file name
  // check keeps the server from seeding on start.
  return (
    script !== undefined && /seed\.[cm]?[jt]s$/.test(script) && import.meta.url === pathToFileURL(script).href
  );
}

if (isRunDirectly()) {
  main().catch((error: unknown) => {
    console.error("Seeding failed:", error);
    process.exitCode = 1;
  });
}
