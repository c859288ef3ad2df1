/**
 * The SMS receipt webhooks over real HTTP, mounted in the real Express app (createApp): receipts signed by
 * the test gateway (tests/support/sms-gateway.ts signs independently of receipts.server.ts) move deliveries
 * forward only; a bad signature or a stale timestamp is refused with 403 and logged without the body; an
 * unknown message answers 204 like a known one; the origin and CSRF checks do not stand in the way.
 */
import { createHmac, randomBytes } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "../app/db.server";
import { type Env, parseEnv } from "../app/env.server";
import { personalDataIndex, sealPersonalData } from "../app/modules/channels/keys.server";
import { closeTransports } from "../app/modules/channels/transports.server";
import { deliverDigest } from "../app/modules/digests/deliver.server";
import { buildDigestDelivery, buildUser } from "../tests/factories";
import { setupTestDatabase } from "../tests/setup/database";
import { startSmsGateway, type SmsGateway } from "../tests/support/sms-gateway";
import { createApp } from "./app";

setupTestDatabase();

const TWILIO = { accountSid: `AC${"c3".repeat(16)}`, authToken: "twilio-auth-token-webhooks" };
const GATEWAY = { token: "gateway-token", webhookSecret: "gateway-webhook-secret-4567" };
const PHONE = "+32470987654";

const logLines: string[] = [];
const logger = pino(
  { level: "info" },
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString("utf8"));
      callback();
    },
  }),
);

let gateway: SmsGateway;
let server: http.Server;
let appUrl: string;
let env: Env;
beforeAll(async () => {
  gateway = await startSmsGateway({ twilio: TWILIO, http: GATEWAY });
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  env = parseEnv({
    NODE_ENV: "test",
    APP_URL: appUrl,
    SMS_PROVIDER: "http",
    SMS_GATEWAY_URL: gateway.httpUrl,
    SMS_GATEWAY_TOKEN: GATEWAY.token,
    SMS_GATEWAY_WEBHOOK_SECRET: GATEWAY.webhookSecret,
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    SMS_RATE_PER_SECOND: "100",
  } as NodeJS.ProcessEnv);
  server.on("request", createApp({ env, logger }));
});
afterAll(async () => {
  closeTransports();
  await gateway.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  logLines.length = 0;
});

/** An SMS digest sent through the gateway: its delivery row and the gateway's message. */
async function sentSms() {
  const user = await buildUser({ isFieldWorker: true });
  await prisma.personalContact.create({
    data: {
      userId: user.id,
      kind: "phone",
      valueEncrypted: sealPersonalData(PHONE, { purpose: "contact:phone", userId: user.id }),
      valueIndex: personalDataIndex(PHONE),
      masked: "+32 4•• •• •• 54",
      verifiedAt: new Date(),
    },
  });
  await prisma.consentEvent.create({
    data: {
      userId: user.id,
      purpose: "digest_sms",
      granted: true,
      method: "self",
      textVersion: "t",
      createdAt: new Date(Date.now() - 1000),
    },
  });
  const { delivery } = await buildDigestDelivery({ userId: user.id, channel: "sms" });
  expect((await deliverDigest(delivery.id, { env })).result).toBe("sent");
  const message = gateway.messages.find((m) => m.reference === delivery.idempotencyKey)!;
  return { delivery, message };
}

const statusOf = async (id: string) =>
  (await prisma.digestDelivery.findUniqueOrThrow({ where: { id } })).status;

/** Posts a gateway receipt signed (or not) by the test itself. */
async function postGatewayReceipt(
  body: string,
  options: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", options.secret ?? GATEWAY.webhookSecret)
    .update(`${timestamp}.${body}`)
    .digest("hex");
  const response = await fetch(`${appUrl}/webhooks/sms/http`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Gateway-Timestamp": timestamp,
      "X-Gateway-Signature": signature,
      ...options.headers,
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

function twilioSign(url: string, params: Record<string, string>, token = TWILIO.authToken): string {
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + params[key];
  return createHmac("sha1", token).update(data).digest("base64");
}

async function postTwilioReceipt(query: string, params: Record<string, string>, token?: string) {
  const path = `/webhooks/sms/twilio${query}`;
  const response = await fetch(`${appUrl}${path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Twilio-Signature": twilioSign(`${appUrl}${path}`, params, token),
    },
    body: new URLSearchParams(params),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("receipts of the HTTP gateway", () => {
  it("marks the delivery delivered, and a later 'sent' or 'failed' does not move it back", async () => {
    const { delivery, message } = await sentSms();
    expect(message.callbackUrl).toBe(`${appUrl}/webhooks/sms/http`);
    expect(await gateway.sendReceipt(message.id, "delivered")).toBe(204);
    const delivered = await prisma.digestDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(delivered.status).toBe("delivered");
    expect(delivered.deliveredAt).not.toBeNull();
    expect(await gateway.sendReceipt(message.id, "sent")).toBe(204);
    expect(await gateway.sendReceipt(message.id, "failed", { errorCode: "unreachable" })).toBe(204);
    expect(await statusOf(delivery.id)).toBe("delivered");
  });

  it("records a failure with the provider's code, and keeps opened as it is", async () => {
    const failing = await sentSms();
    expect(await gateway.sendReceipt(failing.message.id, "failed", { errorCode: "30003" })).toBe(204);
    const failed = await prisma.digestDelivery.findUniqueOrThrow({ where: { id: failing.delivery.id } });
    expect(failed).toMatchObject({
      status: "failed",
      lastError: "provider receipt: failed (provider code 30003)",
    });

    const opened = await sentSms();
    await prisma.digestDelivery.update({ where: { id: opened.delivery.id }, data: { status: "opened" } });
    expect(await gateway.sendReceipt(opened.message.id, "delivered")).toBe(204);
    expect(await statusOf(opened.delivery.id)).toBe("opened");
  });

  it("refuses a wrong signature or a stale timestamp with 403 and logs no body", async () => {
    const { delivery, message } = await sentSms();
    expect(await gateway.sendReceipt(message.id, "delivered", { signingKey: "not-the-secret-at-all" })).toBe(
      403,
    );
    expect(
      await gateway.sendReceipt(message.id, "delivered", { signedAt: new Date(Date.now() - 10 * 60_000) }),
    ).toBe(403);
    expect(await statusOf(delivery.id)).toBe("sent");
    const warnings = logLines.filter((line) => line.includes("bad signature"));
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings.join("")).not.toContain(message.id);
    expect(logLines.join("")).not.toContain(PHONE);
  });

  it("answers 204 for a message it does not know, 400 for a signed receipt it cannot read", async () => {
    const unknown = JSON.stringify({
      id: `gw-${randomBytes(6).toString("hex")}`,
      status: "delivered",
      timestamp: new Date().toISOString(),
    });
    expect(await postGatewayReceipt(unknown)).toBe(204);
    expect(await postGatewayReceipt(JSON.stringify({ id: "x", status: "exploded" }))).toBe(400);
    expect(await postGatewayReceipt("not json")).toBe(400);
  });

  it("is not stopped by the origin check that guards the browser's requests", async () => {
    const { delivery, message } = await sentSms();
    const body = JSON.stringify({ id: message.id, status: "delivered", timestamp: new Date().toISOString() });
    expect(await postGatewayReceipt(body, { headers: { Origin: "https://elders.example" } })).toBe(204);
    expect(await statusOf(delivery.id)).toBe("delivered");
  });
});

describe("receipts of Twilio", () => {
  it("verifies the signature over the public URL with our ?ref= and applies the status", async () => {
    const user = await buildUser();
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const { delivery } = await buildDigestDelivery({
      userId: user.id,
      channel: "sms",
      delivery: { status: "sent", providerMessageId: sid, sentAt: new Date() },
    });
    const params = { MessageSid: sid, MessageStatus: "delivered", AccountSid: TWILIO.accountSid, To: PHONE };
    const query = `?ref=${encodeURIComponent(delivery.idempotencyKey)}`;
    expect(await postTwilioReceipt(query, params, "wrong-token")).toBe(403);
    expect(await statusOf(delivery.id)).toBe("sent");
    expect(await postTwilioReceipt(query, params)).toBe(204);
    expect(await statusOf(delivery.id)).toBe("delivered");
    // Steps before the carrier ("queued", "sending") are acknowledged and change nothing.
    expect(await postTwilioReceipt(query, { ...params, MessageStatus: "sending" })).toBe(204);
    expect(await statusOf(delivery.id)).toBe("delivered");
  });

  it("finds the delivery by our reference when the receipt beats our own update", async () => {
    const user = await buildUser();
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const { delivery } = await buildDigestDelivery({
      userId: user.id,
      channel: "sms",
      delivery: { status: "sending", sendingAt: new Date() },
    });
    const query = `?ref=${encodeURIComponent(delivery.idempotencyKey)}`;
    expect(await postTwilioReceipt(query, { MessageSid: sid, MessageStatus: "sent" })).toBe(204);
    const row = await prisma.digestDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(row).toMatchObject({ status: "sent", providerMessageId: sid });
  });
});
