import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseEnv } from "~/env.server";
import { startSmsGateway, type SmsGateway } from "../../../tests/support/sms-gateway";
import { startSmtpReceiver, type SmtpReceiver } from "../../../tests/support/smtp-receiver";
import { setupTestDatabase } from "../../../tests/setup/database";
import { isDeliveryError } from "./delivery";
import {
  brusselsDay,
  closeTransports,
  releaseSmsBudget,
  reserveSendSlot,
  reserveSmsBudget,
  sendEmail,
  sendSms,
  transportNames,
} from "./transports.server";

setupTestDatabase();

const env = (vars: Record<string, string> = {}) =>
  parseEnv({ NODE_ENV: "test", ...vars } as NodeJS.ProcessEnv);

let gateway: SmsGateway;
let smtp: SmtpReceiver;
beforeAll(async () => {
  gateway = await startSmsGateway({
    twilio: { accountSid: `AC${"a1".repeat(16)}`, authToken: "twilio-token" },
    http: { token: "gateway-token", webhookSecret: "gateway-webhook-secret" },
  });
  smtp = await startSmtpReceiver();
});
afterAll(async () => {
  closeTransports();
  await gateway.close();
  await smtp.close();
});
beforeEach(async () => {
  await prisma.outboxMessage.deleteMany();
  await prisma.smsUsage.deleteMany();
  await prisma.sendSlot.deleteMany();
});

describe("brusselsDay", () => {
  it("follows Brussels midnight, not UTC's, in winter and in summer", () => {
    expect(brusselsDay(new Date("2026-11-23T22:59:00Z"))).toBe("2026-11-23");
    expect(brusselsDay(new Date("2026-11-23T23:00:00Z"))).toBe("2026-11-24");
    expect(brusselsDay(new Date("2026-07-01T21:59:00Z"))).toBe("2026-07-01");
    expect(brusselsDay(new Date("2026-07-01T22:00:00Z"))).toBe("2026-07-02");
  });
});

describe("the outbox (embedded default)", () => {
  it("keeps an SMS with its segments, masks the number and stores a retried send once", async () => {
    const outbox = env();
    expect(transportNames(outbox)).toEqual({ sms: "outbox", email: "outbox" });
    const input = {
      userId: null,
      to: "+32470123456",
      text: "Werkplek: 2 nieuwe circulaires.",
      purpose: "digest" as const,
      reference: "digest-1:sms",
    };
    const first = await sendSms(input, { env: outbox });
    const again = await sendSms(input, { env: outbox });
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(first).toMatchObject({ segments: 1, encoding: "GSM-7" });
    const rows = await prisma.outboxMessage.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "sms", purpose: "digest", text: input.text });
    expect(rows[0]!.destination).not.toContain("0123456");
    expect(rows[0]!.destination).toMatch(/^\+32 4/);
    // Both attempts counted as sent messages; the usage is what the budget reads.
    const usage = await prisma.smsUsage.findUniqueOrThrow({ where: { day: brusselsDay() } });
    expect(usage.segments).toBe(2);
  });

  it("keeps an e-mail with subject, text and HTML, the address masked", async () => {
    await sendEmail(
      {
        userId: null,
        to: "jan.janssens@example.be",
        subject: "Je overzicht",
        text: "Hallo",
        html: "<p>Hallo</p>",
        purpose: "digest",
        reference: "digest-1:email",
      },
      env(),
    );
    const row = await prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({
      channel: "email",
      subject: "Je overzicht",
      text: "Hallo",
      html: "<p>Hallo</p>",
    });
    expect(row.destination).not.toContain("janssens");
    expect(row.destination).toMatch(/@example\.be$/);
  });

  it("refuses an SMS no provider could deliver before anything is stored", async () => {
    const error = await sendSms(
      { userId: null, to: "0470123456", text: "x", purpose: "digest", reference: "r1" },
      { env: env() },
    ).catch((e: unknown) => e);
    expect(isDeliveryError(error) && error.code).toBe("invalid_recipient");
    expect(await prisma.outboxMessage.count()).toBe(0);
  });
});

describe("real providers", () => {
  it("sends through the HTTP gateway with the reference as idempotency key", async () => {
    const http = env({
      SMS_PROVIDER: "http",
      SMS_GATEWAY_URL: gateway.httpUrl,
      SMS_GATEWAY_TOKEN: "gateway-token",
    });
    const sent = await sendSms(
      { userId: null, to: "+32470123456", text: "Code 123456", purpose: "otp_sign_in", reference: "otp:abc" },
      { env: http },
    );
    expect(sent.providerMessageId).toBeTruthy();
    const message = gateway.messages.at(-1)!;
    expect(message).toMatchObject({ to: "+32470123456", text: "Code 123456", reference: "otp:abc" });
    expect(message.callbackUrl).toBe("http://localhost:3000/webhooks/sms/http");
    expect(await prisma.outboxMessage.count()).toBe(0);
  });

  it("sends an e-mail through SMTP with both parts", async () => {
    const mail = env({ SMTP_URL: smtp.url });
    expect(transportNames(mail).email).toBe("smtp");
    await sendEmail(
      {
        userId: null,
        to: "an@example.be",
        subject: "Overzicht",
        text: "Tekst",
        html: "<p>HTML</p>",
        purpose: "digest",
        reference: "d:email",
      },
      mail,
    );
    const received = smtp.messages.at(-1)!;
    expect(received.envelope.to).toEqual(["an@example.be"]);
    expect(received.parsed.subject).toBe("Overzicht");
    expect(received.parsed.text?.trim()).toBe("Tekst");
    expect(received.parsed.html).toContain("<p>HTML</p>");
  });
});

describe("the daily SMS budget", () => {
  it("reserves atomically up to the budget and gives segments back", async () => {
    const small = env({ SMS_DAILY_BUDGET: "5" });
    const at = new Date("2026-11-23T10:00:00Z");
    const results = await Promise.all([1, 2, 3, 4].map(() => reserveSmsBudget(2, small, at)));
    expect(results.filter((r) => r.allowed)).toHaveLength(2);
    const refused = results.find((r) => !r.allowed)!;
    expect(refused).toMatchObject({ used: 4, budget: 5, day: "2026-11-23" });
    expect((await reserveSmsBudget(1, small, at)).allowed).toBe(true);
    expect((await reserveSmsBudget(1, small, at)).allowed).toBe(false);
    await releaseSmsBudget("2026-11-23", 2);
    expect((await reserveSmsBudget(2, small, at)).allowed).toBe(true);
    // Another day starts with a full budget; a message larger than the budget never fits.
    expect((await reserveSmsBudget(5, small, new Date("2026-11-24T10:00:00Z"))).allowed).toBe(true);
    expect((await reserveSmsBudget(6, small, new Date("2026-11-25T10:00:00Z"))).allowed).toBe(false);
  });

  it("compares numbers as numbers: 2 segments fit in a budget of 1,000,000", async () => {
    // Untyped parameters compared with each other are text in PostgreSQL, where "2" > "1000000".
    const large = env({ SMS_DAILY_BUDGET: "1000000" });
    const reservation = await reserveSmsBudget(2, large, new Date("2026-12-01T10:00:00Z"));
    expect(reservation).toMatchObject({ allowed: true, used: 2, budget: 1_000_000 });
    expect((await reserveSmsBudget(19, large, new Date("2026-12-01T10:00:00Z"))).used).toBe(21);
  });

  it("counts a reserved SMS once when it is sent", async () => {
    const outbox = env();
    await reserveSmsBudget(1, outbox);
    await sendSms(
      { userId: null, to: "+32470123456", text: "Hallo", purpose: "digest", reference: "d2:sms" },
      { env: outbox, budgetReserved: true },
    );
    const usage = await prisma.smsUsage.findUniqueOrThrow({ where: { day: brusselsDay() } });
    expect(usage).toMatchObject({ segments: 1, messages: 1 });
  });
});

describe("pacing across processes", () => {
  it("hands out moments 1/rate apart, whoever asks", async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const slots = await Promise.all(
      Array.from({ length: 5 }, () => reserveSendSlot("test-provider", 10, sleep)),
    );
    const times = slots.map((slot) => slot.getTime()).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(99);
    // The last of five at 10 per second waits about 400 ms.
    expect(Math.max(...waits)).toBeGreaterThan(250);
  });
});
