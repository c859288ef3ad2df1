import { createHmac } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmsGateway, type SmsGateway } from "../../../tests/support/sms-gateway";
import {
  type DeliveryReceipt,
  parseGatewayReceipt,
  parseTwilioReceipt,
  ReceiptError,
  verifyHttpGatewaySignature,
  verifyTwilioSignature,
} from "./receipts.server";
import { createHttpSmsSender } from "./sms-http.server";
import { createTwilioSmsSender } from "./sms-twilio.server";

describe("verifyTwilioSignature", () => {
  // Twilio's published example (api-snippets, security/signature_validation): token 12345.
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = {
    CallSid: "CA1234567890ABCDE",
    Caller: "+14158675310",
    Digits: "1234",
    From: "+14158675310",
    To: "+18005551212",
  };
  const signature = "GvWf1cFY/Q7PnoempGyD5oXAezc=";

  it("accepts Twilio's published examples", () => {
    expect(verifyTwilioSignature({ authToken: "12345", url, params, signature })).toBe(true);
    const older = { ...params, Caller: "+14158675309", From: "+14158675309" };
    expect(
      verifyTwilioSignature({
        authToken: "12345",
        url,
        params: older,
        signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
      }),
    ).toBe(true);
  });

  it("does not depend on the order the parameters arrive in", () => {
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    expect(verifyTwilioSignature({ authToken: "12345", url, params: reversed, signature })).toBe(true);
  });

  it.each<[string, Partial<Parameters<typeof verifyTwilioSignature>[0]>]>([
    ["a changed parameter", { params: { ...params, Digits: "1235" } }],
    ["an added parameter", { params: { ...params, MessageStatus: "delivered" } }],
    ["another URL", { url: "https://mycompany.com/myapp.php?foo=1&bar=3" }],
    ["http instead of https", { url: url.replace("https:", "http:") }],
    ["another token", { authToken: "54321" }],
    ["an empty token", { authToken: "" }],
    ["a flipped signature character", { signature: "HvWf1cFY/Q7PnoempGyD5oXAezc=" }],
    ["a signature that is not base64 of 20 bytes", { signature: "GvWf1cFY" }],
    ["no signature", { signature: undefined }],
  ])("refuses %s", (_label, change) => {
    expect(verifyTwilioSignature({ authToken: "12345", url, params, signature, ...change })).toBe(false);
  });

  it("refuses a removed parameter", () => {
    const { Digits: _removed, ...rest } = params;
    expect(verifyTwilioSignature({ authToken: "12345", url, params: rest, signature })).toBe(false);
  });
});

describe("verifyHttpGatewaySignature", () => {
  const secret = "webhook-secret";
  const rawBody = JSON.stringify({ id: "gw-1", status: "delivered", timestamp: "2025-03-30T01:00:00+02:00" });
  const timestamp = "1743289200"; // 2025-03-29T23:00:00Z
  const now = new Date("2025-03-29T23:02:00Z");
  // The contract's HMAC-SHA256("{timestamp}.{body}") in hex, computed here rather than by the module.
  const signature = createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
  const valid = { secret, rawBody, signature, timestamp, now };

  it("accepts a fresh, correctly signed body, as a string or a Buffer, and an upper-case signature", () => {
    expect(verifyHttpGatewaySignature(valid)).toBe(true);
    expect(verifyHttpGatewaySignature({ ...valid, rawBody: Buffer.from(rawBody) })).toBe(true);
    expect(verifyHttpGatewaySignature({ ...valid, signature: signature.toUpperCase() })).toBe(true);
  });

  it.each<[string, Partial<Parameters<typeof verifyHttpGatewaySignature>[0]>]>([
    ["a tampered body", { rawBody: rawBody.replace("delivered", "failed") }],
    ["a body with an added space", { rawBody: `${rawBody} ` }],
    ["a tampered timestamp", { timestamp: "1743289201" }],
    ["another secret", { secret: "other-secret" }],
    ["an empty secret", { secret: "" }],
    ["a signature that is not hex", { signature: "z".repeat(64) }],
    ["a truncated signature", { signature: signature.slice(0, 63) }],
    ["a missing signature", { signature: null }],
    ["a missing timestamp", { timestamp: undefined }],
    ["a timestamp in milliseconds with a fraction", { timestamp: "1743289200.5" }],
    ["a negative timestamp", { timestamp: "-1743289200" }],
  ])("refuses %s", (_label, change) => {
    expect(verifyHttpGatewaySignature({ ...valid, ...change })).toBe(false);
  });

  it("refuses a replay outside the window, in the past or the future, and honours the tolerance", () => {
    const at = (iso: string) => new Date(iso);
    expect(verifyHttpGatewaySignature({ ...valid, now: at("2025-03-29T23:05:00Z") })).toBe(true);
    expect(verifyHttpGatewaySignature({ ...valid, now: at("2025-03-29T23:05:01Z") })).toBe(false);
    expect(verifyHttpGatewaySignature({ ...valid, now: at("2025-03-29T22:54:59Z") })).toBe(false);
    expect(
      verifyHttpGatewaySignature({ ...valid, now: at("2025-03-29T23:05:01Z"), toleranceSeconds: 600 }),
    ).toBe(true);
    expect(verifyHttpGatewaySignature({ ...valid, toleranceSeconds: 60 })).toBe(false);
  });
});

describe("parseTwilioReceipt", () => {
  const sid = `SM${"c3".repeat(16)}`;
  const receivedAt = new Date("2025-03-30T08:00:00Z");

  it.each([
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["read", "delivered"],
    ["undelivered", "failed"],
    ["failed", "failed"],
    ["canceled", "failed"],
  ] as const)("maps %s to %s", (twilioStatus, status) => {
    expect(parseTwilioReceipt({ MessageSid: sid, MessageStatus: twilioStatus }, { receivedAt })).toEqual({
      providerMessageId: sid,
      status,
      at: receivedAt,
    });
  });

  it("keeps the error code of a failed message and the reference from the callback URL", () => {
    const receipt = parseTwilioReceipt(
      { MessageSid: sid, MessageStatus: "undelivered", ErrorCode: "30003", AccountSid: "AC…" },
      { receivedAt, url: "https://werkplek.stad.gent/webhooks/sms/twilio?ref=dlv_9.sms" },
    );
    expect(receipt).toEqual({
      providerMessageId: sid,
      status: "failed",
      errorCode: "30003",
      at: receivedAt,
      reference: "dlv_9.sms",
    });
  });

  it("ignores an ErrorCode of 0 on a successful message", () => {
    expect(
      parseTwilioReceipt({ MessageSid: sid, MessageStatus: "delivered", ErrorCode: "0" }, { receivedAt }),
    ).toEqual({ providerMessageId: sid, status: "delivered", at: receivedAt });
  });

  it.each(["queued", "accepted", "sending", "scheduled"])(
    "returns null for the intermediate status %s",
    (status) => {
      expect(parseTwilioReceipt({ MessageSid: sid, MessageStatus: status })).toBeNull();
    },
  );

  it.each<[string, Record<string, string>]>([
    ["an unknown status", { MessageSid: sid, MessageStatus: "exploded" }],
    ["an inbound status", { MessageSid: sid, MessageStatus: "received" }],
    ["a missing status", { MessageSid: sid }],
    ["a missing SID", { MessageStatus: "delivered" }],
    ["a call SID", { MessageSid: `CA${"c3".repeat(16)}`, MessageStatus: "delivered" }],
    ["a non-numeric error code", { MessageSid: sid, MessageStatus: "failed", ErrorCode: "oops" }],
  ])("refuses %s", (_label, params) => {
    expect(() => parseTwilioReceipt(params)).toThrow(ReceiptError);
  });
});

describe("parseGatewayReceipt", () => {
  const base = {
    id: "gw-1",
    reference: "dlv_1.sms",
    status: "delivered",
    timestamp: "2025-03-30T03:00:00+02:00",
  };

  it("reads a receipt, keeping the provider's time and ignoring unknown fields", () => {
    expect(parseGatewayReceipt({ ...base, operator: "Proximus" })).toEqual({
      providerMessageId: "gw-1",
      status: "delivered",
      at: new Date("2025-03-30T01:00:00Z"),
      reference: "dlv_1.sms",
    });
    expect(parseGatewayReceipt({ ...base, status: "failed", errorCode: "absent_subscriber" })).toMatchObject({
      status: "failed",
      errorCode: "absent_subscriber",
    });
  });

  it.each<[string, unknown]>([
    ["an unknown status", { ...base, status: "exploded" }],
    ["an intermediate status", { ...base, status: "queued" }],
    ["a missing id", { ...base, id: undefined }],
    ["an empty id", { ...base, id: "" }],
    ["a timestamp that is not ISO", { ...base, timestamp: "30/03/2025 03:00" }],
    ["a reference with a line break", { ...base, reference: "a\nb" }],
    ["an array", [base]],
    ["null", null],
    ["a string", "delivered"],
  ])("refuses %s", (_label, json) => {
    expect(() => parseGatewayReceipt(json)).toThrow(ReceiptError);
  });
});

/**
 * End to end: a message goes out through a sender to the local gateway; the gateway posts a signed receipt
 * to a local webhook that does what the next session's route will do (verify, then parse).
 */
describe("receipts from the local gateway to a local webhook", () => {
  const ACCOUNT_SID = `AC${"d4".repeat(16)}`;
  const AUTH_TOKEN = "twilio-receipt-token";
  const SECRET = "gateway-webhook-secret";
  let gateway: SmsGateway;
  let webhook: http.Server;
  let webhookBase: string;
  // The webhook's clock: moved forward to provoke a replay refusal.
  let clockOffsetMs = 0;
  const received: DeliveryReceipt[] = [];

  beforeAll(async () => {
    gateway = await startSmsGateway({
      twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN },
      http: { token: "gateway-token", webhookSecret: SECRET },
    });
    webhook = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const rawBody = Buffer.concat(chunks);
        const path = new URL(request.url ?? "/", webhookBase).pathname;
        try {
          if (path === "/webhooks/sms/gateway") {
            const ok = verifyHttpGatewaySignature({
              secret: SECRET,
              rawBody,
              signature: request.headers["x-gateway-signature"]?.toString(),
              timestamp: request.headers["x-gateway-timestamp"]?.toString(),
              now: new Date(Date.now() + clockOffsetMs),
            });
            if (!ok) return void response.writeHead(401).end();
            received.push(parseGatewayReceipt(JSON.parse(rawBody.toString("utf8"))));
          } else if (path === "/webhooks/sms/twilio") {
            const url = `${webhookBase}${request.url ?? ""}`;
            const params = Object.fromEntries(new URLSearchParams(rawBody.toString("utf8")));
            const signature = request.headers["x-twilio-signature"]?.toString();
            if (!verifyTwilioSignature({ authToken: AUTH_TOKEN, url, params, signature })) {
              return void response.writeHead(403).end();
            }
            const receipt = parseTwilioReceipt(params, { url });
            if (receipt) received.push(receipt);
          } else {
            return void response.writeHead(404).end();
          }
          response.writeHead(204).end();
        } catch (error) {
          response.writeHead(error instanceof ReceiptError ? 400 : 500).end();
        }
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
    const address = webhook.address();
    if (address === null || typeof address === "string") throw new Error("webhook has no TCP address");
    webhookBase = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => webhook.close(() => resolve()));
    await gateway.close();
  });

  it("records the receipt of a message sent earlier through the HTTP gateway, and refuses forged or old ones", async () => {
    const sender = createHttpSmsSender({
      url: gateway.httpUrl,
      token: "gateway-token",
      callbackUrl: `${webhookBase}/webhooks/sms/gateway`,
    });
    const sent = await sender.send({
      to: "+32470111222",
      text: "Werkplek: nieuw voor jou.",
      reference: "dlv_77.sms",
    });

    expect(await gateway.sendReceipt(sent.providerMessageId!, "delivered")).toBe(204);
    expect(received.at(-1)).toMatchObject({
      providerMessageId: sent.providerMessageId,
      status: "delivered",
      reference: "dlv_77.sms",
    });
    const count = received.length;

    expect(await gateway.sendReceipt(sent.providerMessageId!, "delivered", { signingKey: "forged" })).toBe(
      401,
    );
    clockOffsetMs = 10 * 60_000;
    expect(await gateway.sendReceipt(sent.providerMessageId!, "delivered")).toBe(401);
    clockOffsetMs = 0;
    expect(await gateway.sendReceipt(sent.providerMessageId!, "lost-in-space")).toBe(400);
    expect(received).toHaveLength(count);

    expect(
      await gateway.sendReceipt(sent.providerMessageId!, "failed", { errorCode: "absent_subscriber" }),
    ).toBe(204);
    expect(received.at(-1)).toMatchObject({ status: "failed", errorCode: "absent_subscriber" });
  });

  it("records the receipt of a message sent through Twilio, signed over the callback URL with our reference", async () => {
    const sender = createTwilioSmsSender({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: "StadGent",
      baseUrl: gateway.baseUrl,
      statusCallbackUrl: `${webhookBase}/webhooks/sms/twilio`,
    });
    const sent = await sender.send({
      to: "+32470333444",
      text: "Werkplek: nieuw voor jou.",
      reference: "dlv_78.sms",
    });
    const count = received.length;

    expect(await gateway.sendReceipt(sent.providerMessageId!, "queued")).toBe(204);
    expect(received).toHaveLength(count);
    expect(await gateway.sendReceipt(sent.providerMessageId!, "undelivered", { errorCode: "30003" })).toBe(
      204,
    );
    expect(received.at(-1)).toMatchObject({
      providerMessageId: sent.providerMessageId,
      status: "failed",
      errorCode: "30003",
      reference: "dlv_78.sms",
    });
    expect(
      await gateway.sendReceipt(sent.providerMessageId!, "delivered", { signingKey: "not-the-token" }),
    ).toBe(403);
    expect(received).toHaveLength(count + 1);
  });
});
