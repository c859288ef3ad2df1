/**
 * One-time codes: six digits sent by SMS (or e-mail, to verify an e-mail address) to verify a new contact or
 * to sign a field worker in on their own phone. A code is valid 10 minutes, works once, and allows five
 * attempts; only its HMAC is stored. Issuing a new code voids the person's earlier open codes of that purpose,
 * so only the last message received counts.
 */
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { personalDataIndexKey } from "~/modules/channels/keys.server";

export const OTP_DIGITS = 6;
export const OTP_TTL_MS = 10 * 60_000;
export const OTP_MAX_ATTEMPTS = 5;

export type OtpPurpose = "verify_contact" | "sign_in";

function codeHash(userId: string, purpose: OtpPurpose, code: string): string {
  return createHmac("sha256", personalDataIndexKey())
    .update(`otp\0${userId}\0${purpose}\0${code}`)
    .digest("base64url");
}

/** Reads a code as typed ("123 456", "123-456"): six digits or null. */
export function normaliseOneTimeCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, "");
  return new RegExp(`^\\d{${OTP_DIGITS}}$`).test(digits) ? digits : null;
}

/** Creates a code for the person and purpose (voiding their earlier open ones); returns it to be sent. */
export async function issueOneTimeCode(
  input: { userId: string; purpose: OtpPurpose; contactId: string | null; now?: Date },
  db: Prisma.TransactionClient = prisma,
): Promise<{ id: string; code: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const code = String(randomInt(0, 10 ** OTP_DIGITS)).padStart(OTP_DIGITS, "0");
  await db.oneTimeCode.updateMany({
    where: { userId: input.userId, purpose: input.purpose, consumedAt: null },
    data: { consumedAt: now },
  });
  const expiresAt = new Date(now.getTime() + OTP_TTL_MS);
  const row = await db.oneTimeCode.create({
    data: {
      userId: input.userId,
      purpose: input.purpose,
      contactId: input.contactId,
      codeHash: codeHash(input.userId, input.purpose, code),
      expiresAt,
      createdAt: now,
    },
    select: { id: true },
  });
  return { id: row.id, code, expiresAt };
}

export type OtpCheck =
  | { ok: true; contactId: string | null }
  | {
      ok: false;
      /** malformed: not six digits (no attempt used); no_code: nothing open; wrong_code: attempts remain. */
      reason: "malformed" | "no_code" | "expired" | "too_many_attempts" | "wrong_code";
      attemptsLeft: number;
    };

/**
 * Checks a typed code against the person's latest open code of that purpose. Every check of a well-formed
 * code uses an attempt (counted atomically, so parallel guesses cannot exceed the limit); a right code is
 * consumed in the same conditional update that only one request can win.
 */
export async function checkOneTimeCode(input: {
  userId: string;
  purpose: OtpPurpose;
  code: string;
  now?: Date;
}): Promise<OtpCheck> {
  const now = input.now ?? new Date();
  const code = normaliseOneTimeCode(input.code);
  const open = await prisma.oneTimeCode.findFirst({
    where: { userId: input.userId, purpose: input.purpose, consumedAt: null },
    orderBy: { createdAt: "desc" },
    select: { id: true, codeHash: true, attempts: true, expiresAt: true, contactId: true },
  });
  if (!open) return { ok: false, reason: "no_code", attemptsLeft: 0 };
  if (open.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired", attemptsLeft: 0 };
  if (!code) {
    return { ok: false, reason: "malformed", attemptsLeft: Math.max(0, OTP_MAX_ATTEMPTS - open.attempts) };
  }
  const counted = await prisma.$queryRaw<{ attempts: number }[]>`
    UPDATE "OneTimeCode" SET "attempts" = "attempts" + 1
    WHERE "id" = ${open.id} AND "consumedAt" IS NULL AND "attempts" < ${OTP_MAX_ATTEMPTS}
    RETURNING "attempts"`;
  if (!counted[0]) return { ok: false, reason: "too_many_attempts", attemptsLeft: 0 };
  const expected = Buffer.from(open.codeHash);
  const actual = Buffer.from(codeHash(input.userId, input.purpose, code));
  const matches = expected.length === actual.length && timingSafeEqual(expected, actual);
  if (!matches) {
    const attemptsLeft = OTP_MAX_ATTEMPTS - counted[0].attempts;
    return attemptsLeft > 0
      ? { ok: false, reason: "wrong_code", attemptsLeft }
      : { ok: false, reason: "too_many_attempts", attemptsLeft: 0 };
  }
  const consumed = await prisma.oneTimeCode.updateMany({
    where: { id: open.id, consumedAt: null },
    data: { consumedAt: now },
  });
  if (consumed.count !== 1) return { ok: false, reason: "no_code", attemptsLeft: 0 };
  return { ok: true, contactId: open.contactId };
}

/**
 * The SMS text of a code, GSM-7 only, in the person's language. The last line follows the WebOTP format
 * ("@host #code") so Android phones offer the code for the sign-in form on our own origin, and only there.
 */
export function oneTimeCodeMessage(code: string, locale: string, appUrl: string): string {
  const host = new URL(appUrl).host;
  const first =
    locale === "en"
      ? `Your Werkplek code is ${code}. Valid for 10 minutes. Never share it.`
      : `Je Werkplek-code is ${code}. Geldig 10 minuten. Geef hem aan niemand door.`;
  return `${first}\n\n@${host} #${code}`;
}
