/**
 * What every delivery transport (SMTP e-mail, SMS through Twilio or a generic HTTP gateway) shares: the
 * result of a send, the one error type a sender throws, and the helpers that classify HTTP and network
 * failures. The delivery jobs (next step of the field-worker digests) depend only on these types: on
 * `DeliveryError.kind` they retry with backoff ("transient") or record the failure for good ("permanent").
 *
 * Classification rules, kept in one place so both SMS adapters and the e-mail transport agree:
 * - transient: network errors, timeouts, HTTP 408, 429 (honouring Retry-After), 5xx, SMTP 4xx, and
 *   provider authentication failures (a misconfiguration that an operator fixes; retrying within the
 *   job's retry window then saves the digest instead of failing every recipient for good);
 * - permanent: other HTTP 4xx, SMTP 5xx, an invalid recipient or message (retrying sends the same thing).
 *
 * `maybeSent` marks the uncomfortable middle: the request reached the provider but no answer came back
 * (timeout, reset, 5xx), so the message may have gone out. Twilio's Messages API has no idempotency key,
 * so a job that must never send an SMS twice can decide not to retry such an error there; the generic
 * gateway deduplicates on the Idempotency-Key, so retrying it is safe.
 */

/** A message a provider accepted; `providerMessageId` links later delivery receipts to it. */
export type DeliveryResult = { providerMessageId: string | null; acceptedAt: Date };

export type DeliveryErrorKind = "transient" | "permanent";

/** Machine-readable reasons; providers' own codes go in `providerCode`. */
export type DeliveryErrorCode =
  | "invalid_recipient"
  | "invalid_message"
  | "recipient_rejected"
  | "recipient_deferred"
  | "recipient_opted_out"
  | "message_rejected"
  | "message_deferred"
  | "rate_limited"
  | "provider_auth"
  | "provider_error"
  | "invalid_response"
  | "timeout"
  | "network";

export type DeliveryErrorOptions = {
  kind: DeliveryErrorKind;
  code: DeliveryErrorCode;
  /** HTTP status or SMTP reply code, when the provider answered. */
  status?: number;
  retryAfterMs?: number;
  providerCode?: string;
  maybeSent?: boolean;
  cause?: unknown;
};

/** The only error a transport throws for a failed send. */
export class DeliveryError extends Error {
  readonly kind: DeliveryErrorKind;
  readonly code: DeliveryErrorCode;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly providerCode?: string;
  readonly maybeSent: boolean;

  constructor(message: string, options: DeliveryErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DeliveryError";
    this.kind = options.kind;
    this.code = options.code;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.providerCode !== undefined) this.providerCode = options.providerCode;
    this.maybeSent = options.maybeSent ?? false;
  }
}

/** Narrows an unknown caught value to a DeliveryError. */
export function isDeliveryError(error: unknown): error is DeliveryError {
  return error instanceof DeliveryError;
}

/** One SMS to one person; `reference` is our delivery's idempotency key, stable across retries. */
export type SmsInput = { to: string; text: string; reference: string };

/** What the digest jobs call, whichever SMS provider is configured. */
export type SmsSender = { send(input: SmsInput): Promise<DeliveryResult> };

const E164 = /^\+[1-9]\d{6,14}$/;
// Safe in a URL query, an HTTP header and a log line without escaping.
const REFERENCE = /^[A-Za-z0-9._:-]{1,128}$/;
// Twilio refuses bodies over 1,600 characters; digests keep to two segments, so this only stops mistakes.
export const SMS_MAX_TEXT_LENGTH = 1600;

/** Refuses an SMS that no provider could deliver, before any request is made. */
export function assertValidSmsInput(input: SmsInput): void {
  if (!E164.test(input.to)) {
    throw new DeliveryError("SMS recipient is not an E.164 number", {
      kind: "permanent",
      code: "invalid_recipient",
    });
  }
  if (input.text.trim() === "" || input.text.length > SMS_MAX_TEXT_LENGTH) {
    throw new DeliveryError(`SMS text must be 1 to ${SMS_MAX_TEXT_LENGTH} characters`, {
      kind: "permanent",
      code: "invalid_message",
    });
  }
  if (!REFERENCE.test(input.reference)) {
    throw new DeliveryError("SMS reference must be 1 to 128 characters of [A-Za-z0-9._:-]", {
      kind: "permanent",
      code: "invalid_message",
    });
  }
}

/** Tells whether a number is a valid E.164 phone number (used for configuration checks too). */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * Parses an HTTP Retry-After header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) into milliseconds
 * from `now`; undefined when absent or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Date.parse also accepts forms that are no HTTP-date, such as "2"; require a weekday name as HTTP-dates have.
  if (!/^[A-Za-z]{3},/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** Classifies an HTTP error status by the rules in the header of this file. */
export function kindForHttpStatus(status: number): DeliveryErrorKind {
  if (status === 408 || status === 429 || status >= 500) return "transient";
  if (status === 401) return "transient";
  return "permanent";
}

/** Default reason code for an HTTP error status when the provider's body says nothing more precise. */
export function codeForHttpStatus(status: number): DeliveryErrorCode {
  if (status === 429) return "rate_limited";
  if (status === 401) return "provider_auth";
  if (status === 408) return "timeout";
  if (status >= 500) return "provider_error";
  return "message_rejected";
}

// Failures where the request provably never left this machine or never reached the provider.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function errorCodeOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || !("code" in value)) return undefined;
  return typeof value.code === "string" ? value.code : undefined;
}

/** Maps a rejected fetch() (timeout, refused connection, reset) to a transient DeliveryError. */
export function deliveryErrorFromFetchFailure(
  error: unknown,
  provider: string,
  timeoutMs: number,
): DeliveryError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new DeliveryError(`${provider} did not answer within ${timeoutMs} ms`, {
      kind: "transient",
      code: "timeout",
      maybeSent: true,
      cause: error,
    });
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const code = errorCodeOf(cause) ?? errorCodeOf(error);
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  return new DeliveryError(`${provider} could not be reached${code ? ` (${code})` : ""}`, {
    kind: "transient",
    code: "network",
    maybeSent: !notSent,
    cause: error,
  });
}

/** Reads a JSON response body without throwing; undefined when it is empty or not JSON. */
export async function readJsonBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads a string property of an unknown JSON value. */
export function stringProperty(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null || !(key in value)) return undefined;
  const property: unknown = (value as Record<string, unknown>)[key];
  if (typeof property === "string") return property;
  if (typeof property === "number" && Number.isFinite(property)) return String(property);
  return undefined;
}
