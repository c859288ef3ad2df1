import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closedPort } from "../../../tests/support/smtp-receiver";
import { startSmsGateway, type SmsGateway } from "../../../tests/support/sms-gateway";
import { DeliveryError, parseRetryAfter, type SmsInput, type SmsSender } from "./delivery";
import { createHttpSmsSender } from "./sms-http.server";
import { createTwilioSmsSender } from "./sms-twilio.server";

const ACCOUNT_SID = `AC${"a1".repeat(16)}`;
const AUTH_TOKEN = "twilio-test-token";
const SERVICE_SID = `MG${"b2".repeat(16)}`;
const HTTP_TOKEN = "gateway-test-token";
const TIMEOUT_MS = 400;

let gateway: SmsGateway;
beforeAll(async () => {
  gateway = await startSmsGateway({
    twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN },
    http: { token: HTTP_TOKEN, webhookSecret: "unused-here" },
  });
});
afterAll(async () => {
  await gateway.close();
});

let counter = 0;
function sms(overrides: Partial<SmsInput> = {}): SmsInput {
  counter += 1;
  return {
    to: "+32470123456",
    text: "Werkplek: 2 nieuwe circulaires voor jou. Lees ze op https://werkplek.stad.gent/d/Xy12",
    reference: `dlv_${counter}.sms`,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

const senders: Record<"twilio" | "http", (timeoutMs?: number) => SmsSender> = {
  twilio: (timeoutMs = TIMEOUT_MS) =>
    createTwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: "StadGent",
      statusCallbackUrl: "https://werkplek.stad.gent/webhooks/sms/twilio",
      baseUrl: gateway.baseUrl,
      timeoutMs,
    }),
  http: (timeoutMs = TIMEOUT_MS) =>
    createHttpSmsSender({
      url: gateway.httpUrl,
      token: HTTP_TOKEN,
      callbackUrl: "https://werkplek.stad.gent/webhooks/sms/gateway",
      timeoutMs,
    }),
};

describe("Twilio sender", () => {
  it("posts Twilio's form with basic auth and returns the message SID", async () => {
    const input = sms();
    const result = await senders.twilio().send(input);
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);

    const request = gateway.requests.at(-1)!;
    expect(request).toMatchObject({ provider: "twilio", authorized: true });
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(request.body);
    expect(form.get("To")).toBe(input.to);
    expect(form.get("From")).toBe("StadGent");
    expect(form.get("Body")).toBe(input.text);
    expect(form.has("MessagingServiceSid")).toBe(false);
    expect(form.get("StatusCallback")).toBe(
      `https://werkplek.stad.gent/webhooks/sms/twilio?ref=${encodeURIComponent(input.reference)}`,
    );
    expect(gateway.messages.at(-1)).toMatchObject({
      id: result.providerMessageId,
      to: input.to,
      text: input.text,
    });
  });

  it("sends through a messaging service instead of a From number", async () => {
    const sender = createTwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      messagingServiceSid: SERVICE_SID,
      baseUrl: gateway.baseUrl,
    });
    await sender.send(sms());
    const form = new URLSearchParams(gateway.requests.at(-1)!.body);
    expect(form.get("MessagingServiceSid")).toBe(SERVICE_SID);
    expect(form.has("From")).toBe(false);
    expect(form.has("StatusCallback")).toBe(false);
  });

  it("maps Twilio's error code for an invalid number to a permanent invalid_recipient", async () => {
    gateway.script({ kind: "reject", status: 400, code: 21211, message: "The 'To' number is not valid." });
    const error = await failure(senders.twilio().send(sms()));
    expect(error).toMatchObject({
      kind: "permanent",
      code: "invalid_recipient",
      status: 400,
      providerCode: "21211",
    });
    expect(error.message).toContain("The 'To' number is not valid.");
  });

  it("maps a recipient who replied STOP to recipient_opted_out", async () => {
    gateway.script({
      kind: "reject",
      status: 400,
      code: 21610,
      message: "Attempt to send to unsubscribed recipient",
    });
    const error = await failure(senders.twilio().send(sms()));
    expect(error).toMatchObject({ kind: "permanent", code: "recipient_opted_out", providerCode: "21610" });
  });

  it("treats a wrong auth token as transient provider_auth", async () => {
    const sender = createTwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: "wrong",
      from: "+32460000000",
      baseUrl: gateway.baseUrl,
    });
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({
      kind: "transient",
      code: "provider_auth",
      status: 401,
      providerCode: "20003",
    });
    expect(gateway.requests.at(-1)!.authorized).toBe(false);
  });

  it("refuses a 201 whose Message resource already says failed", async () => {
    gateway.script({ kind: "failed-on-create", errorCode: 30007 });
    const error = await failure(senders.twilio().send(sms()));
    expect(error).toMatchObject({ kind: "permanent", code: "message_rejected", providerCode: "30007" });
  });
});

describe("HTTP gateway sender", () => {
  it("posts the JSON contract with a bearer token and the reference as Idempotency-Key", async () => {
    const input = sms();
    const result = await senders.http().send(input);
    expect(result.providerMessageId).toMatch(/^gw-[0-9a-f]{16}$/);
    const request = gateway.requests.at(-1)!;
    expect(request).toMatchObject({ provider: "http", authorized: true });
    expect(request.headers["idempotency-key"]).toBe(input.reference);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({
      to: input.to,
      text: input.text,
      reference: input.reference,
      callbackUrl: "https://werkplek.stad.gent/webhooks/sms/gateway",
    });
  });

  it("makes a retried send recognisable: the same reference gets the same id and no second SMS", async () => {
    const input = sms();
    const sender = senders.http();
    const first = await sender.send(input);
    const messagesAfterFirst = gateway.messages.length;
    const second = await sender.send(input);
    expect(second.providerMessageId).toBe(first.providerMessageId);
    expect(gateway.messages).toHaveLength(messagesAfterFirst);
  });

  it("treats a gateway refusal with its code invalid_recipient as permanent", async () => {
    gateway.script({ kind: "reject", status: 422, code: "invalid_recipient", message: "Unknown number" });
    const error = await failure(senders.http().send(sms()));
    expect(error).toMatchObject({ kind: "permanent", code: "invalid_recipient", status: 422 });
  });

  it("reads Retry-After given as an HTTP-date", async () => {
    const at = new Date(Date.now() + 30_000);
    gateway.script({ kind: "rate-limit", retryAfter: at.toUTCString() });
    const error = await failure(senders.http().send(sms()));
    expect(error).toMatchObject({ kind: "transient", code: "rate_limited", status: 429 });
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it("treats a wrong token as transient provider_auth", async () => {
    const sender = createHttpSmsSender({ url: gateway.httpUrl, token: "wrong" });
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({ kind: "transient", code: "provider_auth", status: 401 });
  });
});

describe.each(["twilio", "http"] as const)("%s sender, shared failure paths", (provider) => {
  let sender: SmsSender;
  beforeEach(() => {
    sender = senders[provider]();
  });

  it("treats 400 as permanent", async () => {
    gateway.script({ kind: "reject", status: 400, code: provider === "twilio" ? 21602 : "invalid_text" });
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({
      kind: "permanent",
      code: "message_rejected",
      status: 400,
      maybeSent: false,
    });
  });

  it("treats 429 as transient with the Retry-After delay", async () => {
    gateway.script({ kind: "rate-limit", retryAfter: "3" });
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({ kind: "transient", code: "rate_limited", status: 429, retryAfterMs: 3000 });
  });

  it("treats 429 without Retry-After as transient without a delay", async () => {
    gateway.script({ kind: "rate-limit" });
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({ kind: "transient", code: "rate_limited" });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it.each([500, 503])("treats %i as transient, possibly sent", async (status) => {
    gateway.script({ kind: "server-error", status });
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({ kind: "transient", code: "provider_error", status, maybeSent: true });
  });

  it("gives up on a gateway that does not answer within the timeout, as transient", async () => {
    gateway.script({ kind: "hang" });
    const started = Date.now();
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({ kind: "transient", code: "timeout", maybeSent: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("treats a success answer without an id as transient invalid_response", async () => {
    gateway.script({ kind: "no-id" });
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({ kind: "transient", code: "invalid_response", maybeSent: true });
  });

  it.each<[string, Partial<SmsInput>, string]>([
    ["a national number", { to: "0470123456" }, "invalid_recipient"],
    ["a number with spaces", { to: "+32 470 12 34 56" }, "invalid_recipient"],
    ["an empty text", { text: "  " }, "invalid_message"],
    ["a text over 1,600 characters", { text: "a".repeat(1601) }, "invalid_message"],
    ["a reference with a line break", { reference: "dlv_1\r\nX-Evil: 1" }, "invalid_message"],
    ["an empty reference", { reference: "" }, "invalid_message"],
  ])("refuses %s before any request", async (_label, overrides, code) => {
    const before = gateway.requests.length;
    const error = await failure(sender.send(sms(overrides)));
    expect(error).toMatchObject({ kind: "permanent", code });
    expect(gateway.requests).toHaveLength(before);
  });
});

describe.each(["twilio", "http"] as const)("%s sender, unreachable", (provider) => {
  it("reports a refused connection as transient and certainly not sent", async () => {
    const port = await closedPort();
    const sender =
      provider === "twilio"
        ? createTwilioSmsSender({
            accountSid: ACCOUNT_SID,
            authToken: AUTH_TOKEN,
            from: "StadGent",
            baseUrl: `http://127.0.0.1:${port}`,
          })
        : createHttpSmsSender({ url: `http://127.0.0.1:${port}/v1/messages`, token: HTTP_TOKEN });
    const error = await failure(sender.send(sms()));
    expect(error).toMatchObject({ kind: "transient", code: "network", maybeSent: false });
  });
});

describe("sender configuration", () => {
  const twilio = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: "StadGent" };
  it.each<[string, Parameters<typeof createTwilioSmsSender>[0]]>([
    ["a malformed account SID", { ...twilio, accountSid: "AC123" }],
    ["an empty token", { ...twilio, authToken: "" }],
    ["both from and a messaging service", { ...twilio, messagingServiceSid: SERVICE_SID }],
    ["neither from nor a messaging service", { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }],
    ["a sender ID over 11 characters", { ...twilio, from: "StadGentWerkplek" }],
    [
      "a malformed messaging service SID",
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: "MG1" },
    ],
    ["a non-http callback", { ...twilio, statusCallbackUrl: "ftp://werkplek.stad.gent/x" }],
    ["a zero timeout", { ...twilio, timeoutMs: 0 }],
  ])("Twilio refuses %s", (_label, config) => {
    expect(() => createTwilioSmsSender(config)).toThrow(TypeError);
  });

  it.each<[string, Parameters<typeof createHttpSmsSender>[0]]>([
    ["a URL that is none", { url: "gateway", token: "t" }],
    ["a token with a line break", { url: "https://sms.example.be/v1/messages", token: "t\r\nX: y" }],
    ["an empty token", { url: "https://sms.example.be/v1/messages", token: "" }],
    [
      "a non-http callback",
      { url: "https://sms.example.be/v1/messages", token: "t", callbackUrl: "mailto:x@y.be" },
    ],
  ])("the HTTP gateway refuses %s", (_label, config) => {
    expect(() => createHttpSmsSender(config)).toThrow(TypeError);
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2025-03-30T00:59:00Z");
  it.each<[string | null, number | undefined]>([
    ["120", 120_000],
    ["0", 0],
    ["Sun, 30 Mar 2025 01:00:00 GMT", 60_000],
    ["Sun, 30 Mar 2025 00:00:00 GMT", 0],
    ["soon", undefined],
    ["-5", undefined],
    ["1.5", undefined],
    [null, undefined],
  ])("reads %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
