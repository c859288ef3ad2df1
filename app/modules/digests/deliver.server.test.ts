/**
 * deliverDigest against the real protocols: a real SMTP server (the mail parsed, both parts), the HTTP SMS
 * gateway and Twilio played by a local server (errors, deduplication), a push service that checks VAPID and
 * decrypts the payload, and the outbox. Also: running twice sends once, a worker that died after sending
 * is not resent where the provider cannot deduplicate, the daily SMS budget (nothing sent, admins alerted
 * once), consent or contacts withdrawn between planning and sending, and the job wiring.
 */
import type PgBoss from "pg-boss";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Env, parseEnv } from "~/env.server";
import { maskEmail, maskPhone } from "~/modules/channels/contact";
import { personalDataIndex, sealPersonalData } from "~/modules/channels/keys.server";
import { brusselsDay, closeTransports } from "~/modules/channels/transports.server";
import { getVapidDetails } from "~/modules/channels/vapid.server";
import { getFixedT } from "~/i18n/i18next.server";
import { renderNotificationText } from "~/modules/notifications/types";
import { contactSealPurpose } from "~/modules/reach/reachability.server";
import { digestsDeliverJob } from "../../../server/jobs/digests-deliver";
import { OUTBOX_KEEP_DAYS, prunePushAndOutbox, PUSH_UNSEEN_DAYS } from "../../../server/jobs/push-prune";
import { buildDigestDelivery, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { startPushEndpoint, type TestPushEndpoint } from "../../../tests/support/push-endpoint";
import { startSmsGateway, type SmsGateway } from "../../../tests/support/sms-gateway";
import { startSmtpReceiver, type SmtpReceiver } from "../../../tests/support/smtp-receiver";
import {
  deliverDigest,
  DELIVERY_MAX_ATTEMPTS,
  DeliveryRetryError,
  nextBrusselsMorning,
  OUTCOME_UNKNOWN_ERROR,
  redact,
} from "./deliver.server";
import { type DeliverDigestJob, DIGESTS_DELIVER_QUEUE } from "./queues";

setupTestDatabase();

const TWILIO = { accountSid: `AC${"b2".repeat(16)}`, authToken: "twilio-auth-token" };
const GATEWAY = { token: "gateway-token", webhookSecret: "gateway-webhook-secret-0123" };
const PHONE = "+32470123456";
const EMAIL = "marc.dewilde@telenet.be";

let gateway: SmsGateway;
let smtp: SmtpReceiver;
let push: TestPushEndpoint;
beforeAll(async () => {
  gateway = await startSmsGateway({ twilio: TWILIO, http: GATEWAY });
  smtp = await startSmtpReceiver();
  push = await startPushEndpoint();
});
afterAll(async () => {
  closeTransports();
  await gateway.close();
  await smtp.close();
  await push.close();
});
beforeEach(async () => {
  await prisma.outboxMessage.deleteMany();
  await prisma.smsUsage.deleteMany();
  await prisma.sendSlot.deleteMany();
  gateway.messages.length = 0;
  gateway.requests.length = 0;
  smtp.messages.length = 0;
  push.messages.length = 0;
});

const env = (vars: Record<string, string> = {}): Env =>
  parseEnv({ NODE_ENV: "test", SMS_RATE_PER_SECOND: "100", ...vars } as NodeJS.ProcessEnv);
let envs: { outbox: Env; http: Env; twilio: Env; smtp: Env };
beforeAll(() => {
  envs = {
    outbox: env(),
    http: env({
      SMS_PROVIDER: "http",
      SMS_GATEWAY_URL: gateway.httpUrl,
      SMS_GATEWAY_TOKEN: GATEWAY.token,
      SMS_GATEWAY_WEBHOOK_SECRET: GATEWAY.webhookSecret,
    }),
    twilio: env({
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: TWILIO.authToken,
      TWILIO_FROM: "+32460000000",
      TWILIO_API_URL: gateway.baseUrl,
    }),
    smtp: env({ SMTP_URL: smtp.url, SMTP_FROM: "Werkplek Stad Gent <werkplek@stad.gent>" }),
  };
});

async function addContact(userId: string, kind: "phone" | "email", value: string) {
  return prisma.personalContact.create({
    data: {
      userId,
      kind,
      valueEncrypted: sealPersonalData(value, { purpose: contactSealPurpose(kind), userId }),
      valueIndex: personalDataIndex(value),
      masked: kind === "phone" ? maskPhone(value) : maskEmail(value),
      verifiedAt: new Date(),
    },
  });
}

async function consent(
  userId: string,
  purpose: "digest_sms" | "digest_email" | "digest_push",
  granted = true,
  at = new Date(Date.now() - 60_000),
) {
  await prisma.consentEvent.create({
    data: { userId, purpose, granted, method: "self", textVersion: "2026-11", createdAt: at },
  });
}

/** A field worker reachable on the channel, with a queued delivery of a fresh digest. */
async function reachable(channel: "sms" | "email") {
  const user = await buildUser({ isFieldWorker: true, givenName: "Marc" });
  await addContact(user.id, channel === "sms" ? "phone" : "email", channel === "sms" ? PHONE : EMAIL);
  await consent(user.id, channel === "sms" ? "digest_sms" : "digest_email");
  const { digest, delivery } = await buildDigestDelivery({ userId: user.id, channel });
  return { user, digest, delivery };
}

const row = (id: string) => prisma.digestDelivery.findUniqueOrThrow({ where: { id } });

async function retryError(work: Promise<unknown>): Promise<DeliveryRetryError> {
  const error = await work.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DeliveryRetryError);
  return error as DeliveryRetryError;
}

describe("e-mail over SMTP", () => {
  it("sends one mail with a text and an HTML part, and a second run sends nothing", async () => {
    const { delivery } = await reachable("email");
    const outcome = await deliverDigest(delivery.id, { env: envs.smtp });
    expect(outcome.result).toBe("sent");
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0]!;
    expect(mail.envelope.to).toEqual([EMAIL]);
    expect(mail.parsed.text).toContain("Nieuwe regeling voor werkkledij");
    expect(mail.parsed.html).toBeTruthy();
    expect(String(mail.parsed.html)).toContain("/d/");
    expect(mail.parsed.messageId).toBe(`<${delivery.idempotencyKey}@stad.gent>`);
    expect(mail.raw).toMatch(/^List-Unsubscribe: <http:\/\/localhost:\d+\/profiel\/bereik>\r?$/m);

    const sent = await row(delivery.id);
    expect(sent).toMatchObject({
      status: "sent",
      attempts: 1,
      destination: maskEmail(EMAIL),
      lastError: null,
    });
    expect(sent.destination).not.toContain("dewilde");
    expect(sent.sentAt).not.toBeNull();

    expect(await deliverDigest(delivery.id, { env: envs.smtp })).toEqual({ result: "done", status: "sent" });
    expect(smtp.messages).toHaveLength(1);
  });

  it("retries after an SMTP 4xx and records a 5xx as a permanent failure", async () => {
    const { delivery } = await reachable("email");
    smtp.failNext("rcpt", 451, "Mailbox busy");
    await retryError(deliverDigest(delivery.id, { env: envs.smtp }));
    const waiting = await row(delivery.id);
    expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
    expect(waiting.lastError).toMatch(/^transient/);
    expect((await deliverDigest(delivery.id, { env: envs.smtp })).result).toBe("sent");
    expect(smtp.messages).toHaveLength(1);

    const second = await reachable("email");
    smtp.failNext("rcpt", 550, "No such user");
    const outcome = await deliverDigest(second.delivery.id, { env: envs.smtp });
    expect(outcome.result).toBe("failed");
    const failed = await row(second.delivery.id);
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed.lastError).toMatch(/^permanent/);
    expect(failed.lastError).not.toContain(EMAIL);
    expect(failed.failedAt).not.toBeNull();
  });
});

describe("SMS through the HTTP gateway", () => {
  it("sends the digest with the idempotency key, counts its segments in today's budget", async () => {
    const { delivery, digest } = await reachable("sms");
    const outcome = await deliverDigest(delivery.id, { env: envs.http });
    expect(outcome.result).toBe("sent");
    expect(gateway.messages).toHaveLength(1);
    const message = gateway.messages[0]!;
    expect(message).toMatchObject({ provider: "http", to: PHONE, reference: delivery.idempotencyKey });
    expect(message.text).toContain("/d/");
    expect(message.text).not.toMatch(/[ëï]/);
    expect(message.callbackUrl).toMatch(/\/webhooks\/sms\/http$/);
    const sent = await row(delivery.id);
    expect(sent).toMatchObject({
      status: "sent",
      providerMessageId: message.id,
      destination: maskPhone(PHONE),
    });
    expect(sent.segments).toBeGreaterThanOrEqual(1);
    expect(sent.segments).toBeLessThanOrEqual(2);
    const usage = await prisma.smsUsage.findUniqueOrThrow({ where: { day: brusselsDay() } });
    expect(usage).toMatchObject({ messages: 1, segments: sent.segments });
    expect(digest.id).toBe(sent.digestId);
  });

  it("retries a 500 (giving the budget back meanwhile) and fails a 400 for good", async () => {
    const { delivery } = await reachable("sms");
    gateway.script({ kind: "server-error", status: 500 });
    await retryError(deliverDigest(delivery.id, { env: envs.http }));
    expect(await row(delivery.id)).toMatchObject({ status: "queued", attempts: 1 });
    expect((await prisma.smsUsage.findUnique({ where: { day: brusselsDay() } }))?.segments ?? 0).toBe(0);
    expect((await deliverDigest(delivery.id, { env: envs.http })).result).toBe("sent");
    expect(await row(delivery.id)).toMatchObject({ status: "sent", attempts: 2 });
    // The retried request carried the same Idempotency-Key, so the gateway could not send it twice.
    const keys = gateway.requests.map((r) => r.headers["idempotency-key"]);
    expect(new Set(keys)).toEqual(new Set([delivery.idempotencyKey]));

    const refused = await reachable("sms");
    gateway.script({ kind: "reject", status: 400, code: "blocked", message: `Number ${PHONE} is blocked` });
    const outcome = await deliverDigest(refused.delivery.id, { env: envs.http });
    expect(outcome.result).toBe("failed");
    const failed = await row(refused.delivery.id);
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toMatch(/^permanent/);
    expect(failed.lastError).not.toContain("470123456");
    // Only the first delivery's segments stay spent.
    const usage = await prisma.smsUsage.findUniqueOrThrow({ where: { day: brusselsDay() } });
    expect(usage.segments).toBe((await row(delivery.id)).segments);
  });

  it("gives up after the last attempt", async () => {
    const { delivery } = await reachable("sms");
    await prisma.digestDelivery.update({
      where: { id: delivery.id },
      data: { attempts: DELIVERY_MAX_ATTEMPTS - 1 },
    });
    gateway.script({ kind: "server-error", status: 503 });
    const outcome = await deliverDigest(delivery.id, { env: envs.http });
    expect(outcome).toMatchObject({ result: "failed" });
    const failed = await row(delivery.id);
    expect(failed).toMatchObject({ status: "failed", attempts: DELIVERY_MAX_ATTEMPTS });
    expect(failed.lastError).toMatch(/^gave up after 6 attempts/);
  });
});

describe("SMS through Twilio", () => {
  it("does not retry a request that may have gone out (Twilio cannot deduplicate)", async () => {
    const { delivery } = await reachable("sms");
    gateway.script({ kind: "server-error", status: 502 });
    const outcome = await deliverDigest(delivery.id, { env: envs.twilio });
    expect(outcome.result).toBe("failed");
    const failed = await row(delivery.id);
    expect(failed.lastError).toMatch(/^outcome unknown/);
    expect(gateway.requests.filter((r) => r.provider === "twilio")).toHaveLength(1);
  });

  it("sends through Twilio's Messages API", async () => {
    const { delivery } = await reachable("sms");
    expect((await deliverDigest(delivery.id, { env: envs.twilio })).result).toBe("sent");
    expect(gateway.messages).toHaveLength(1);
    expect(gateway.messages[0]).toMatchObject({ provider: "twilio", to: PHONE });
    expect((await row(delivery.id)).providerMessageId).toBe(gateway.messages[0]!.id);
  });
});

describe("a worker crashing after sending", () => {
  /** What a worker that died between the provider's answer and our update leaves behind. */
  async function crashAfterSend(id: string) {
    await prisma.digestDelivery.update({
      where: { id },
      data: { status: "sending", sendingAt: new Date(Date.now() - 60 * 60_000), sentAt: null },
    });
  }

  it("the re-run does not resend over SMTP: it records the unknown outcome", async () => {
    const { delivery } = await reachable("email");
    await deliverDigest(delivery.id, { env: envs.smtp });
    await crashAfterSend(delivery.id);
    const outcome = await deliverDigest(delivery.id, { env: envs.smtp });
    expect(outcome).toEqual({ result: "failed", reason: OUTCOME_UNKNOWN_ERROR });
    expect(smtp.messages).toHaveLength(1);
    expect(await row(delivery.id)).toMatchObject({ status: "failed", lastError: OUTCOME_UNKNOWN_ERROR });
  });

  it("the re-run through the HTTP gateway sends again with the same key and the gateway deduplicates", async () => {
    const { delivery } = await reachable("sms");
    await deliverDigest(delivery.id, { env: envs.http });
    const first = (await row(delivery.id)).providerMessageId;
    await crashAfterSend(delivery.id);
    expect((await deliverDigest(delivery.id, { env: envs.http })).result).toBe("sent");
    expect(gateway.requests).toHaveLength(2);
    expect(gateway.messages).toHaveLength(1);
    expect(await row(delivery.id)).toMatchObject({ status: "sent", providerMessageId: first, attempts: 2 });
  });

  it("leaves a delivery another worker is sending right now alone", async () => {
    const { delivery } = await reachable("sms");
    await prisma.digestDelivery.update({
      where: { id: delivery.id },
      data: { status: "sending", sendingAt: new Date() },
    });
    await retryError(deliverDigest(delivery.id, { env: envs.http }));
    expect(gateway.requests).toHaveLength(0);
    expect((await row(delivery.id)).status).toBe("sending");
  });
});

describe("the outbox (embedded default)", () => {
  it("keeps the SMS and the e-mail, masked; two runs at once store one message", async () => {
    const sms = await reachable("sms");
    const results = await Promise.allSettled([
      deliverDigest(sms.delivery.id, { env: envs.outbox }),
      deliverDigest(sms.delivery.id, { env: envs.outbox }),
    ]);
    const sent = results.filter((r) => r.status === "fulfilled" && r.value.result === "sent");
    expect(sent).toHaveLength(1);
    const email = await reachable("email");
    expect((await deliverDigest(email.delivery.id, { env: envs.outbox })).result).toBe("sent");

    const rows = await prisma.outboxMessage.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.channel)).toEqual(["sms", "email"]);
    expect(rows[0]).toMatchObject({ destination: maskPhone(PHONE), purpose: "digest" });
    expect(rows[0]!.meta).toMatchObject({ encoding: "GSM-7" });
    expect(rows[1]).toMatchObject({ destination: maskEmail(EMAIL) });
    expect(rows[1]!.html).toContain("<");
    expect(JSON.stringify(rows)).not.toContain(PHONE);
    expect(JSON.stringify(rows)).not.toContain(EMAIL);
    expect((await row(sms.delivery.id)).providerMessageId).toBe(`outbox:${rows[0]!.id}`);
  });
});

describe("quiet hours", () => {
  it("holds a delivery inside the person's quiet hours until they end, and sends it after", async () => {
    const sms = await reachable("sms");
    await prisma.digestPreference.upsert({
      where: { userId: sms.user.id },
      create: { userId: sms.user.id, channels: ["sms"], quietFrom: "21:00", quietUntil: "06:00" },
      update: { quietFrom: "21:00", quietUntil: "06:00" },
    });
    // 23:30 in Brussels (winter: UTC+1): quiet until 06:00 local, 05:00 UTC.
    const night = new Date("2026-11-23T22:30:00Z");
    expect(await deliverDigest(sms.delivery.id, { env: envs.outbox, now: night })).toEqual({
      result: "deferred",
      until: new Date("2026-11-24T05:00:00Z"),
      reason: "quiet_hours",
    });
    expect(await row(sms.delivery.id)).toMatchObject({ status: "queued", attempts: 0 });
    expect(await prisma.outboxMessage.count({ where: { purpose: "digest" } })).toBe(0);
    const morning = new Date("2026-11-24T05:00:00Z");
    expect((await deliverDigest(sms.delivery.id, { env: envs.outbox, now: morning })).result).toBe("sent");
  });
});

describe("the daily SMS budget", () => {
  it("sends nothing once it is reached, waits for 07:00 tomorrow and alerts the admins once", async () => {
    const admin = await buildUser({}, ["admin"]);
    const tight = env({ SMS_DAILY_BUDGET: "0" });
    const first = await reachable("sms");
    const second = await reachable("sms");
    const now = new Date();
    const outcome = await deliverDigest(first.delivery.id, { env: tight, now });
    expect(outcome).toEqual({ result: "deferred", until: nextBrusselsMorning(now), reason: "sms_budget" });
    expect((await deliverDigest(second.delivery.id, { env: tight, now })).result).toBe("deferred");
    expect(await prisma.outboxMessage.count()).toBe(0);
    const waiting = await row(first.delivery.id);
    expect(waiting).toMatchObject({ status: "queued", attempts: 0, sendingAt: null });
    expect(waiting.lastError).toMatch(/daily SMS budget reached/);

    const alerts = await prisma.notification.findMany({
      where: { userId: admin.id, type: "sms.budget_reached" },
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.data).toMatchObject({ day: brusselsDay(now), budget: 0 });
    expect(
      (await prisma.smsUsage.findUniqueOrThrow({ where: { day: brusselsDay(now) } })).alertedAt,
    ).not.toBeNull();

    const nl = await getFixedT("nl");
    const text = renderNotificationText(alerts[0]!, nl, "nl");
    expect(text).toMatch(/^Het sms-budget van \d+ \w+ \d{4} is op: 0 van 0 segmenten/);
    expect(renderNotificationText(alerts[0]!, await getFixedT("en"), "en")).toMatch(/^The SMS budget for/);

    // With budget again (tomorrow, or a raised budget) the same delivery goes out.
    expect((await deliverDigest(first.delivery.id, { env: envs.outbox })).result).toBe("sent");
  });

  it("resumes at 07:00 Brussels time the next day, also across a daylight-saving change", () => {
    expect(nextBrusselsMorning(new Date("2026-11-23T20:00:00Z")).toISOString()).toBe(
      "2026-11-24T06:00:00.000Z",
    );
    // 00:30 on the night clocks go forward (29 March 2026): the next day's 07:00 is already summer time.
    expect(nextBrusselsMorning(new Date("2026-03-28T23:30:00Z")).toISOString()).toBe(
      "2026-03-30T05:00:00.000Z",
    );
    expect(nextBrusselsMorning(new Date("2026-10-24T21:00:00Z")).toISOString()).toBe(
      "2026-10-25T06:00:00.000Z",
    );
  });
});

describe("reachability at the moment of sending", () => {
  it("sends nothing after consent was withdrawn or the contact removed since planning", async () => {
    const withdrawn = await reachable("sms");
    await consent(withdrawn.user.id, "digest_sms", false, new Date());
    const outcome = await deliverDigest(withdrawn.delivery.id, { env: envs.http });
    expect(outcome).toMatchObject({ result: "failed" });
    expect((await row(withdrawn.delivery.id)).lastError).toMatch(/no consent/);

    const removed = await reachable("email");
    await prisma.personalContact.updateMany({
      where: { userId: removed.user.id },
      data: { removedAt: new Date() },
    });
    expect((await deliverDigest(removed.delivery.id, { env: envs.smtp })).result).toBe("failed");
    expect((await row(removed.delivery.id)).lastError).toMatch(/no verified e-mail address/);

    const left = await reachable("sms");
    await prisma.user.update({ where: { id: left.user.id }, data: { active: false } });
    expect((await deliverDigest(left.delivery.id, { env: envs.http })).result).toBe("failed");

    expect(gateway.requests).toHaveLength(0);
    expect(smtp.messages).toHaveLength(0);
  });
});

describe("web push", () => {
  it("pushes to every subscription, drops one that is gone (410) and marks the others seen", async () => {
    const vapid = await getVapidDetails();
    const user = await buildUser({ isFieldWorker: true });
    await consent(user.id, "digest_push");
    const live = push.subscribe({ applicationServerKey: vapid.publicKey });
    const gone = push.subscribe({ applicationServerKey: vapid.publicKey });
    push.unsubscribe(gone.endpoint);
    const old = new Date(Date.now() - 10 * 24 * 3600_000);
    for (const subscription of [live, gone]) {
      await prisma.pushSubscription.create({
        data: {
          userId: user.id,
          endpoint: subscription.endpoint,
          ...subscription.keys,
          lastSeenAt: old,
          failureCount: 2,
        },
      });
    }
    const { delivery } = await buildDigestDelivery({ userId: user.id, channel: "push" });
    const outcome = await deliverDigest(delivery.id, { env: envs.outbox, allowLocalPushEndpoints: true });
    expect(outcome.result).toBe("sent");

    expect(push.messages).toHaveLength(1);
    const message = push.messages[0]!;
    expect(message.endpoint).toBe(live.endpoint);
    expect(message.ttl).toBe(12 * 3600);
    expect(message.urgency).toBe("normal");
    expect(message.vapid.publicKey).toBe(vapid.publicKey);
    const payload = JSON.parse(message.plaintext) as { title: string; url: string };
    expect(payload.url).toMatch(/^\/d\//);

    const subscriptions = await prisma.pushSubscription.findMany({ where: { userId: user.id } });
    expect(subscriptions.map((s) => s.endpoint)).toEqual([live.endpoint]);
    expect(subscriptions[0]!.failureCount).toBe(0);
    expect(subscriptions[0]!.lastSeenAt.getTime()).toBeGreaterThan(old.getTime());
    expect(await row(delivery.id)).toMatchObject({
      status: "sent",
      destination: new URL(live.endpoint).host,
    });
  });

  it("retries when the push service is busy and fails when every subscription is gone", async () => {
    const vapid = await getVapidDetails();
    const user = await buildUser();
    await consent(user.id, "digest_push");
    const subscription = push.subscribe({ applicationServerKey: vapid.publicKey });
    await prisma.pushSubscription.create({
      data: { userId: user.id, endpoint: subscription.endpoint, ...subscription.keys },
    });
    const { delivery } = await buildDigestDelivery({ userId: user.id, channel: "push", urgent: true });
    push.script({ status: 503 });
    await retryError(deliverDigest(delivery.id, { allowLocalPushEndpoints: true }));
    expect(await row(delivery.id)).toMatchObject({
      status: "queued",
      lastError: "push transient (HTTP 503)",
    });
    expect(
      (await prisma.pushSubscription.findFirstOrThrow({ where: { userId: user.id } })).failureCount,
    ).toBe(1);

    push.unsubscribe(subscription.endpoint);
    const outcome = await deliverDigest(delivery.id, { allowLocalPushEndpoints: true });
    expect(outcome).toMatchObject({ result: "failed" });
    expect((await row(delivery.id)).lastError).toMatch(/every push subscription is gone/);
    expect(await prisma.pushSubscription.count({ where: { userId: user.id } })).toBe(0);
    expect(push.messages).toHaveLength(0);
  });
});

describe("the delivery job", () => {
  const logger = pino({ level: "silent" });
  // Malformed data on purpose in one case: the job must survive what a queue may hold.
  const job = (data: object) =>
    ({
      id: "job-1",
      name: DIGESTS_DELIVER_QUEUE,
      data,
      expireInSeconds: 600,
    }) as PgBoss.Job<DeliverDigestJob>;

  it("enqueues a deferred delivery again for the next morning and drops malformed jobs", async () => {
    const until = new Date("2026-11-24T06:00:00Z");
    const sent: { name: string; data: object | undefined; options: unknown }[] = [];
    const definition = digestsDeliverJob(async () => ({ result: "deferred", until, reason: "sms_budget" }));
    const result = await definition.handle([job({ deliveryId: "d1" }), job({ nope: true })], {
      logger,
      send: async (name, data, options) => {
        sent.push({ name, data, options });
        return "id";
      },
      insert: async () => undefined,
    });
    expect(result).toEqual({ outcomes: ["deferred", "invalid"] });
    expect(sent).toEqual([
      {
        name: DIGESTS_DELIVER_QUEUE,
        data: { deliveryId: "d1" },
        options: { startAfter: until, singletonKey: "d1" },
      },
    ]);
    expect(definition.queue).toMatchObject({ retryLimit: DELIVERY_MAX_ATTEMPTS - 1, retryBackoff: true });
  });

  it("lets a transient failure reach pg-boss, which retries it", async () => {
    const definition = digestsDeliverJob(async () => {
      throw new DeliveryRetryError("busy");
    });
    await expect(
      definition.handle([job({ deliveryId: "d2" })], {
        logger,
        send: async () => null,
        insert: async () => undefined,
      }),
    ).rejects.toBeInstanceOf(DeliveryRetryError);
  });
});

describe("pruning", () => {
  it("drops push subscriptions unseen for 90 days or failing, and outbox messages older than 30 days", async () => {
    const user = await buildUser();
    const now = new Date();
    const day = 24 * 3600_000;
    const keys = { p256dh: "k", auth: "a" };
    await prisma.pushSubscription.createMany({
      data: [
        { userId: user.id, endpoint: "https://push.example/fresh", ...keys, lastSeenAt: now },
        {
          userId: user.id,
          endpoint: "https://push.example/old",
          ...keys,
          lastSeenAt: new Date(now.getTime() - (PUSH_UNSEEN_DAYS + 1) * day),
        },
        {
          userId: user.id,
          endpoint: "https://push.example/failing",
          ...keys,
          lastSeenAt: now,
          failureCount: 5,
        },
      ],
    });
    await prisma.outboxMessage.createMany({
      data: [
        { channel: "sms", destination: "x", text: "new", purpose: "digest" },
        {
          channel: "sms",
          destination: "x",
          text: "old",
          purpose: "digest",
          createdAt: new Date(now.getTime() - (OUTBOX_KEEP_DAYS + 1) * day),
        },
      ],
    });
    expect(await prunePushAndOutbox(now)).toEqual({ subscriptions: 2, outboxMessages: 1 });
    expect(
      (await prisma.pushSubscription.findMany({ where: { userId: user.id } })).map((s) => s.endpoint),
    ).toEqual(["https://push.example/fresh"]);
    expect((await prisma.outboxMessage.findMany()).map((m) => m.text)).toEqual(["new"]);
  });
});

describe("redact", () => {
  it("removes the contact and anything shaped like a number or address", () => {
    const text = redact(`Refused ${PHONE} (0470 12 34 56) for ${EMAIL}, code 21211`, [PHONE]);
    expect(text).not.toMatch(/470|dewilde/);
    expect(text).toContain("code 21211");
  });
});
