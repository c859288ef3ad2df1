/**
 * SMS through a generic JSON HTTP gateway, for an SMS provider or an in-house relay that is not Twilio.
 *
 * The contract a gateway implements:
 *
 *   Sending
 *     POST {url}
 *     Authorization: Bearer {token}
 *     Content-Type: application/json
 *     Idempotency-Key: {reference}
 *     { "to": "+32470123456", "text": "…", "reference": "…", "callbackUrl": "https://…" }   (callbackUrl optional)
 *
 *     200, 201 or 202 with { "id": "<the gateway's message id>" } when accepted.
 *     A repeated Idempotency-Key with the same body must answer the id of the first request and send nothing;
 *     with a different body, 409 or 422. Errors may carry { "code": "…", "message": "…" }:
 *       400-499 (other than 401, 408, 429)  refused for good (invalid number, text too long, …)
 *       401                                 wrong token (we retry: an operator fixes the configuration)
 *       408, 5xx                            try again later
 *       429                                 rate limited; Retry-After in seconds or as an HTTP-date
 *
 *   Delivery receipts (verified and parsed by ./receipts.server.ts)
 *     POST {callbackUrl}
 *     Content-Type: application/json
 *     X-Gateway-Timestamp: <unix seconds>
 *     X-Gateway-Signature: <hex HMAC-SHA256 of "{timestamp}.{raw body}" with the shared webhook secret>
 *     { "id": "…", "reference": "…", "status": "sent" | "delivered" | "failed", "errorCode": "…",
 *       "timestamp": "<ISO 8601 with offset>" }
 *     Answered 2xx once stored; the gateway retries other answers. A receipt older than five minutes is refused.
 */
import {
  assertValidSmsInput,
  codeForHttpStatus,
  DeliveryError,
  deliveryErrorFromFetchFailure,
  kindForHttpStatus,
  parseRetryAfter,
  readJsonBody,
  type SmsSender,
  stringProperty,
} from "./delivery";

export type HttpSmsConfig = {
  /** The gateway's send endpoint. */
  url: string;
  /** Bearer token. */
  token: string;
  /** Our receipt webhook, passed along with every message. */
  callbackUrl?: string;
  /** 10 s by default: covers connecting, the answer and reading its body. */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_ID_LENGTH = 256;

function checkHttpUrl(value: string, what: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`${what} must be http(s)`);
}

/** Creates the HTTP gateway sender; throws a TypeError at once for an unusable configuration. */
export function createHttpSmsSender(config: HttpSmsConfig): SmsSender {
  checkHttpUrl(config.url, "SMS gateway URL");
  if (config.callbackUrl !== undefined) checkHttpUrl(config.callbackUrl, "SMS gateway callback URL");
  // A token with a line break or space would corrupt or split the Authorization header.
  if (!/^[\x21-\x7e]+$/.test(config.token))
    throw new TypeError("SMS gateway token must be printable ASCII without spaces");
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError("SMS gateway timeout must be a positive integer");
  }

  return {
    async send(input) {
      assertValidSmsInput(input);
      let response: Response;
      let body: unknown;
      try {
        response = await fetch(config.url, {
          method: "POST",
          headers: {
            Authorization: `Bearer ${config.token}`,
            "Content-Type": "application/json",
            Accept: "application/json",
            "Idempotency-Key": input.reference,
          },
          body: JSON.stringify({
            to: input.to,
            text: input.text,
            reference: input.reference,
            ...(config.callbackUrl !== undefined ? { callbackUrl: config.callbackUrl } : {}),
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await readJsonBody(response);
      } catch (error) {
        throw deliveryErrorFromFetchFailure(error, "SMS gateway", timeoutMs);
      }
      const acceptedAt = new Date();

      if (response.ok) {
        const id = stringProperty(body, "id");
        if (!id || id.length > MAX_ID_LENGTH) {
          throw new DeliveryError("SMS gateway accepted the request but its answer has no usable id", {
            kind: "transient",
            code: "invalid_response",
            status: response.status,
            maybeSent: true,
          });
        }
        return { providerMessageId: id, acceptedAt };
      }

      const providerCode = stringProperty(body, "code");
      const providerMessage = stringProperty(body, "message");
      const retryAfterMs =
        response.status === 429
          ? parseRetryAfter(response.headers.get("retry-after"), acceptedAt)
          : undefined;
      const kind = kindForHttpStatus(response.status);
      throw new DeliveryError(
        `SMS gateway answered ${response.status}${providerCode ? ` (${providerCode})` : ""}${providerMessage ? `: ${providerMessage}` : ""}`,
        {
          kind,
          code:
            kind === "permanent" && providerCode === "invalid_recipient"
              ? "invalid_recipient"
              : codeForHttpStatus(response.status),
          status: response.status,
          maybeSent: response.status >= 500,
          ...(providerCode ? { providerCode } : {}),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        },
      );
    },
  };
}
