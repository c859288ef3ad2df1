/**
 * Delivery receipts from the SMS providers, which arrive on our webhook: first prove the request comes from
 * the provider (a forged "delivered" would hide a digest that never arrived), then turn the provider's
 * format into one receipt shape for the delivery log.
 *
 * - Twilio signs with X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the full URL
 *   Twilio called (scheme, host, path and query) followed by every POST parameter, sorted by name, as
 *   name + value. Pass the URL exactly as it was configured as StatusCallback (the public one, not what an
 *   Express app behind a proxy sees), including our `?ref=`.
 * - The generic gateway signs with X-Gateway-Signature: hex HMAC-SHA256, keyed with the shared secret, of
 *   "{X-Gateway-Timestamp}.{raw body}"; a timestamp outside the tolerance is refused, so a captured receipt
 *   cannot be replayed later (see ./sms-http.server.ts for the whole contract).
 *
 * Both checks return a plain boolean and compare in constant time.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export type ReceiptStatus = "sent" | "delivered" | "failed";

export type DeliveryReceipt = {
  providerMessageId: string;
  status: ReceiptStatus;
  /** The provider's error code for a failed message (Twilio: 30003 unreachable, 30005 unknown number, …). */
  errorCode?: string;
  /** When the provider reported the status; Twilio does not say, so it is when we received it. */
  at: Date;
  /** Our delivery reference, when the provider echoes it (the gateway's body, Twilio's `?ref=`). */
  reference?: string;
};

/** A receipt we cannot use: malformed, or a status we do not know. The webhook answers it with 400. */
export class ReceiptError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ReceiptError";
  }
}

/** Compares two strings in time that depends only on their length, which is no secret (fixed by the scheme). */
function constantTimeEqual(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(actual, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Computes Twilio's X-Twilio-Signature for a form-encoded POST to `url`. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  // Twilio sorts by name as JavaScript's default sort does (code unit order, so case-sensitive).
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/** Verifies X-Twilio-Signature; false for a missing, malformed or wrong signature. */
export function verifyTwilioSignature(input: {
  authToken: string;
  url: string;
  params: Record<string, string>;
  signature: string | null | undefined;
}): boolean {
  if (!input.authToken || !input.signature) return false;
  if (!/^[A-Za-z0-9+/]{27}=$/.test(input.signature)) return false;
  return constantTimeEqual(twilioSignature(input.authToken, input.url, input.params), input.signature);
}

/** Verifies X-Gateway-Signature and X-Gateway-Timestamp; false when wrong, malformed or outside the window. */
export function verifyHttpGatewaySignature(input: {
  secret: string;
  rawBody: string | Buffer;
  signature: string | null | undefined;
  timestamp: string | null | undefined;
  now: Date;
  toleranceSeconds?: number;
}): boolean {
  const toleranceSeconds = input.toleranceSeconds ?? 300;
  if (!input.secret || !input.signature || !input.timestamp) return false;
  if (!/^\d{1,12}$/.test(input.timestamp) || !/^[0-9a-fA-F]{64}$/.test(input.signature)) return false;
  // Future timestamps too: a clock far ahead would otherwise make a receipt replayable for that long.
  const age = Math.abs(input.now.getTime() / 1000 - Number(input.timestamp));
  if (!(age <= toleranceSeconds)) return false;
  const expected = createHmac("sha256", input.secret)
    .update(`${input.timestamp}.`, "utf8")
    .update(typeof input.rawBody === "string" ? Buffer.from(input.rawBody, "utf8") : input.rawBody)
    .digest("hex");
  return constantTimeEqual(expected, input.signature.toLowerCase());
}

const TWILIO_FINAL_STATUSES: Record<string, ReceiptStatus> = {
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  failed: "failed",
  undelivered: "failed",
  canceled: "failed",
};
// Steps before the carrier has the message: nothing for the delivery log yet.
const TWILIO_INTERMEDIATE_STATUSES = new Set(["accepted", "scheduled", "queued", "sending"]);
const REFERENCE = /^[A-Za-z0-9._:-]{1,128}$/;

const TwilioReceiptSchema = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/),
  MessageStatus: z.string().min(1),
  ErrorCode: z
    .string()
    .regex(/^\d{0,10}$/)
    .optional(),
});

/**
 * Reads a Twilio status callback. Returns null for the steps before the carrier (queued, sending, …), and
 * throws a ReceiptError for a malformed callback or a status we do not know, so none is silently misfiled.
 */
export function parseTwilioReceipt(
  params: Record<string, string>,
  options: { receivedAt?: Date; url?: string } = {},
): DeliveryReceipt | null {
  const parsed = TwilioReceiptSchema.safeParse(params);
  if (!parsed.success) throw new ReceiptError("Twilio receipt is malformed", { cause: parsed.error });
  const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
  if (TWILIO_INTERMEDIATE_STATUSES.has(MessageStatus)) return null;
  const status = TWILIO_FINAL_STATUSES[MessageStatus];
  if (!status) throw new ReceiptError(`Twilio receipt has an unknown status "${MessageStatus}"`);

  let reference: string | undefined;
  if (options.url !== undefined) {
    const ref = URL.canParse(options.url) ? new URL(options.url).searchParams.get("ref") : null;
    if (ref !== null && REFERENCE.test(ref)) reference = ref;
  }
  return {
    providerMessageId: MessageSid,
    status,
    // Twilio sends ErrorCode on every callback of some accounts, empty or "0" when there is no error.
    ...(ErrorCode && ErrorCode !== "0" && status === "failed" ? { errorCode: ErrorCode } : {}),
    at: options.receivedAt ?? new Date(),
    ...(reference ? { reference } : {}),
  };
}

// Unknown fields are ignored: a gateway may add some without breaking receipts.
const GatewayReceiptSchema = z.object({
  id: z.string().min(1).max(256),
  reference: z.string().regex(REFERENCE).optional(),
  status: z.enum(["sent", "delivered", "failed"]),
  errorCode: z.string().min(1).max(64).optional(),
  timestamp: z.iso.datetime({ offset: true }),
});

/** Reads a receipt of the generic HTTP gateway (its parsed JSON body); throws a ReceiptError when invalid. */
export function parseGatewayReceipt(json: unknown): DeliveryReceipt {
  const parsed = GatewayReceiptSchema.safeParse(json);
  if (!parsed.success) throw new ReceiptError("SMS gateway receipt is malformed", { cause: parsed.error });
  const { id, reference, status, errorCode, timestamp } = parsed.data;
  return {
    providerMessageId: id,
    status,
    ...(errorCode ? { errorCode } : {}),
    at: new Date(timestamp),
    ...(reference ? { reference } : {}),
  };
}
