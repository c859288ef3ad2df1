/**
 * A field worker's personal phone number and e-mail address: added by the worker (or by HR with the worker's
 * consent), stored encrypted with a blind index and a mask, and used only once verified by a one-time code.
 *
 * - A new contact is pending until its code is entered; an earlier pending one of that kind is replaced, and
 *   a verified one stays in use until the new one is verified, then it is removed in the same transaction.
 * - Removing a contact wipes its ciphertext and blind index (the mask stays for the history): the clear
 *   value cannot be recovered from the database afterwards, whatever the keys.
 * - Values are decrypted only to send the code, never returned to a page and never logged.
 * - Codes are rate limited per person and per number (its blind index), before anything is written.
 */
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { type ConsentPurpose, type ContactKind, type Prisma } from "~/generated/prisma/client";
import { checkMobile, maskEmail, maskPhone, normaliseEmail } from "~/modules/channels/contact";
import { isDeliveryError } from "~/modules/channels/delivery";
import { openPersonalData } from "~/modules/channels/keys.server";
import { sendEmail, sendSms } from "~/modules/channels/transports.server";
import { hasPermission, type Role } from "~/modules/identity/permissions";
import { notify } from "~/modules/notifications/notify.server";
import { consumeRateLimit, RATE_LIMITS } from "~/utils/rate-limit.server";
import { contactIndex, storedContact } from "./contact-storage.server";
import { dropChannel, grantConsent } from "./consent.server";
import { CURRENT_CONSENT_VERSION, HR_CONSENT_METHODS } from "./consent-texts";
import { ReachError } from "./errors";
import { PURPOSES_FOR_CONTACT } from "./shared";
import { checkOneTimeCode, issueOneTimeCode, OTP_MAX_ATTEMPTS, oneTimeCodeMessage } from "./otp.server";
import { contactSealPurpose, CONTACT_FOR_CHANNEL, currentConsents } from "./reachability.server";

type Db = Prisma.TransactionClient;

/** The notification a worker gets when HR registered a number or address for them. */
export const CONTACT_REGISTERED_NOTIFICATION = "reach.contact_registered";

/** What a page may know about a contact: never the value. */
export type ContactSummary = {
  id: string;
  kind: ContactKind;
  masked: string;
  verifiedAt: Date | null;
  createdAt: Date;
  /** The HR colleague who registered it, if it was not the person. */
  registeredBy: { id: string; displayName: string } | null;
};

/** What is stored instead of a removed contact's ciphertext and blind index. */
const WIPED = { valueEncrypted: "", valueIndex: "" } as const;

/** The person's active contacts (verified and pending), masked, verified first. */
export async function listContacts(userId: string, db: Db = prisma): Promise<ContactSummary[]> {
  const rows = await db.personalContact.findMany({
    where: { userId, removedAt: null },
    orderBy: [{ kind: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      kind: true,
      masked: true,
      verifiedAt: true,
      createdAt: true,
      registeredById: true,
      registeredBy: { select: { id: true, displayName: true } },
    },
  });
  return rows.map(({ registeredById, registeredBy, ...row }) => ({
    ...row,
    registeredBy: registeredById && registeredById !== userId ? registeredBy : null,
  }));
}

export type PendingCode = { contactId: string; attemptsLeft: number; expiresAt: Date; expired: boolean };

/** The person's open verification code (for the code form: which contact, attempts left), or null. */
export async function pendingVerification(
  userId: string,
  now: Date = new Date(),
): Promise<PendingCode | null> {
  const code = await prisma.oneTimeCode.findFirst({
    where: {
      userId,
      purpose: "verify_contact",
      consumedAt: null,
      contact: { removedAt: null, verifiedAt: null },
    },
    orderBy: { createdAt: "desc" },
    select: { contactId: true, attempts: true, expiresAt: true },
  });
  if (!code?.contactId) return null;
  const expired = code.expiresAt.getTime() <= now.getTime();
  return {
    contactId: code.contactId,
    attemptsLeft: expired ? 0 : Math.max(0, OTP_MAX_ATTEMPTS - code.attempts),
    expiresAt: code.expiresAt,
    expired,
  };
}

type PreparedContact = { kind: ContactKind; normalised: string; index: string; masked: string };

/** Validates and normalises a typed number or address; refuses one already verified for this or another person. */
async function prepareContact(userId: string, kind: ContactKind, value: string): Promise<PreparedContact> {
  let normalised: string;
  let masked: string;
  if (kind === "phone") {
    const check = checkMobile(value);
    if (!check.ok) throw new ReachError("invalid_phone", { detail: check.problem });
    normalised = check.e164;
    masked = maskPhone(normalised);
  } else {
    const email = normaliseEmail(value);
    if (!email) throw new ReachError("invalid_email");
    normalised = email;
    masked = maskEmail(email);
  }
  // The index is over the normalised value, so "0470 12 34 56" and "+32470123456" are the same number.
  const index = contactIndex(kind, normalised);
  const verified = await prisma.personalContact.findMany({
    where: { kind, valueIndex: index, removedAt: null, verifiedAt: { not: null } },
    select: { userId: true },
  });
  if (verified.some((c) => c.userId === userId)) throw new ReachError("already_verified");
  // One person's personal number is theirs: a second account on it would send one person's codes and
  // digests to another. A family sharing a phone asks HR, who can see the duplicate by its blind index.
  if (verified.length > 0) throw new ReachError("in_use");
  return { kind, normalised, index, masked };
}

/** Counts a code for the person and the number; refuses (nothing written) when either limit is reached. */
async function consumeCodeLimits(userId: string, index: string, now: Date): Promise<void> {
  const perUser = await consumeRateLimit(RATE_LIMITS.reachCodePerUser, userId, now);
  if (!perUser.allowed) {
    throw new ReachError("rate_limited", { retryAfterSeconds: perUser.retryAfterSeconds });
  }
  const perContact = await consumeRateLimit(RATE_LIMITS.reachCodePerContact, index, now);
  if (!perContact.allowed) {
    throw new ReachError("rate_limited", { retryAfterSeconds: perContact.retryAfterSeconds });
  }
}

/** Replaces an earlier pending contact of the kind by a new pending one and issues its code. */
async function writePendingContact(
  tx: Db,
  input: { userId: string; prepared: PreparedContact; registeredById: string | null; now: Date },
) {
  const { userId, prepared, now } = input;
  const earlier = await tx.personalContact.findMany({
    where: { userId, kind: prepared.kind, removedAt: null, verifiedAt: null },
    select: { id: true },
  });
  if (earlier.length > 0) {
    const ids = earlier.map((c) => c.id);
    await tx.personalContact.updateMany({ where: { id: { in: ids } }, data: { removedAt: now, ...WIPED } });
  }
  const contact = await tx.personalContact.create({
    data: {
      userId,
      kind: prepared.kind,
      ...storedContact(userId, prepared.kind, prepared.normalised),
      registeredById: input.registeredById,
      createdAt: now,
    },
    select: { id: true, masked: true },
  });
  const code = await issueOneTimeCode({ userId, purpose: "verify_contact", contactId: contact.id, now }, tx);
  return { contact, code };
}

/** The e-mail that carries a verification code, in the person's language. */
export function verificationEmail(
  code: string,
  locale: string,
): { subject: string; text: string; html: string } {
  const en = locale === "en";
  const subject = en ? `Your Werkplek code: ${code}` : `Je Werkplek-code: ${code}`;
  const lines = en
    ? [
        `Your Werkplek code is ${code}.`,
        "Enter it in Werkplek to confirm this e-mail address. It is valid for 10 minutes.",
        "Did you not ask for this? Then you can ignore this message.",
      ]
    : [
        `Je Werkplek-code is ${code}.`,
        "Vul hem in op Werkplek om dit e-mailadres te bevestigen. Hij is 10 minuten geldig.",
        "Heb je hier niet om gevraagd? Dan mag je dit bericht negeren.",
      ];
  const html = `<!doctype html><html lang="${en ? "en" : "nl"}"><body>${lines
    .map((line, i) => (i === 0 ? `<p><strong>${line}</strong></p>` : `<p>${line}</p>`))
    .join("")}</body></html>`;
  return { subject, text: lines.join("\n\n"), html };
}

/** Sends a code to a contact, decrypting its value for this moment only. */
async function deliverCode(input: {
  userId: string;
  contactId: string;
  kind: ContactKind;
  codeId: string;
  code: string;
}): Promise<void> {
  const row = await prisma.personalContact.findUniqueOrThrow({
    where: { id: input.contactId },
    select: { valueEncrypted: true, user: { select: { locale: true } } },
  });
  const to = openPersonalData(row.valueEncrypted, {
    purpose: contactSealPurpose(input.kind),
    userId: input.userId,
  });
  const reference = `otp:${input.codeId}`;
  try {
    if (input.kind === "phone") {
      const env = getEnv();
      await sendSms({
        userId: input.userId,
        to,
        text: oneTimeCodeMessage(input.code, row.user.locale, env.APP_URL),
        purpose: "otp_verify",
        reference,
      });
    } else {
      await sendEmail({
        userId: input.userId,
        to,
        ...verificationEmail(input.code, row.user.locale),
        purpose: "otp_verify",
        reference,
      });
    }
  } catch (error) {
    // The contact stays pending; a new code can be asked. The provider's message may name the recipient,
    // so only the error kind goes further.
    if (isDeliveryError(error)) throw new ReachError("send_failed", { detail: error.code });
    throw error;
  }
}

export type AddedContact = { contactId: string; masked: string; expiresAt: Date };

/**
 * Adds a personal number or address for the person and sends it a verification code. It replaces an earlier
 * pending one of that kind; a verified one stays in use until the new one is verified. Refused with a
 * ReachError (nothing written) for a bad value, a value verified already, or too many codes.
 */
export async function addContact(input: {
  userId: string;
  kind: ContactKind;
  value: string;
  now?: Date;
}): Promise<AddedContact> {
  const now = input.now ?? new Date();
  const prepared = await prepareContact(input.userId, input.kind, input.value);
  await consumeCodeLimits(input.userId, prepared.index, now);
  const { contact, code } = await prisma.$transaction((tx) =>
    writePendingContact(tx, { userId: input.userId, prepared, registeredById: null, now }),
  );
  await deliverCode({
    userId: input.userId,
    contactId: contact.id,
    kind: input.kind,
    codeId: code.id,
    code: code.code,
  });
  return { contactId: contact.id, masked: contact.masked, expiresAt: code.expiresAt };
}

/** Sends a new code to the person's pending contact (voiding the earlier code), within the rate limits. */
export async function sendVerificationCode(input: {
  userId: string;
  contactId: string;
  now?: Date;
}): Promise<{ expiresAt: Date }> {
  const now = input.now ?? new Date();
  const contact = await prisma.personalContact.findFirst({
    where: { id: input.contactId, userId: input.userId, removedAt: null },
    select: { id: true, kind: true, valueIndex: true, verifiedAt: true },
  });
  if (!contact) throw new ReachError("contact_not_found");
  if (contact.verifiedAt) throw new ReachError("no_pending_contact");
  await consumeCodeLimits(input.userId, contact.valueIndex, now);
  const code = await issueOneTimeCode({
    userId: input.userId,
    purpose: "verify_contact",
    contactId: contact.id,
    now,
  });
  await deliverCode({
    userId: input.userId,
    contactId: contact.id,
    kind: contact.kind,
    codeId: code.id,
    code: code.code,
  });
  return { expiresAt: code.expiresAt };
}

/**
 * Checks a typed code against the person's open verification code. Right: the contact becomes verified and
 * the one it replaces is removed (ciphertext wiped) in one transaction; a contact HR registered switches on
 * the digest channel the worker consented to. Wrong: a ReachError "code_refused" with the reason and the
 * attempts left.
 */
export async function verifyContact(input: {
  userId: string;
  code: string;
  now?: Date;
}): Promise<{ contactId: string; kind: ContactKind; masked: string }> {
  const now = input.now ?? new Date();
  const check = await checkOneTimeCode({
    userId: input.userId,
    purpose: "verify_contact",
    code: input.code,
    now,
  });
  if (!check.ok) {
    throw new ReachError("code_refused", { detail: check.reason, attemptsLeft: check.attemptsLeft });
  }
  if (!check.contactId) throw new ReachError("no_pending_contact");
  const contactId = check.contactId;
  return prisma.$transaction(async (tx) => {
    const contact = await tx.personalContact.findFirst({
      where: { id: contactId, userId: input.userId, removedAt: null, verifiedAt: null },
      select: { id: true, kind: true, masked: true, registeredById: true },
    });
    if (!contact) throw new ReachError("no_pending_contact");
    // The old one goes first: one verified active contact per kind is a unique index.
    await tx.personalContact.updateMany({
      where: { userId: input.userId, kind: contact.kind, removedAt: null, id: { not: contact.id } },
      data: { removedAt: now, ...WIPED },
    });
    await tx.personalContact.update({ where: { id: contact.id }, data: { verifiedAt: now } });
    if (contact.registeredById) await enableConsentedChannel(tx, input.userId, contact.kind);
    return { contactId: contact.id, kind: contact.kind, masked: contact.masked };
  });
}

/**
 * A worker who gave HR consent for digests by SMS (or e-mail) wants them there once the number works;
 * they may have no other way to switch the channel on. Only for contacts HR registered: a worker who
 * changes their own number keeps the channels they chose.
 */
async function enableConsentedChannel(tx: Db, userId: string, kind: ContactKind): Promise<void> {
  const channel = kind === "phone" ? "sms" : "email";
  const consents = (await currentConsents([userId], tx)).get(userId) ?? new Set<ConsentPurpose>();
  if (!consents.has(channel === "sms" ? "digest_sms" : "digest_email")) return;
  const preference = await tx.digestPreference.findUnique({ where: { userId }, select: { channels: true } });
  if (preference?.channels.includes(channel)) return;
  await tx.digestPreference.upsert({
    where: { userId },
    create: { userId, channels: [channel], nextDueAt: null },
    update: { channels: [...(preference?.channels ?? []), channel], nextDueAt: null },
  });
}

/**
 * Removes one of the person's contacts: removedAt set, ciphertext and blind index wiped, its open codes
 * voided, and the digest channel that needed it switched off, all in one transaction.
 */
export async function removeContact(input: {
  userId: string;
  contactId: string;
  now?: Date;
}): Promise<{ kind: ContactKind; masked: string }> {
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const contact = await tx.personalContact.findFirst({
      where: { id: input.contactId, userId: input.userId, removedAt: null },
      select: { id: true, kind: true, masked: true, verifiedAt: true },
    });
    if (!contact) throw new ReachError("contact_not_found");
    await tx.personalContact.update({ where: { id: contact.id }, data: { removedAt: now, ...WIPED } });
    await tx.oneTimeCode.updateMany({
      where: { contactId: contact.id, consumedAt: null },
      data: { consumedAt: now },
    });
    if (contact.verifiedAt) {
      for (const [channel, kind] of Object.entries(CONTACT_FOR_CHANNEL) as ["sms" | "email", ContactKind][]) {
        if (kind === contact.kind) await dropChannel(input.userId, channel, tx);
      }
    }
    return { kind: contact.kind, masked: contact.masked };
  });
}

export type HrConsent = {
  /** The purposes the worker agreed to; each must use this kind of contact. */
  purposes: ConsentPurpose[];
  method: (typeof HR_CONSENT_METHODS)[number];
  textVersion: string;
  note?: string | null;
};

export type HrActor = { id: string; displayName: string; roles: readonly Role[] };

/**
 * HR registers a worker's personal number or address on their behalf. Refused (ReachError, nothing
 * written) without the permission or without a recorded consent for at least one purpose that uses this
 * kind of contact under the current text. Records the consent events and the pending contact (with
 * registeredById) and tells the worker, in one transaction, then sends the code to the worker's number: the
 * worker enters it at /profiel/bereik, or reads it out to HR, who enters it on the worker's page.
 */
export async function registerContactForWorker(
  hr: HrActor,
  workerId: string,
  input: { kind: ContactKind; value: string; consent: HrConsent | null | undefined; now?: Date },
): Promise<AddedContact> {
  const now = input.now ?? new Date();
  if (!hasPermission(hr, "register:contact:any")) throw new ReachError("forbidden");
  const consent = input.consent;
  if (!consent || consent.purposes.length === 0) throw new ReachError("consent_required");
  if (!(HR_CONSENT_METHODS as readonly string[]).includes(consent.method)) {
    throw new ReachError("consent_required", { detail: "method" });
  }
  const allowed = PURPOSES_FOR_CONTACT[input.kind];
  if (consent.purposes.some((purpose) => !allowed.includes(purpose))) {
    throw new ReachError("consent_required", { detail: "purpose" });
  }
  if (consent.textVersion !== CURRENT_CONSENT_VERSION) throw new ReachError("consent_version");
  const worker = await prisma.user.findFirst({ where: { id: workerId, active: true }, select: { id: true } });
  if (!worker) throw new ReachError("worker_not_found");
  const prepared = await prepareContact(workerId, input.kind, input.value);
  await consumeCodeLimits(workerId, prepared.index, now);
  const { contact, code } = await prisma.$transaction(async (tx) => {
    for (const purpose of [...new Set(consent.purposes)]) {
      await grantConsent(
        {
          userId: workerId,
          purpose,
          method: consent.method,
          textVersion: consent.textVersion,
          recordedById: hr.id,
          note: consent.note,
          now,
        },
        tx,
      );
    }
    const written = await writePendingContact(tx, { userId: workerId, prepared, registeredById: hr.id, now });
    await notify(
      {
        userId: workerId,
        type: CONTACT_REGISTERED_NOTIFICATION,
        data: { actorName: hr.displayName, kind: input.kind, masked: written.contact.masked },
        url: "/profiel/bereik",
      },
      tx,
    );
    return written;
  });
  await deliverCode({
    userId: workerId,
    contactId: contact.id,
    kind: input.kind,
    codeId: code.id,
    code: code.code,
  });
  return { contactId: contact.id, masked: contact.masked, expiresAt: code.expiresAt };
}
