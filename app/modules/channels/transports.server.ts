/**
 * The configured transports, the one way the app sends an SMS or an e-mail (digests, sign-in codes,
 * verification codes, alerts):
 * - SMS: SMS_PROVIDER=outbox (default), twilio or http; e-mail: SMTP when SMTP_URL is set, else the outbox.
 * - The outbox (OutboxMessage, shown at /admin/outbox) is the embedded default: a newcomer sees exactly what
 *   would have been sent, with the destination masked so no personal contact data is kept in clear.
 * - Every SMS is paced across all processes (SendSlot, SMS_RATE_PER_SECOND) and counted per Brussels day
 *   (SmsUsage); digests ask `reserveSmsBudget` first so the daily budget is never exceeded.
 * Web push has no outbox: a subscription is a real browser's, reached through its push service.
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { prisma } from "~/db.server";
import { getEnv, type Env } from "~/env.server";
import { type Prisma } from "~/generated/prisma/client";
import { maskEmail, maskPhone } from "./contact";
import { assertValidSmsInput, type DeliveryResult, type SmsSender } from "./delivery";
import { createSmtpTransport, type EmailInput, type EmailTransport } from "./email.server";
import { smsSegments } from "./gsm7";
import { createHttpSmsSender } from "./sms-http.server";
import { createTwilioSmsSender } from "./sms-twilio.server";

/** Why a message goes out; stored with outbox messages and used in logs. */
export type SendPurpose = "digest" | "otp_sign_in" | "otp_verify" | "sms_budget_alert";

export type OutgoingSms = {
  /** The recipient, for the outbox; null for messages to no account (an alert to an operator number). */
  userId: string | null;
  /** E.164 number, decrypted just now by the caller; never logged or stored in clear. */
  to: string;
  text: string;
  purpose: SendPurpose;
  /** Idempotency key, stable across retries ([A-Za-z0-9._:-], at most 128): the outbox and gateway dedupe on it. */
  reference: string;
};

export type SentSms = DeliveryResult & { segments: number; encoding: "GSM-7" | "UCS-2" };

export type OutgoingEmail = EmailInput & {
  userId: string | null;
  purpose: SendPurpose;
  /** Idempotency key (the outbox dedupes on it; SMTP gets it as the Message-ID's local part). */
  reference: string;
};

/** Brussels calendar day "yyyy-MM-dd" of a moment: the SMS budget's day. */
export function brusselsDay(at: Date = new Date()): string {
  return format(new TZDate(at.getTime(), "Europe/Brussels"), "yyyy-MM-dd");
}

/** An SMS "sender" that only records the message in the outbox. */
function outboxSmsSender(meta: { userId: string | null; purpose: SendPurpose }): SmsSender {
  return {
    async send(input) {
      const segments = smsSegments(input.text);
      const row = await upsertOutbox({
        channel: "sms",
        userId: meta.userId,
        destination: maskPhone(input.to),
        text: input.text,
        meta: { segments: segments.segments, encoding: segments.encoding },
        purpose: meta.purpose,
        idempotencyKey: input.reference,
      });
      return { providerMessageId: `outbox:${row.id}`, acceptedAt: row.createdAt };
    },
  };
}

async function upsertOutbox(data: Prisma.OutboxMessageUncheckedCreateInput) {
  // The same reference twice (a re-run job) stores nothing new and answers with the first message.
  return prisma.outboxMessage.upsert({
    where: { idempotencyKey: data.idempotencyKey! },
    create: data,
    update: {},
    select: { id: true, createdAt: true },
  });
}

let providerCache: { env: Env; sms: SmsSender | null; email: EmailTransport | null } | undefined;

function providers(env: Env) {
  if (providerCache?.env !== env) {
    providerCache?.email?.close();
    const statusUrl = `${env.APP_URL}/webhooks/sms/${env.SMS_PROVIDER}`;
    let sms: SmsSender | null = null;
    if (env.SMS_PROVIDER === "twilio") {
      sms = createTwilioSmsSender({
        accountSid: env.TWILIO_ACCOUNT_SID!,
        authToken: env.TWILIO_AUTH_TOKEN!,
        from: env.TWILIO_FROM,
        messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
        // Twilio only calls back to public https URLs; a local http APP_URL gets no receipts.
        statusCallbackUrl: statusUrl.startsWith("https://") ? statusUrl : undefined,
        baseUrl: env.TWILIO_API_URL,
      });
    } else if (env.SMS_PROVIDER === "http") {
      sms = createHttpSmsSender({
        url: env.SMS_GATEWAY_URL!,
        token: env.SMS_GATEWAY_TOKEN!,
        callbackUrl: statusUrl,
      });
    }
    const email = env.smtp ? createSmtpTransport({ url: env.smtp.url, from: env.smtp.from }) : null;
    providerCache = { env, sms, email };
  }
  return providerCache;
}

/** Closes SMTP connections (server shutdown, tests that switch configuration). */
export function closeTransports(): void {
  providerCache?.email?.close();
  providerCache = undefined;
}

/** Which transports are configured, for the admin pages ("outbox", "twilio", "http"; "smtp", "outbox"). */
export function transportNames(env: Env = getEnv()): { sms: Env["SMS_PROVIDER"]; email: "smtp" | "outbox" } {
  return { sms: env.SMS_PROVIDER, email: env.smtp ? "smtp" : "outbox" };
}

/**
 * Waits for this message's turn at the provider: reserves the next free moment in SendSlot (one row per
 * provider, updated atomically, so all processes together keep to `perSecond`) and sleeps until it.
 */
export async function reserveSendSlot(
  name: string,
  perSecond: number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Date> {
  const intervalMs = Math.max(1, Math.round(1000 / perSecond));
  const rows = await prisma.$queryRaw<{ at: Date }[]>`
    INSERT INTO "SendSlot" ("name", "nextAt")
    VALUES (${name}, clock_timestamp() + make_interval(secs => ${intervalMs / 1000}))
    ON CONFLICT ("name") DO UPDATE
      SET "nextAt" = GREATEST("SendSlot"."nextAt", clock_timestamp()) + make_interval(secs => ${intervalMs / 1000})
    RETURNING "nextAt" - make_interval(secs => ${intervalMs / 1000}) AS "at"`;
  const at = rows[0]!.at;
  const wait = at.getTime() - Date.now();
  if (wait > 0) await sleep(wait);
  return at;
}

/**
 * Sends one SMS through the configured provider (or the outbox), paced to SMS_RATE_PER_SECOND and counted
 * in today's SmsUsage. Throws a DeliveryError (transient or permanent) from the provider unchanged.
 * Digests reserve their segments first (`reserveSmsBudget`) and pass `budgetReserved`, so they are not
 * counted twice; sign-in and verification codes are never held back by the budget (a worker who cannot
 * sign in is worse than an overspent day) but are counted in it.
 */
export async function sendSms(
  input: OutgoingSms,
  options: { budgetReserved?: boolean; env?: Env } = {},
): Promise<SentSms> {
  const env = options.env ?? getEnv();
  assertValidSmsInput(input);
  const { sms } = providers(env);
  const sender = sms ?? outboxSmsSender({ userId: input.userId, purpose: input.purpose });
  const segments = smsSegments(input.text);
  await reserveSendSlot(`sms:${env.SMS_PROVIDER}`, env.SMS_RATE_PER_SECOND);
  const result = await sender.send({ to: input.to, text: input.text, reference: input.reference });
  await recordSmsUsage(options.budgetReserved ? 0 : segments.segments);
  return { ...result, segments: segments.segments, encoding: segments.encoding };
}

/** Counts one sent SMS (and `segments` segments not reserved before) in today's (Brussels) usage. */
async function recordSmsUsage(segments: number, at: Date = new Date()): Promise<void> {
  const day = brusselsDay(at);
  await prisma.$executeRaw`
    INSERT INTO "SmsUsage" ("day", "messages", "segments", "updatedAt") VALUES (${day}, 1, ${segments}::int, now())
    ON CONFLICT ("day") DO UPDATE SET "messages" = "SmsUsage"."messages" + 1,
      "segments" = "SmsUsage"."segments" + ${segments}::int, "updatedAt" = now()`;
}

export type SmsBudgetReservation = { allowed: boolean; used: number; budget: number; day: string };

/**
 * Reserves `segments` of today's SMS budget (SMS_DAILY_BUDGET, Brussels day) in one atomic statement, so
 * workers running side by side can never overspend it together. Not allowed → nothing is reserved; the
 * digest waits for the next day. Give the segments back with `releaseSmsBudget` when the SMS is not sent.
 */
export async function reserveSmsBudget(
  segments: number,
  env: Env = getEnv(),
  at: Date = new Date(),
): Promise<SmsBudgetReservation> {
  const day = brusselsDay(at);
  const budget = env.SMS_DAILY_BUDGET;
  const rows = await prisma.$queryRaw<{ segments: number }[]>`
    INSERT INTO "SmsUsage" ("day", "messages", "segments", "updatedAt")
    SELECT ${day}, 0, ${segments}::int, now() WHERE ${segments}::int <= ${budget}::int
    ON CONFLICT ("day") DO UPDATE SET "segments" = "SmsUsage"."segments" + ${segments}::int, "updatedAt" = now()
      WHERE "SmsUsage"."segments" + ${segments}::int <= ${budget}::int
    RETURNING "segments"`;
  if (rows[0]) return { allowed: true, used: rows[0].segments, budget, day };
  const usage = await prisma.smsUsage.findUnique({ where: { day }, select: { segments: true } });
  return { allowed: false, used: usage?.segments ?? 0, budget, day };
}

/** Gives back segments reserved for an SMS that was not sent after all (a permanent failure). */
export async function releaseSmsBudget(day: string, segments: number): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "SmsUsage" SET "segments" = GREATEST(0, "segments" - ${segments}::int), "updatedAt" = now()
    WHERE "day" = ${day}`;
}

/** Sends an e-mail through SMTP, or records it in the outbox when SMTP_URL is unset. */
export async function sendEmail(input: OutgoingEmail, env: Env = getEnv()): Promise<DeliveryResult> {
  const { email } = providers(env);
  if (email) {
    const { userId: _userId, purpose: _purpose, reference: _reference, ...message } = input;
    return email.send(message);
  }
  const row = await upsertOutbox({
    channel: "email",
    userId: input.userId,
    destination: maskEmail(input.to),
    subject: input.subject,
    text: input.text,
    html: input.html,
    purpose: input.purpose,
    idempotencyKey: input.reference,
  });
  return { providerMessageId: `outbox:${row.id}`, acceptedAt: row.createdAt };
}
