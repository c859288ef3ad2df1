/**
 * Fixed-window rate limits stored in PostgreSQL, so that several web instances share one count.
 * One atomic upsert per attempt: no read-then-write race between concurrent requests.
 */
import { createHash } from "node:crypto";
import { prisma } from "~/db.server";

export type RateLimitRule = {
  /** Namespace, e.g. "login:ip". */
  name: string;
  limit: number;
  windowSeconds: number;
};

export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

/** Rules in use; later modules add theirs here so the numbers are documented in one place. */
export const RATE_LIMITS = {
  /** Sign-in attempts (Entra start, dev login) per client IP per 5 minutes; LOGIN_RATE_LIMIT overrides the count. */
  loginPerIp: { name: "login:ip", limit: 30, windowSeconds: 5 * 60 },
  /** Stream posts and shares per person per hour: far above real use, a wall for scripts and floods. */
  streamPost: { name: "stream:post", limit: 30, windowSeconds: 3600 },
  /** Stream comments and replies per person per hour (conversations go faster than posts). */
  streamComment: { name: "stream:comment", limit: 120, windowSeconds: 3600 },
  /** Reports to the moderation queue per person per hour. */
  streamReport: { name: "stream:report", limit: 20, windowSeconds: 3600 },
  /** Verification codes for a new personal number or address, per person per hour (also when HR asks). */
  reachCodePerUser: { name: "reach:code:user", limit: 5, windowSeconds: 3600 },
  /** Verification codes per number or address (its blind index) per hour: no flooding someone's phone. */
  reachCodePerContact: { name: "reach:code:contact", limit: 3, windowSeconds: 3600 },
  /** Field-worker sign-in (/inloggen/code), both steps, per client IP per 15 minutes (server/app.ts). */
  fieldSignInPerIp: { name: "field-sign-in:ip", limit: 20, windowSeconds: 15 * 60 },
  /** Sign-in codes asked for one employee number per 15 minutes (known or not: the answer is the same). */
  fieldSignInCodePerNumber: { name: "field-sign-in:number", limit: 3, windowSeconds: 15 * 60 },
  /** Sign-in codes asked for one employee number per day: SMS cost well below any real need. */
  fieldSignInCodePerNumberDaily: { name: "field-sign-in:number-day", limit: 10, windowSeconds: 24 * 3600 },
  /** Kiosk PIN sign-ins per terminal per 15 minutes: a whole crew at 7:00, not a script trying numbers. */
  kioskPinPerDevice: { name: "kiosk:pin-device", limit: 60, windowSeconds: 15 * 60 },
  /** Kiosk PIN sign-ins per employee number per 15 minutes, beside the lock after 5 wrong PINs. */
  kioskPinPerNumber: { name: "kiosk:pin-number", limit: 10, windowSeconds: 15 * 60 },
  /** Push subscription saves and removals per person per hour (the control confirms on each page load). */
  pushSubscriptionPerUser: { name: "push:subscription", limit: 120, windowSeconds: 3600 },
  /** Ambassador stories per person per day: a handful of real stories, never a flood for communicators to sift. */
  campaignStory: { name: "campaign:story", limit: 5, windowSeconds: 24 * 3600 },
} satisfies Record<string, RateLimitRule>;

function hashKey(rule: RateLimitRule, subject: string) {
  return `${rule.name}:${createHash("sha256").update(subject).digest("base64url").slice(0, 32)}`;
}

/** Counts one attempt for `subject` (an IP, a phone number, a user id) and says whether it is allowed. */
export async function consumeRateLimit(
  rule: RateLimitRule,
  subject: string,
  now: Date = new Date(),
): Promise<RateLimitResult> {
  const key = hashKey(rule, subject);
  const windowStartFloor = new Date(now.getTime() - rule.windowSeconds * 1000);
  const rows = await prisma.$queryRaw<{ count: number; windowStart: Date }[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, ${now}, 1)
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" <= ${windowStartFloor} THEN 1 ELSE "RateLimit"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= ${windowStartFloor} THEN ${now} ELSE "RateLimit"."windowStart" END
    RETURNING "count", "windowStart"`;
  const row = rows[0]!;
  const resetAt = row.windowStart.getTime() + rule.windowSeconds * 1000;
  return {
    allowed: row.count <= rule.limit,
    remaining: Math.max(0, rule.limit - row.count),
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)),
  };
}

/** Removes expired windows (a cleanup job calls this; a stale row is harmless meanwhile). */
export async function pruneRateLimits(olderThanSeconds = 24 * 3600, now: Date = new Date()): Promise<number> {
  const { count } = await prisma.rateLimit.deleteMany({
    where: { windowStart: { lt: new Date(now.getTime() - olderThanSeconds * 1000) } },
  });
  return count;
}
