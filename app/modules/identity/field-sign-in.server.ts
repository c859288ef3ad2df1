/**
 * Field-worker sign-in on their own phone (/inloggen/code): employee number → a six-digit code by SMS to
 * their verified personal number → a long-lived, revocable "device" session.
 *
 * Enumeration: whether a number exists, is active, has a verified phone or consented is never visible. The
 * same limits are counted for every number, the same answer is given, the SMS is sent after the answer
 * (so response time does not say "a message went out"), and a code typed for an unknown number fails the
 * way a wrong code does, with the attempts counted in the signed step cookie instead of the database.
 */
import { createHash } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "~/db.server";
import { getEnv, sessionSecrets } from "~/env.server";
import { sendSms } from "~/modules/channels/transports.server";
import {
  checkOneTimeCode,
  issueOneTimeCode,
  oneTimeCodeMessage,
  OTP_MAX_ATTEMPTS,
  OTP_TTL_MS,
} from "~/modules/reach/otp.server";
import { activeContact, currentConsents } from "~/modules/reach/reachability.server";
import { consumeRateLimit, RATE_LIMITS } from "~/utils/rate-limit.server";
import { createUserSession, sessionIdleLimitMs } from "./session.server";

/** Employee numbers as HR issues them ("GE-109347"); letters, digits and dashes, case-insensitive. */
const EMPLOYEE_NUMBER = /^[A-Z0-9][A-Z0-9-]{1,30}$/;
/** The city's own prefix, added when someone types only the digits. */
const DEFAULT_PREFIX = "GE-";

/** Reads an employee number as typed ("ge 109347", "109347") in its stored form, or null when malformed. */
export function normaliseEmployeeNumber(input: string): string | null {
  const compact = input.trim().toUpperCase().replace(/\s+/g, "");
  const withPrefix = /^\d{4,10}$/.test(compact) ? `${DEFAULT_PREFIX}${compact}` : compact;
  return EMPLOYEE_NUMBER.test(withPrefix) ? withPrefix : null;
}

/**
 * The user filter for a normalised employee number. Case-insensitive: HR's import is not consistent about
 * case, and people type what is on their badge.
 */
export function employeeNumberWhere(employeeNumber: string) {
  return { employeeNumber: { equals: employeeNumber, mode: "insensitive" as const } };
}

/** What the browser keeps between the two steps: signed, so neither number nor counters can be forged. */
const PendingSchema = z.object({
  /** The normalised employee number (never a user id: the browser must not learn whether it exists). */
  n: z.string().max(40),
  /** When the code was asked for (ms). */
  at: z.number().int(),
  /** Wrong codes typed so far. */
  tries: z.number().int().min(0).max(100),
});
export type PendingSignIn = z.infer<typeof PendingSchema>;

let pendingCookie: ReturnType<typeof createCookie> | undefined;

/** The short-lived cookie holding the step between "number" and "code", scoped to /inloggen/code. */
export function pendingSignInCookie() {
  if (!pendingCookie) {
    const env = getEnv();
    pendingCookie = createCookie(env.isProduction ? "__Secure-werkplek_code" : "werkplek_code", {
      httpOnly: true,
      sameSite: "lax",
      secure: env.isProduction,
      path: "/inloggen/code",
      secrets: sessionSecrets(env),
      maxAge: Math.round(OTP_TTL_MS / 1000),
    });
  }
  return pendingCookie;
}

/** The pending step of this request, or null when there is none (or it was tampered with). */
export async function readPendingSignIn(cookieHeader: string | null): Promise<PendingSignIn | null> {
  const value: unknown = await pendingSignInCookie().parse(cookieHeader);
  const parsed = PendingSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Set-Cookie for a pending step. */
export function serializePendingSignIn(pending: PendingSignIn): Promise<string> {
  return pendingSignInCookie().serialize(pending);
}

/** Set-Cookie that forgets the pending step. */
export function clearPendingSignIn(): Promise<string> {
  return pendingSignInCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

/** Whether a pending step is still within the code's lifetime. */
export function isPendingFresh(pending: PendingSignIn, now: Date = new Date()): boolean {
  return now.getTime() - pending.at < OTP_TTL_MS && pending.at <= now.getTime();
}

export type CodeRequestResult =
  | { ok: true; pending: PendingSignIn }
  | { ok: false; reason: "malformed" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** Sends still on their way (tests await them; the route answers before they finish). */
const inFlight = new Set<Promise<void>>();

/** Waits until every sign-in SMS started so far has been handed to the transport (tests, shutdown). */
export async function settleFieldSignInSends(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/** The person behind an employee number, when they may sign in with an SMS code (else null). */
async function eligibleUser(employeeNumber: string) {
  const user = await prisma.user.findFirst({
    where: employeeNumberWhere(employeeNumber),
    select: { id: true, active: true, locale: true },
  });
  if (!user?.active) return null;
  const phone = await prisma.personalContact.findFirst({
    where: { userId: user.id, kind: "phone", removedAt: null, verifiedAt: { not: null } },
    select: { id: true },
  });
  if (!phone) return null;
  // The digest_sms consent text (reach/consent-texts.ts) does not cover sign-in codes: only an explicit
  // sign_in_sms consent counts (the latest event decides, so a withdrawal stops the codes at once).
  const consents = await currentConsents([user.id]);
  if (!consents.get(user.id)?.has("sign_in_sms")) return null;
  return { id: user.id, locale: user.locale, contactId: phone.id };
}

/**
 * Step 1: counts the limits for the number (whether it exists or not), and when the person may sign in this
 * way, issues a code and sends it in the background. The answer never depends on the person.
 */
export async function requestSignInCode(input: {
  employeeNumber: string;
  now?: Date;
}): Promise<CodeRequestResult> {
  const now = input.now ?? new Date();
  const employeeNumber = normaliseEmployeeNumber(input.employeeNumber);
  if (!employeeNumber) return { ok: false, reason: "malformed" };
  const limits = [
    await consumeRateLimit(RATE_LIMITS.fieldSignInCodePerNumber, employeeNumber, now),
    await consumeRateLimit(RATE_LIMITS.fieldSignInCodePerNumberDaily, employeeNumber, now),
  ];
  const refused = limits.filter((limit) => !limit.allowed);
  if (refused.length > 0) {
    return {
      ok: false,
      reason: "rate_limited",
      retryAfterSeconds: Math.max(...refused.map((limit) => limit.retryAfterSeconds)),
    };
  }
  const user = await eligibleUser(employeeNumber);
  if (user) {
    const issued = await issueOneTimeCode({
      userId: user.id,
      purpose: "sign_in",
      contactId: user.contactId,
      now,
    });
    const sending = sendCode(user.id, user.locale, issued).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  }
  return { ok: true, pending: { n: employeeNumber, at: now.getTime(), tries: 0 } };
}

async function sendCode(userId: string, locale: string, issued: { id: string; code: string }) {
  try {
    // Decrypted here, at the moment of sending, and only handed to the transport.
    const phone = await activeContact(userId, "phone");
    if (!phone) return;
    await sendSms({
      userId,
      to: phone.value,
      text: oneTimeCodeMessage(issued.code, locale, getEnv().APP_URL),
      purpose: "otp_sign_in",
      reference: `otp:${issued.id}`,
    });
  } catch (error) {
    // Never the number or the code: the error's kind and code say enough to an operator.
    const details =
      error instanceof Error
        ? { name: error.name, code: (error as { code?: unknown }).code ?? null }
        : { name: "unknown" };
    console.error("sign-in code could not be sent", { codeId: issued.id, ...details });
  }
}

export type CodeCheckResult =
  | { ok: true; setCookie: string }
  | {
      ok: false;
      /** wrong: try again; used_up: ask for a new code (expired, too many tries, replaced). */
      reason: "malformed" | "wrong" | "used_up";
      pending: PendingSignIn;
    };

/**
 * Step 2: checks the code against the pending number and, when right, opens a device session (its label
 * from the User-Agent). An unknown number fails exactly like a wrong code.
 */
export async function checkSignInCode(input: {
  pending: PendingSignIn;
  code: string;
  userAgent: string | null;
  previousCookieHeader: string | null;
  now?: Date;
}): Promise<CodeCheckResult> {
  const now = input.now ?? new Date();
  const { pending } = input;
  if (!isPendingFresh(pending, now)) return { ok: false, reason: "used_up", pending };
  if (!/^\d{6}$/.test(input.code.replace(/[\s-]/g, ""))) {
    return { ok: false, reason: "malformed", pending };
  }
  const counted = { ...pending, tries: pending.tries + 1 };
  const user = await eligibleUser(pending.n);
  if (!user) {
    return { ok: false, reason: counted.tries >= OTP_MAX_ATTEMPTS ? "used_up" : "wrong", pending: counted };
  }
  const check = await checkOneTimeCode({ userId: user.id, purpose: "sign_in", code: input.code, now });
  if (!check.ok) {
    return { ok: false, reason: check.reason === "wrong_code" ? "wrong" : "used_up", pending: counted };
  }
  const setCookie = await createUserSession({
    userId: user.id,
    method: "sms",
    kind: "device",
    label: deviceLabel(input.userAgent),
    previousCookieHeader: input.previousCookieHeader,
  });
  return { ok: true, setCookie };
}

/** A recognisable name for the device ("Android-telefoon — Chrome"), shown in the list of sessions. */
export function deviceLabel(userAgent: string | null): string {
  const ua = userAgent ?? "";
  const device = /iPad/.test(ua)
    ? "iPad"
    : /iPhone|iPod/.test(ua)
      ? "iPhone"
      : /Android/.test(ua)
        ? /Mobile/.test(ua)
          ? "Android-telefoon"
          : "Android-tablet"
        : /Windows/.test(ua)
          ? "Windows-pc"
          : /Macintosh|Mac OS X/.test(ua)
            ? "Mac"
            : /Linux|CrOS/.test(ua)
              ? "Linux-computer"
              : "Onbekend toestel";
  const browser = /EdgA?\/|EdgiOS/.test(ua)
    ? "Edge"
    : /SamsungBrowser/.test(ua)
      ? "Samsung Internet"
      : /Firefox|FxiOS/.test(ua)
        ? "Firefox"
        : /OPR\/|Opera/.test(ua)
          ? "Opera"
          : /Chrome|CriOS|Chromium/.test(ua)
            ? "Chrome"
            : /Safari/.test(ua)
              ? "Safari"
              : null;
  return browser ? `${device} — ${browser}` : device;
}

/**
 * How a session is named to the browser in /profiel/sessies: a hash of its id, enough to pick it from the
 * person's own list, never the id itself (the bearer secret in the session cookie).
 */
export function sessionRef(id: string): string {
  return createHash("sha256").update(`session-ref\0${id}`).digest("base64url").slice(0, 22);
}

/** The person's sessions that still work (not expired, not past their idle limit), most recently used first. */
export async function listLiveSessions(userId: string, now: Date = new Date()) {
  const rows = await prisma.session.findMany({
    where: { userId, expiresAt: { gt: now } },
    orderBy: { lastActiveAt: "desc" },
    select: { id: true, kind: true, method: true, label: true, createdAt: true, lastActiveAt: true },
  });
  return rows.filter((row) => now.getTime() - row.lastActiveAt.getTime() <= sessionIdleLimitMs(row.kind));
}
