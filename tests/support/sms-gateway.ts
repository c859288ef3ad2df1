/**
 * A local HTTP server (node:http on 127.0.0.1, a free port) that plays both SMS providers for the tests:
 *
 * - Twilio: POST /2010-04-01/Accounts/{sid}/Messages.json, basic auth, form fields; answers like Twilio
 *   (201 with the Message resource, errors as { code, message, more_info, status });
 * - the generic JSON gateway of app/modules/channels/sms-http.server.ts: POST /v1/messages, bearer token,
 *   deduplicating on Idempotency-Key as the contract requires.
 *
 * It records every request, checks credentials, and can be scripted to answer the next requests with a
 * refusal, 429 with Retry-After, a 5xx, an answer without id, or no answer at all (a hang). It also sends
 * delivery receipts to the callback URL of a message it accepted, signed as each provider signs them. The
 * signatures are computed here independently of receipts.server.ts, so a test of one against the other is
 * not circular (the Twilio one is also checked against Twilio's published example).
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";

export type GatewayReply =
  | { kind: "accept" }
  | { kind: "reject"; status?: number; code?: string | number; message?: string }
  | { kind: "rate-limit"; retryAfter?: string }
  | { kind: "server-error"; status?: number }
  | { kind: "no-id" }
  /** Twilio only: a 201 whose Message resource already says "failed", as Twilio does for some refusals. */
  | { kind: "failed-on-create"; errorCode: number }
  | { kind: "hang" };

export type Provider = "twilio" | "http";

export type RecordedRequest = {
  provider: Provider | "unknown";
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  authorized: boolean;
};

export type GatewayMessage = {
  provider: Provider;
  id: string;
  to: string;
  text: string;
  from?: string;
  messagingServiceSid?: string;
  reference?: string;
  callbackUrl?: string;
};

export type SmsGatewayOptions = {
  twilio: { accountSid: string; authToken: string };
  http: { token: string; webhookSecret: string };
};

export type ReceiptOptions = {
  errorCode?: string;
  /** When the gateway signs the receipt (and, for the JSON gateway, the timestamp in the body). */
  signedAt?: Date;
  /** Signs with this Twilio auth token or gateway secret instead of the right one. */
  signingKey?: string;
};

export type SmsGateway = {
  /** Base URL for the Twilio sender. */
  baseUrl: string;
  /** Send endpoint for the generic HTTP sender. */
  httpUrl: string;
  requests: RecordedRequest[];
  messages: GatewayMessage[];
  /** The next requests (of either provider) get these answers, in order; then everything is accepted. */
  script(...replies: GatewayReply[]): void;
  /** Posts a delivery receipt for an accepted message to its callback URL; resolves with the HTTP status. */
  sendReceipt(messageId: string, status: string, options?: ReceiptOptions): Promise<number>;
  close(): Promise<void>;
};

const TWILIO_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const HTTP_PATH = "/v1/messages";

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

function twilioError(
  response: ServerResponse,
  status: number,
  code: number | string,
  message: string,
  headers = {},
) {
  sendJson(
    response,
    status,
    { code: Number(code), message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    headers,
  );
}

function twilioSign(authToken: string, url: string, params: Record<string, string>): string {
  let data = url;
  for (const key of Object.keys(params).sort()) data += key + params[key];
  return createHmac("sha1", authToken).update(data).digest("base64");
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the gateway; close it in afterAll. */
export async function startSmsGateway(options: SmsGatewayOptions): Promise<SmsGateway> {
  const requests: RecordedRequest[] = [];
  const messages: GatewayMessage[] = [];
  const replies: GatewayReply[] = [];
  const idempotency = new Map<string, { id: string; bodyHash: string }>();
  const twilioAuth = `Basic ${Buffer.from(`${options.twilio.accountSid}:${options.twilio.authToken}`).toString("base64")}`;

  // Answers a scripted reply in the provider's own dialect; false when the request goes on normally.
  function applyScript(provider: Provider, response: ServerResponse): boolean {
    const reply = replies.shift();
    if (!reply || reply.kind === "accept") return false;
    switch (reply.kind) {
      case "hang":
        return true; // never answered; close() drops the connection
      case "failed-on-create":
        if (provider !== "twilio") throw new Error("failed-on-create is a Twilio reply");
        sendJson(response, 201, {
          sid: `SM${randomBytes(16).toString("hex")}`,
          status: "failed",
          error_code: reply.errorCode,
        });
        return true;
      case "no-id":
        sendJson(response, provider === "twilio" ? 201 : 200, { status: "queued" });
        return true;
      case "rate-limit": {
        const headers: Record<string, string> = reply.retryAfter ? { "Retry-After": reply.retryAfter } : {};
        if (provider === "twilio") twilioError(response, 429, 20429, "Too Many Requests", headers);
        else sendJson(response, 429, { code: "rate_limited", message: "Too many requests" }, headers);
        return true;
      }
      case "server-error": {
        const status = reply.status ?? 500;
        if (provider === "twilio") twilioError(response, status, 20500, "Internal Server Error");
        else sendJson(response, status, { code: "internal", message: "Internal error" });
        return true;
      }
      case "reject": {
        const status = reply.status ?? 400;
        const message = reply.message ?? "Refused";
        if (provider === "twilio") twilioError(response, status, reply.code ?? 21211, message);
        else sendJson(response, status, { code: String(reply.code ?? "invalid_request"), message });
        return true;
      }
    }
  }

  function handleTwilio(record: RecordedRequest, accountSid: string, response: ServerResponse) {
    record.authorized =
      record.headers.authorization === twilioAuth && accountSid === options.twilio.accountSid;
    if (!record.authorized) return twilioError(response, 401, 20003, "Authenticate");
    if (applyScript("twilio", response)) return;
    const form = new URLSearchParams(record.body);
    const to = form.get("To") ?? "";
    const text = form.get("Body") ?? "";
    const from = form.get("From") ?? undefined;
    const messagingServiceSid = form.get("MessagingServiceSid") ?? undefined;
    if (!/^\+[1-9]\d{6,14}$/.test(to)) {
      return twilioError(response, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    if (!from && !messagingServiceSid) {
      return twilioError(response, 400, 21603, "A 'From' phone number is required.");
    }
    if (text === "") return twilioError(response, 400, 21602, "Message body is required.");
    const id = `SM${randomBytes(16).toString("hex")}`;
    const callbackUrl = form.get("StatusCallback") ?? undefined;
    messages.push({
      provider: "twilio",
      id,
      to,
      text,
      ...(from ? { from } : {}),
      ...(messagingServiceSid ? { messagingServiceSid } : {}),
      ...(callbackUrl ? { callbackUrl } : {}),
    });
    sendJson(response, 201, {
      sid: id,
      account_sid: accountSid,
      to,
      from: from ?? null,
      messaging_service_sid: messagingServiceSid ?? null,
      body: text,
      status: messagingServiceSid ? "accepted" : "queued",
      num_segments: "1",
      direction: "outbound-api",
      api_version: "2010-04-01",
      date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${id}.json`,
    });
  }

  function handleHttp(record: RecordedRequest, response: ServerResponse) {
    record.authorized = record.headers.authorization === `Bearer ${options.http.token}`;
    if (!record.authorized) return sendJson(response, 401, { code: "unauthorized", message: "Bad token" });
    if (applyScript("http", response)) return;
    const body = parseJsonObject(record.body);
    const to = typeof body?.to === "string" ? body.to : "";
    const text = typeof body?.text === "string" ? body.text : "";
    const reference = typeof body?.reference === "string" ? body.reference : undefined;
    const callbackUrl = typeof body?.callbackUrl === "string" ? body.callbackUrl : undefined;
    if (!/^\+[1-9]\d{6,14}$/.test(to)) {
      return sendJson(response, 400, { code: "invalid_recipient", message: "to is not an E.164 number" });
    }
    if (text === "") return sendJson(response, 400, { code: "invalid_text", message: "text is empty" });
    const key = record.headers["idempotency-key"];
    const bodyHash = createHash("sha256").update(record.body).digest("hex");
    if (typeof key === "string") {
      const earlier = idempotency.get(key);
      if (earlier && earlier.bodyHash !== bodyHash) {
        return sendJson(response, 422, {
          code: "idempotency_mismatch",
          message: "Key reused with another body",
        });
      }
      if (earlier) return sendJson(response, 200, { id: earlier.id });
    }
    const id = `gw-${randomBytes(8).toString("hex")}`;
    if (typeof key === "string") idempotency.set(key, { id, bodyHash });
    messages.push({
      provider: "http",
      id,
      to,
      text,
      ...(reference ? { reference } : {}),
      ...(callbackUrl ? { callbackUrl } : {}),
    });
    sendJson(response, 201, { id });
  }

  const server = http.createServer((request, response) => {
    readBody(request).then(
      (body) => {
        const path = new URL(request.url ?? "/", "http://gateway.invalid").pathname;
        const twilio = TWILIO_PATH.exec(path);
        const provider: RecordedRequest["provider"] = twilio
          ? "twilio"
          : path === HTTP_PATH
            ? "http"
            : "unknown";
        const record: RecordedRequest = { provider, path, headers: request.headers, body, authorized: false };
        requests.push(record);
        if (request.method !== "POST") return sendJson(response, 405, { message: "Method not allowed" });
        if (twilio) return handleTwilio(record, decodeURIComponent(twilio[1] ?? ""), response);
        if (provider === "http") return handleHttp(record, response);
        sendJson(response, 404, { message: "Not found" });
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("SMS gateway has no TCP address");
  const baseUrl = `http://127.0.0.1:${address.port}`;

  async function sendReceipt(
    messageId: string,
    status: string,
    receipt: ReceiptOptions = {},
  ): Promise<number> {
    const message = messages.find((m) => m.id === messageId);
    if (!message?.callbackUrl) throw new Error(`no accepted message ${messageId} with a callback URL`);
    const signedAt = receipt.signedAt ?? new Date();
    if (message.provider === "twilio") {
      const params: Record<string, string> = {
        AccountSid: options.twilio.accountSid,
        ApiVersion: "2010-04-01",
        From: message.from ?? "+32460000000",
        MessageSid: message.id,
        MessageStatus: status,
        SmsSid: message.id,
        SmsStatus: status,
        To: message.to,
        ...(receipt.errorCode ? { ErrorCode: receipt.errorCode } : {}),
      };
      const signature = twilioSign(
        receipt.signingKey ?? options.twilio.authToken,
        message.callbackUrl,
        params,
      );
      const response = await fetch(message.callbackUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature },
        body: new URLSearchParams(params),
      });
      await response.arrayBuffer();
      return response.status;
    }
    const body = JSON.stringify({
      id: message.id,
      ...(message.reference ? { reference: message.reference } : {}),
      status,
      ...(receipt.errorCode ? { errorCode: receipt.errorCode } : {}),
      timestamp: signedAt.toISOString(),
    });
    const timestamp = String(Math.floor(signedAt.getTime() / 1000));
    const signature = createHmac("sha256", receipt.signingKey ?? options.http.webhookSecret)
      .update(`${timestamp}.${body}`)
      .digest("hex");
    const response = await fetch(message.callbackUrl, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Gateway-Timestamp": timestamp,
        "X-Gateway-Signature": signature,
      },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  }

  return {
    baseUrl,
    httpUrl: `${baseUrl}${HTTP_PATH}`,
    requests,
    messages,
    script: (...next) => void replies.push(...next),
    sendReceipt,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests keep their sockets open; without this, close() would wait for them forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
