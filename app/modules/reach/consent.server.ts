/**
 * The consent log (GDPR): every grant and withdrawal is a new ConsentEvent, never an update or a delete, so
 * the history shows who agreed to what text, when, how and who recorded it. The current consent per purpose
 * is the latest event (reachability.server.ts `currentConsents`). Withdrawing a digest purpose also takes its
 * channel out of the person's digest preferences, so nothing is planned for a channel without consent.
 */
import { prisma } from "~/db.server";
import {
  type ConsentPurpose,
  type ContactKind,
  type DigestChannel,
  type Prisma,
} from "~/generated/prisma/client";
import { CURRENT_CONSENT_VERSION, type ConsentMethod, isKnownConsentVersion } from "./consent-texts";
import { ReachError } from "./errors";
import { CONSENT_NOTE_MAX, PURPOSES_FOR_CONTACT } from "./shared";
import { currentConsents } from "./reachability.server";

type Db = Prisma.TransactionClient;

/** The digest channel a consent purpose switches on (sign-in codes have none). */
export const CHANNEL_FOR_CONSENT: Partial<Record<ConsentPurpose, DigestChannel>> = {
  digest_push: "push",
  digest_sms: "sms",
  digest_email: "email",
};

/** The contact kind a purpose needs, or null (push needs none). */
export function contactKindForPurpose(purpose: ConsentPurpose): ContactKind | null {
  if (PURPOSES_FOR_CONTACT.phone.includes(purpose)) return "phone";
  if (PURPOSES_FOR_CONTACT.email.includes(purpose)) return "email";
  return null;
}

export type ConsentChange = {
  userId: string;
  purpose: ConsentPurpose;
  method: ConsentMethod;
  /** Version of the text shown, read out or signed. */
  textVersion: string;
  /** Who recorded it: the person themselves, or the HR colleague. */
  recordedById: string | null;
  note?: string | null;
  now?: Date;
};

function cleanNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() ?? "";
  if (trimmed.length > CONSENT_NOTE_MAX) throw new ReachError("note_too_long");
  return trimmed.length > 0 ? trimmed : null;
}

async function latestEvent(userId: string, purpose: ConsentPurpose, db: Db) {
  return db.consentEvent.findFirst({
    where: { userId, purpose },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { granted: true, method: true, textVersion: true },
  });
}

/**
 * Records consent for a purpose under the current text version (an older or unknown version is refused: the
 * person must have seen today's words). Returns whether an event was added: consent already given under the
 * same text and method adds nothing, so a form posted twice leaves one event.
 */
export async function grantConsent(change: ConsentChange, db: Db = prisma): Promise<boolean> {
  if (change.textVersion !== CURRENT_CONSENT_VERSION) throw new ReachError("consent_version");
  const note = cleanNote(change.note);
  const latest = await latestEvent(change.userId, change.purpose, db);
  if (
    latest?.granted &&
    latest.textVersion === change.textVersion &&
    latest.method === change.method &&
    !note
  ) {
    return false;
  }
  await db.consentEvent.create({
    data: {
      userId: change.userId,
      purpose: change.purpose,
      granted: true,
      method: change.method,
      textVersion: change.textVersion,
      recordedById: change.recordedById,
      note,
      ...(change.now ? { createdAt: change.now } : {}),
    },
  });
  return true;
}

export type WithdrawResult = {
  /** Whether an event was added (withdrawing what was not given adds nothing). */
  recorded: boolean;
  /** The kind of contact no current consent uses any more while it is still stored: offer to delete it. */
  offerRemoveContact: ContactKind | null;
};

/**
 * Records the withdrawal of a purpose and, for a digest purpose, takes its channel out of the digest
 * preferences in the same transaction (the planner recomputes the next digest). When nothing the person
 * still consents to uses their phone number or e-mail address, the result says so, so the page can offer
 * to delete it.
 */
export async function withdrawConsent(change: ConsentChange, db?: Db): Promise<WithdrawResult> {
  if (!isKnownConsentVersion(change.textVersion)) throw new ReachError("consent_version");
  const note = cleanNote(change.note);
  const work = async (tx: Db): Promise<WithdrawResult> => {
    const latest = await latestEvent(change.userId, change.purpose, tx);
    let recorded = false;
    if (latest?.granted) {
      await tx.consentEvent.create({
        data: {
          userId: change.userId,
          purpose: change.purpose,
          granted: false,
          method: change.method,
          textVersion: change.textVersion,
          recordedById: change.recordedById,
          note,
          ...(change.now ? { createdAt: change.now } : {}),
        },
      });
      recorded = true;
    }
    const channel = CHANNEL_FOR_CONSENT[change.purpose];
    if (channel) await dropChannel(change.userId, channel, tx);
    return { recorded, offerRemoveContact: await unusedContactKind(change.userId, change.purpose, tx) };
  };
  return db ? work(db) : prisma.$transaction(work);
}

/** Takes a channel out of the person's digest preferences (and asks the planner to recompute). */
export async function dropChannel(userId: string, channel: DigestChannel, db: Db): Promise<void> {
  const preference = await db.digestPreference.findUnique({ where: { userId }, select: { channels: true } });
  if (!preference?.channels.includes(channel)) return;
  await db.digestPreference.update({
    where: { userId },
    data: { channels: preference.channels.filter((c) => c !== channel), nextDueAt: null },
  });
}

async function unusedContactKind(
  userId: string,
  purpose: ConsentPurpose,
  db: Db,
): Promise<ContactKind | null> {
  const kind = contactKindForPurpose(purpose);
  if (!kind) return null;
  const consents = (await currentConsents([userId], db)).get(userId) ?? new Set();
  if (PURPOSES_FOR_CONTACT[kind].some((p) => consents.has(p))) return null;
  const stored = await db.personalContact.count({ where: { userId, kind, removedAt: null } });
  return stored > 0 ? kind : null;
}

export type ConsentStateEntry = {
  granted: boolean;
  at: Date;
  method: string;
  textVersion: string;
};

/** The latest event per purpose (null: never asked), for the person's page and HR. */
export async function consentState(
  userId: string,
  db: Db = prisma,
): Promise<Record<ConsentPurpose, ConsentStateEntry | null>> {
  const rows = await db.$queryRaw<
    { purpose: ConsentPurpose; granted: boolean; createdAt: Date; method: string; textVersion: string }[]
  >`
    SELECT DISTINCT ON ("purpose") "purpose", "granted", "createdAt", "method", "textVersion"
    FROM "ConsentEvent" WHERE "userId" = ${userId}
    ORDER BY "purpose", "createdAt" DESC, "id" DESC`;
  const state: Record<ConsentPurpose, ConsentStateEntry | null> = {
    digest_push: null,
    digest_sms: null,
    digest_email: null,
    sign_in_sms: null,
  };
  for (const row of rows) {
    state[row.purpose] = {
      granted: row.granted,
      at: row.createdAt,
      method: row.method,
      textVersion: row.textVersion,
    };
  }
  return state;
}

export type ConsentHistoryItem = {
  id: string;
  purpose: ConsentPurpose;
  granted: boolean;
  method: string;
  textVersion: string;
  note: string | null;
  createdAt: Date;
  /** Who recorded it; null when the person did it themselves or the recorder's account is gone. */
  recordedBy: { id: string; displayName: string } | null;
};

/** The person's consent log, newest first ("Wat je toestemde en wanneer"), for the person and for HR. */
export async function consentHistory(
  userId: string,
  db: Db = prisma,
  take = 200,
): Promise<ConsentHistoryItem[]> {
  const rows = await db.consentEvent.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      purpose: true,
      granted: true,
      method: true,
      textVersion: true,
      note: true,
      createdAt: true,
      recordedById: true,
      recordedBy: { select: { id: true, displayName: true } },
    },
  });
  return rows.map(({ recordedById, recordedBy, ...row }) => ({
    ...row,
    recordedBy: recordedBy && recordedById !== userId ? recordedBy : null,
  }));
}
