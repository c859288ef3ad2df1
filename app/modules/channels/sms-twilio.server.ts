/**
 * SMS through Twilio's Programmable Messaging REST API:
 *   POST {baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json
 *   Basic auth AccountSid:AuthToken, form fields To, From or MessagingServiceSid, Body, StatusCallback.
 * A 201 answers the Message resource ({ sid: "SM…", status: "queued" | "accepted" | … }); an error answers
 * { code, message, more_info, status } with Twilio's error code (21211 invalid To, 21610 opted out, …).
 *
 * Twilio's Messages API has no idempotency key: a retried POST sends a second SMS. So the reference goes
 * into the StatusCallback URL (`?ref=`), which makes every receipt of a retried send recognisable, and a
 * failure after the request went out carries `maybeSent` (see ./delivery.ts) for the job to weigh.
 * `baseUrl` exists for the tests, which point it at a local gateway (tests/support/sms-gateway.ts).
 */
import {
  assertValidSmsInput,
  codeForHttpStatus,
  DeliveryError,
  deliveryErrorFromFetchFailure,
  type DeliveryErrorCode,
  isE164,
  kindForHttpStatus,
  parseRetryAfter,
  readJsonBody,
  type SmsSender,
  stringProperty,
} from "./delivery";

export type TwilioSmsConfig = {
  accountSid: string;
  authToken: string;
  /** A sender: an E.164 number or an alphanumeric sender ID such as "StadGent"; or use messagingServiceSid. */
  from?: string;
  messagingServiceSid?: string;
  /** Public https URL of our receipt webhook; `ref=<reference>` is added to its query. */
  statusCallbackUrl?: string;
  /** https://api.twilio.com by default. */
  baseUrl?: string;
  /** 10 s by default: covers connecting, the answer and reading its body. */
  timeoutMs?: number;
};

const DEFAULT_BASE_URL = "https://api.twilio.com";
const DEFAULT_TIMEOUT_MS = 10_000;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
// Alphanumeric sender IDs: up to 11 characters, letters, digits and spaces, at least one letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

// Twilio error codes that say something about the recipient rather than the request as a whole.
const TWILIO_RECIPIENT_CODES: Record<string, DeliveryErrorCode> = {
  "21211": "invalid_recipient", // invalid 'To' number
  "21614": "invalid_recipient", // 'To' is not a mobile number
  "21612": "invalid_recipient", // cannot route to this number
  "21408": "invalid_recipient", // region not enabled for this account
  "21610": "recipient_opted_out", // recipient replied STOP
};

function parseHttpUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`${what} must be http(s)`);
  return url;
}

/** Creates the Twilio sender; throws a TypeError at once for an unusable configuration. */
export function createTwilioSmsSender(config: TwilioSmsConfig): SmsSender {
  if (!ACCOUNT_SID.test(config.accountSid))
    throw new TypeError("Twilio account SID must look like AC + 32 hex");
  if (config.authToken === "") throw new TypeError("Twilio auth token is empty");
  if ((config.from === undefined) === (config.messagingServiceSid === undefined)) {
    throw new TypeError("Twilio needs exactly one of from and messagingServiceSid");
  }
  if (config.from !== undefined && !isE164(config.from) && !ALPHANUMERIC_SENDER.test(config.from)) {
    throw new TypeError(
      "Twilio sender must be an E.164 number or an alphanumeric sender ID of at most 11 characters",
    );
  }
  if (config.messagingServiceSid !== undefined && !SERVICE_SID.test(config.messagingServiceSid)) {
    throw new TypeError("Twilio messaging service SID must look like MG + 32 hex");
  }
  const callback = config.statusCallbackUrl
    ? parseHttpUrl(config.statusCallbackUrl, "Twilio status callback URL")
    : undefined;
  const base = parseHttpUrl(config.baseUrl ?? DEFAULT_BASE_URL, "Twilio base URL");
  const endpoint = new URL(
    `2010-04-01/Accounts/${config.accountSid}/Messages.json`,
    base.href.endsWith("/") ? base : `${base.href}/`,
  ).href;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new TypeError("Twilio timeout must be a positive integer");
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64")}`;

  return {
    async send(input) {
      assertValidSmsInput(input);
      const form = new URLSearchParams({ To: input.to, Body: input.text });
      if (config.from !== undefined) form.set("From", config.from);
      if (config.messagingServiceSid !== undefined)
        form.set("MessagingServiceSid", config.messagingServiceSid);
      if (callback) {
        const statusCallback = new URL(callback);
        statusCallback.searchParams.set("ref", input.reference);
        form.set("StatusCallback", statusCallback.href);
      }

      let response: Response;
      let body: unknown;
      try {
        response = await fetch(endpoint, {
          method: "POST",
          headers: {
            Authorization: authorization,
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "application/json",
          },
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await readJsonBody(response);
      } catch (error) {
        throw deliveryErrorFromFetchFailure(error, "Twilio", timeoutMs);
      }
      const acceptedAt = new Date();

      if (response.ok) {
        const sid = stringProperty(body, "sid");
        if (!sid) {
          throw new DeliveryError("Twilio accepted the request but its answer has no message SID", {
            kind: "transient",
            code: "invalid_response",
            status: response.status,
            maybeSent: true,
          });
        }
        // Twilio can refuse a message synchronously yet answer 201, e.g. for a blocked destination.
        const status = stringProperty(body, "status");
        if (status === "failed" || status === "undelivered") {
          const providerCode = stringProperty(body, "error_code");
          throw new DeliveryError(`Twilio refused message ${sid} (${providerCode ?? status})`, {
            kind: "permanent",
            code: "message_rejected",
            status: response.status,
            ...(providerCode ? { providerCode } : {}),
          });
        }
        return { providerMessageId: sid, acceptedAt };
      }

      const providerCode = stringProperty(body, "code");
      const providerMessage = stringProperty(body, "message");
      const kind = kindForHttpStatus(response.status);
      const recipientCode = providerCode ? TWILIO_RECIPIENT_CODES[providerCode] : undefined;
      const retryAfterMs =
        response.status === 429
          ? parseRetryAfter(response.headers.get("retry-after"), acceptedAt)
          : undefined;
      throw new DeliveryError(
        `Twilio answered ${response.status}${providerCode ? ` (${providerCode})` : ""}${providerMessage ? `: ${providerMessage}` : ""}`,
        {
          kind,
          code: kind === "permanent" && recipientCode ? recipientCode : codeForHttpStatus(response.status),
          status: response.status,
          maybeSent: response.status >= 500,
          ...(providerCode ? { providerCode } : {}),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        },
      );
    },
  };
}
