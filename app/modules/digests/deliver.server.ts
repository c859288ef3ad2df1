/**
 * Delivering one digest on one channel: the state machine the `digests.deliver` job runs for a
 * DigestDelivery row (docs/decisions/0008-field-worker-channels.md, issue 5 "Delivery").
 *
 *   queued ──claim──▶ sending ──▶ sent ──(receipts, server/webhooks.ts)──▶ delivered | failed
 *      ▲                 │  ├──▶ failed (permanent error, consent withdrawn, outcome unknown, out of retries)
 *      └─────────────────┘  └──▶ queued again (transient error: the job is retried with backoff;
 *                                 SMS budget reached: a new job waits for the next Brussels morning)
 *
 * The promise to a person is "never the same digest twice on a channel", also when a job runs twice or a
 * worker dies halfway:
 * - only `queued` proceeds, and the claim is one conditional UPDATE (queued → sending), so of two runs at
 *   the same moment exactly one sends;
 * - `sending` found at the start means an earlier run claimed it and then died, maybe after the provider
 *   took the message. Sending again is only safe where the far end deduplicates on our idempotency key (the
 *   generic HTTP gateway's Idempotency-Key, the outbox's unique key); Twilio, SMTP and push services do
 *   not, so there the delivery is marked failed ("outcome unknown") rather than risk a second message.
 *   A `sending` younger than the job's expiry may still be in progress in another worker: retry later.
 * - the same rule covers a provider that timed out after receiving the request (`maybeSent`).
 *
 * Consent and contacts are checked again at the moment of sending (they may have changed since the planner
 * composed the digest); the contact is decrypted only here and never reaches a log line or `lastError`.
 */
import { TZDate } from "@date-fns/tz";
import { prisma } from "~/db.server";
import { getEnv, type Env } from "~/env.server";
import { endOfQuietHours, isInQuietHours } from "./schedule";
import { type DeliveryStatus, type DigestChannel } from "~/generated/prisma/client";
import { isDeliveryError, type DeliveryError } from "~/modules/channels/delivery";
import { PushError, sendPush } from "~/modules/channels/push.server";
import { releaseSmsBudget, reserveSmsBudget, sendEmail, sendSms } from "~/modules/channels/transports.server";
import { getVapidDetails } from "~/modules/channels/vapid.server";
import { notify } from "~/modules/notifications/notify.server";
import { markCampaignReachedByDelivery } from "~/modules/campaigns/reach.server";
import { activeContact, CONSENT_FOR_CHANNEL, currentConsents } from "~/modules/reach/reachability.server";
import {
  type DigestForRender,
  loadDigestForRender,
  renderDigestEmail,
  renderDigestPush,
  renderDigestSms,
} from "./render.server";
import { digestLink } from "./token.server";

/** pg-boss retries of a delivery job (server/jobs/digests-deliver.ts); the row gives up after as many. */
export const DELIVERY_RETRY_LIMIT = 5;
/** Sending attempts per delivery: the first one plus the retries. */
export const DELIVERY_MAX_ATTEMPTS = DELIVERY_RETRY_LIMIT + 1;
/**
 * How long a claimed delivery may be in progress: the delivery job's expiry. A `sending` row older than this
 * belongs to a run that died (pg-boss retries an expired job), a younger one to a run that may still send.
 */
export const DELIVERY_LEASE_SECONDS = 10 * 60;
/** Where an e-mail digest's List-Unsubscribe points: the page where a worker switches channels off. */
export const DIGEST_PREFERENCES_PATH = "/profiel/bereik";
/** The hour (Brussels time) at which SMS digests held back by the daily budget go out the next day. */
export const SMS_BUDGET_RESUME_HOUR = 7;

export const OUTCOME_UNKNOWN_ERROR = "outcome unknown after a crash; not resent";
const MAYBE_SENT_ERROR = "outcome unknown: the provider may have sent it; not resent";

/** What one run did. A transient failure is not an outcome: it throws a DeliveryRetryError. */
export type DeliverOutcome =
  | { result: "sent"; providerMessageId: string | null }
  | { result: "failed"; reason: string }
  /** Nothing to do: the delivery was already past `queued` (or another run claimed it first). */
  | { result: "done"; status: DeliveryStatus }
  /**
   * Held back by the daily SMS budget, or by the person's quiet hours (a campaign message sent at once, a
   * delivery retried into the night): run again at `until` (the job enqueues that).
   */
  | { result: "deferred"; until: Date; reason: "sms_budget" | "quiet_hours" }
  | { result: "missing" };

/** Thrown for a transient failure after the row went back to `queued`: the job retries with backoff. */
export class DeliveryRetryError extends Error {
  override name = "DeliveryRetryError";
}

export type DeliverOptions = {
  now?: Date;
  env?: Env;
  /** Tests only: the local push service listens on http://127.0.0.1 (refused otherwise, SSRF protection). */
  allowLocalPushEndpoints?: boolean;
};

type Delivery = {
  id: string;
  digestId: string;
  userId: string;
  channel: DigestChannel;
  idempotencyKey: string;
  status: DeliveryStatus;
  attempts: number;
  sendingAt: Date | null;
};

/** What a successful send reports for the delivery log. */
type Sent = { providerMessageId: string | null; destination: string; segments?: number };

/** A failure classified for the state machine; `message` is safe to store and log (no contact data). */
type Failure = { kind: "transient" | "permanent"; message: string; maybeSent?: boolean };

/**
 * Delivers one DigestDelivery, idempotently (see the header). Returns what happened; throws a
 * DeliveryRetryError when the job should try again later (the row is `queued` again by then).
 */
export async function deliverDigest(
  deliveryId: string,
  options: DeliverOptions = {},
): Promise<DeliverOutcome> {
  const now = options.now ?? new Date();
  const env = options.env ?? getEnv();
  const delivery = await prisma.digestDelivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      digestId: true,
      userId: true,
      channel: true,
      idempotencyKey: true,
      status: true,
      attempts: true,
      sendingAt: true,
    },
  });
  if (!delivery) return { result: "missing" };

  let resend = false;
  if (delivery.status === "sending") {
    const claimedAt = delivery.sendingAt?.getTime() ?? 0;
    if (now.getTime() - claimedAt < DELIVERY_LEASE_SECONDS * 1000) {
      throw new DeliveryRetryError("another run is sending this delivery; looking again later");
    }
    if (!resendIsSafe(delivery.channel, env)) {
      await settle(delivery, "sending", {
        status: "failed",
        failedAt: now,
        lastError: OUTCOME_UNKNOWN_ERROR,
      });
      return { result: "failed", reason: OUTCOME_UNKNOWN_ERROR };
    }
    resend = true;
  } else if (delivery.status !== "queued") {
    return { result: "done", status: delivery.status };
  }

  // Quiet hours hold every message, whoever queued it: the planner respects them when it composes, but a
  // campaign message goes out when it is due and a retry may fall in the night. Nothing is claimed yet.
  if (!resend) {
    const quiet = await quietUntil(delivery.userId, now);
    if (quiet) return { result: "deferred", until: quiet, reason: "quiet_hours" };
  }

  if (!(await claim(delivery, now))) {
    const current = await prisma.digestDelivery.findUnique({
      where: { id: delivery.id },
      select: { status: true },
    });
    return current ? { result: "done", status: current.status } : { result: "missing" };
  }
  const attempt = delivery.attempts + 1;
  const claimed: Delivery = { ...delivery, status: "sending", attempts: attempt, sendingAt: now };

  // Filled in as soon as it is known, so the failure path can return reserved SMS budget and keep the
  // decrypted contact out of every stored or logged message.
  const context: SendContext = { secrets: [], smsReservation: null };
  try {
    const unreachable = await reachProblem(claimed);
    if (unreachable) return await fail(claimed, now, unreachable, context);
    const digest = await loadDigestForRender(claimed.digestId);
    if (!digest) return await fail(claimed, now, "the digest no longer exists", context);

    let sent: Sent | { deferredUntil: Date } | { unreachable: string };
    if (claimed.channel === "sms") sent = await sendSmsDigest(claimed, digest, env, now, resend, context);
    else if (claimed.channel === "email") sent = await sendEmailDigest(claimed, digest, env, context);
    else sent = await sendPushDigest(claimed, digest, now, options.allowLocalPushEndpoints ?? false);

    if ("unreachable" in sent) return await fail(claimed, now, sent.unreachable, context);
    if ("deferredUntil" in sent)
      return { result: "deferred", until: sent.deferredUntil, reason: "sms_budget" };
    await markSent(claimed, now, sent);
    // Campaign reach (issue 6): never throws, so a sent delivery stays sent.
    await markCampaignReachedByDelivery(claimed, now);
    return { result: "sent", providerMessageId: sent.providerMessageId };
  } catch (error) {
    const failure = classify(error, claimed.channel, env, context.secrets);
    // A message that may have gone out has spent its budget.
    if (failure.maybeSent) context.smsReservation = null;
    if (failure.kind === "permanent" || attempt >= DELIVERY_MAX_ATTEMPTS) {
      const reason =
        failure.kind === "permanent"
          ? failure.message
          : `gave up after ${attempt} attempts: ${failure.message}`;
      return await fail(claimed, now, reason, context);
    }
    await releaseReservation(context);
    await settle(claimed, "sending", { status: "queued", lastError: failure.message });
    throw new DeliveryRetryError(
      `delivery ${claimed.id} (${claimed.channel}) will be retried: ${failure.message}`,
    );
  }
}

/** The end of the person's quiet hours when `now` is inside them, else null. */
async function quietUntil(userId: string, now: Date): Promise<Date | null> {
  const pref = await prisma.digestPreference.findUnique({
    where: { userId },
    select: { quietFrom: true, quietUntil: true },
  });
  if (!pref || !isInQuietHours(pref, now)) return null;
  return endOfQuietHours(pref, now);
}

type SendContext = {
  /** Values that must never appear in a stored or logged message (the decrypted contact). */
  secrets: string[];
  /** SMS segments reserved in today's budget and not yet spent; given back when the SMS is not sent. */
  smsReservation: { day: string; segments: number } | null;
};

/** Whether the far end deduplicates on our idempotency key, so a second send after a crash sends nothing new. */
function resendIsSafe(channel: DigestChannel, env: Env): boolean {
  if (channel === "sms") return env.SMS_PROVIDER === "http" || env.SMS_PROVIDER === "outbox";
  if (channel === "email") return env.smtp === null;
  return false;
}

/** queued → sending (or a dead run's sending → sending), counting the attempt; false when another run won. */
async function claim(delivery: Delivery, now: Date): Promise<boolean> {
  const claimed = await prisma.digestDelivery.updateMany({
    where:
      delivery.status === "sending"
        ? { id: delivery.id, status: "sending", sendingAt: delivery.sendingAt }
        : { id: delivery.id, status: "queued" },
    data: { status: "sending", attempts: { increment: 1 }, sendingAt: now },
  });
  return claimed.count === 1;
}

/** Moves the row on from `from` only, so a change made meanwhile (a receipt, another run) is never undone. */
async function settle(
  delivery: Pick<Delivery, "id">,
  from: DeliveryStatus,
  data: { status: DeliveryStatus; lastError?: string | null; failedAt?: Date },
): Promise<void> {
  await prisma.digestDelivery.updateMany({ where: { id: delivery.id, status: from }, data });
}

async function fail(
  delivery: Delivery,
  now: Date,
  reason: string,
  context: SendContext,
): Promise<DeliverOutcome> {
  await releaseReservation(context);
  const safe = redact(reason, context.secrets);
  await settle(delivery, "sending", { status: "failed", failedAt: now, lastError: safe });
  return { result: "failed", reason: safe };
}

async function releaseReservation(context: SendContext): Promise<void> {
  if (!context.smsReservation) return;
  const { day, segments } = context.smsReservation;
  context.smsReservation = null;
  await releaseSmsBudget(day, segments);
}

async function markSent(delivery: Delivery, now: Date, sent: Sent): Promise<void> {
  const data = {
    providerMessageId: sent.providerMessageId,
    destination: sent.destination,
    sentAt: now,
    ...(sent.segments === undefined ? {} : { segments: sent.segments }),
  };
  const moved = await prisma.digestDelivery.updateMany({
    where: { id: delivery.id, status: "sending" },
    data: { ...data, status: "sent", lastError: null },
  });
  // A receipt that named our reference may have moved the row on already (delivered); keep its status.
  if (moved.count === 0) await prisma.digestDelivery.updateMany({ where: { id: delivery.id }, data });
}

/** Why the person cannot be reached on this channel right now, or null. */
async function reachProblem(delivery: Delivery): Promise<string | null> {
  const user = await prisma.user.findUnique({ where: { id: delivery.userId }, select: { active: true } });
  if (!user?.active) return "the person is no longer active";
  const consents = await currentConsents([delivery.userId]);
  if (!consents.get(delivery.userId)?.has(CONSENT_FOR_CHANNEL[delivery.channel])) {
    return `no consent (any more) for digests by ${delivery.channel}`;
  }
  return null;
}

async function sendSmsDigest(
  delivery: Delivery,
  digest: DigestForRender,
  env: Env,
  now: Date,
  resend: boolean,
  context: SendContext,
): Promise<Sent | { deferredUntil: Date } | { unreachable: string }> {
  const contact = await activeContact(delivery.userId, "phone");
  if (!contact) return { unreachable: "no verified mobile number (any more)" };
  context.secrets.push(contact.value);
  const rendered = renderDigestSms(digest, digestLink(digest.id, "sms"), env.SMS_MAX_SEGMENTS);
  // After a crash the first run's reservation still counts; the gateway deduplicates, so nothing new is spent.
  if (!resend) {
    const reservation = await reserveSmsBudget(rendered.segments, env, now);
    if (!reservation.allowed) {
      const until = nextBrusselsMorning(now);
      // Not an attempt: back to queued as if it had not been claimed, and the job waits for tomorrow.
      await prisma.digestDelivery.updateMany({
        where: { id: delivery.id, status: "sending" },
        data: {
          status: "queued",
          attempts: { decrement: 1 },
          sendingAt: null,
          lastError: `daily SMS budget reached (${reservation.used}/${reservation.budget} segments on ${reservation.day}); waiting until ${until.toISOString()}`,
        },
      });
      await alertBudgetReached(reservation.day, reservation.used, reservation.budget, now);
      return { deferredUntil: until };
    }
    context.smsReservation = { day: reservation.day, segments: rendered.segments };
  }
  const sent = await sendSms(
    {
      userId: delivery.userId,
      to: contact.value,
      text: rendered.text,
      purpose: "digest",
      reference: delivery.idempotencyKey,
    },
    { budgetReserved: true, env },
  );
  context.smsReservation = null;
  return { providerMessageId: sent.providerMessageId, destination: contact.masked, segments: sent.segments };
}

async function sendEmailDigest(
  delivery: Delivery,
  digest: DigestForRender,
  env: Env,
  context: SendContext,
): Promise<Sent | { unreachable: string }> {
  const contact = await activeContact(delivery.userId, "email");
  if (!contact) return { unreachable: "no verified e-mail address (any more)" };
  context.secrets.push(contact.value);
  const rendered = renderDigestEmail(digest, digestLink(digest.id, "email"));
  const sent = await sendEmail(
    {
      to: contact.value,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      userId: delivery.userId,
      purpose: "digest",
      reference: delivery.idempotencyKey,
      // Deterministic, so a bounce or a re-run can be matched to this delivery.
      messageId: `<${delivery.idempotencyKey}@${senderDomain(env.SMTP_FROM)}>`,
      headers: { "X-Werkplek-Delivery": delivery.id },
      listUnsubscribeUrl: `${env.APP_URL}${DIGEST_PREFERENCES_PATH}`,
    },
    env,
  );
  return { providerMessageId: sent.providerMessageId, destination: contact.masked };
}

async function sendPushDigest(
  delivery: Delivery,
  digest: DigestForRender,
  now: Date,
  allowLocalEndpoints: boolean,
): Promise<Sent | { unreachable: string }> {
  const subscriptions = await prisma.pushSubscription.findMany({
    where: { userId: delivery.userId },
    select: { id: true, endpoint: true, p256dh: true, auth: true },
    orderBy: { createdAt: "asc" },
  });
  if (subscriptions.length === 0) return { unreachable: "no push subscription (any more)" };
  const vapid = await getVapidDetails();
  const built = renderDigestPush(digest, digestLink(digest.id, "push"));
  const accepted: { id: string | null; host: string }[] = [];
  let transient: PushError | null = null;
  let permanent: PushError | null = null;
  let gone = 0;
  for (const subscription of subscriptions) {
    try {
      const result = await sendPush(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        built.json,
        {
          vapid,
          ttlSeconds: built.ttlSeconds,
          urgency: built.payload.urgency,
          // The push service replaces an undelivered earlier message of this digest instead of adding one.
          topic: pushTopic(digest.id),
          allowLocalEndpoints,
        },
      );
      accepted.push({ id: result.providerMessageId, host: new URL(subscription.endpoint).host });
      await prisma.pushSubscription.updateMany({
        where: { id: subscription.id },
        data: { lastSeenAt: now, failureCount: 0 },
      });
    } catch (error) {
      if (!(error instanceof PushError)) throw error;
      if (error.kind === "gone") {
        gone += 1;
        await prisma.pushSubscription.deleteMany({ where: { id: subscription.id } });
      } else {
        if (error.kind === "transient") transient = error;
        else permanent = error;
        await prisma.pushSubscription.updateMany({
          where: { id: subscription.id },
          data: { failureCount: { increment: 1 } },
        });
      }
    }
  }
  if (accepted.length > 0) {
    const hosts = [...new Set(accepted.map((a) => a.host))].join(", ");
    return {
      providerMessageId: accepted[0]!.id,
      destination: accepted.length === 1 ? hosts : `${hosts} (${accepted.length})`,
    };
  }
  // None accepted: a transient failure is worth another try (nobody got it yet); otherwise it is over.
  if (transient) throw transient;
  if (permanent) throw permanent;
  return { unreachable: `every push subscription is gone (${gone} removed)` };
}

/** An RFC 8030 topic (≤ 32 base64url characters) per digest. */
function pushTopic(digestId: string): string {
  return `d${digestId.replace(/[^A-Za-z0-9_-]/g, "")}`.slice(0, 32);
}

/** The domain of the configured sender, for our Message-IDs. */
function senderDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? "werkplek.invalid";
}

/** The next day's SMS_BUDGET_RESUME_HOUR in Brussels, as an instant (DST-proof: built in local time). */
export function nextBrusselsMorning(now: Date): Date {
  const local = new TZDate(now.getTime(), "Europe/Brussels");
  const next = new TZDate(
    local.getFullYear(),
    local.getMonth(),
    local.getDate() + 1,
    SMS_BUDGET_RESUME_HOUR,
    0,
    0,
    0,
    "Europe/Brussels",
  );
  return new Date(next.getTime());
}

/**
 * Tells every active admin, once per Brussels day, that the SMS budget is reached: SmsUsage.alertedAt is
 * claimed in the same transaction as the notifications, so parallel workers alert once and a failed
 * notification leaves the claim free for the next delivery.
 */
export async function alertBudgetReached(
  day: string,
  used: number,
  budget: number,
  now: Date,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<{ day: string }[]>`
      INSERT INTO "SmsUsage" ("day", "messages", "segments", "alertedAt", "updatedAt")
      VALUES (${day}, 0, 0, ${now}, now())
      ON CONFLICT ("day") DO UPDATE SET "alertedAt" = EXCLUDED."alertedAt", "updatedAt" = now()
        WHERE "SmsUsage"."alertedAt" IS NULL
      RETURNING "day"`;
    if (claimed.length === 0) return false;
    const admins = await tx.user.findMany({
      where: { active: true, roles: { some: { role: "admin" } } },
      select: { id: true },
    });
    await notify(
      admins.map((admin) => ({
        userId: admin.id,
        type: "sms.budget_reached",
        data: { day, used, budget },
        url: "/admin/bezorging",
        dedupeKey: `sms.budget_reached:${day}:${admin.id}`,
      })),
      tx,
    );
    return true;
  });
}

/** Turns whatever a send threw into a transient or permanent failure with a message safe to store. */
function classify(error: unknown, channel: DigestChannel, env: Env, secrets: readonly string[]): Failure {
  if (isDeliveryError(error)) {
    const message = describeDeliveryError(error);
    if (error.kind === "transient" && error.maybeSent && !resendIsSafe(channel, env)) {
      return { kind: "permanent", message: `${MAYBE_SENT_ERROR} (${message})`, maybeSent: true };
    }
    return { kind: error.kind, message };
  }
  if (error instanceof PushError) {
    const status = error.status === undefined ? "" : ` (HTTP ${error.status})`;
    return {
      kind: error.kind === "transient" ? "transient" : "permanent",
      message: `push ${error.kind}${status}`,
    };
  }
  // Configuration trouble (VAPID keys, keyring) or a bug: an operator can fix it, so retry within the window.
  const name = error instanceof Error ? error.name : "Error";
  const text = error instanceof Error ? error.message : String(error);
  return { kind: "transient", message: redact(`${name}: ${text}`.slice(0, 300), secrets) };
}

/** A DeliveryError from its structured fields only: providers' texts can quote the recipient. */
function describeDeliveryError(error: DeliveryError): string {
  const details = [
    error.status === undefined ? null : `status ${error.status}`,
    error.providerCode === undefined ? null : `provider code ${error.providerCode}`,
  ].filter((part): part is string => part !== null);
  return `${error.kind} ${error.code}${details.length > 0 ? ` (${details.join(", ")})` : ""}`;
}

const PHONE_LIKE = /\+?\d[\d\s./-]{6,}\d/g;
const EMAIL_LIKE = /[^\s<>"'@]+@[^\s<>"'@]+\.[A-Za-z]{2,}/g;

/** Removes the contact and anything shaped like a phone number or e-mail address from a message. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join("[contact]");
  return result.replace(EMAIL_LIKE, "[contact]").replace(PHONE_LIKE, "[number]");
}
