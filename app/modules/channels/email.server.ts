/**
 * E-mail delivery over SMTP (nodemailer), for digests to a field worker's personal address.
 *
 * Every message carries an HTML part and a plain-text part (both required: many personal mailboxes are read
 * on old phones or with images and HTML off), a Message-ID we choose and return as `providerMessageId` (a
 * delivery job can pass a deterministic one, so a bounce or a re-run can be matched to the delivery), and
 * List-Unsubscribe when the caller gives an unsubscribe URL. The transport adds nothing to the HTML: no
 * tracking pixel and no rewritten links; "opened/clicked" is measured by the digest's own short link.
 *
 * Failures become a DeliveryError (./delivery.ts): SMTP 4xx and network trouble are transient, SMTP 5xx and
 * an invalid recipient permanent, a refused login transient (an operator fixes the password; see there).
 */
import { randomUUID } from "node:crypto";
import nodemailer, { type NodemailerError, type SMTPTransportOptions } from "nodemailer";
import { DeliveryError, type DeliveryErrorCode, type DeliveryResult } from "./delivery";

export type SmtpTransportConfig = {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465 (TLS from the start). */
  url: string;
  /** Sender, "Werkplek Stad Gent <werkplek@stad.gent>" or a bare address; its domain names our Message-IDs. */
  from: string;
  /** Applies to connecting, the greeting and every later wait on the socket; 15 s by default. */
  timeoutMs?: number;
};

export type EmailInput = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Extra headers such as X-Werkplek-Delivery; the headers this module sets itself are refused. */
  headers?: Record<string, string>;
  /** An http(s) URL that unsubscribes the recipient from digests by e-mail (RFC 2369). */
  listUnsubscribeUrl?: string;
  /** Adds List-Unsubscribe-Post (RFC 8058): only when the URL unsubscribes on a POST without a login. */
  listUnsubscribeOneClick?: boolean;
  /** "<id@domain>"; a fresh one under the sender's domain when absent. */
  messageId?: string;
};

export type EmailTransport = {
  send(input: EmailInput): Promise<DeliveryResult>;
  /** Closes open SMTP connections; the transport is not used afterwards. */
  close(): void;
};

const DEFAULT_TIMEOUT_MS = 15_000;
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;
const FROM_WITH_NAME = /^\s*(?:"([^"]*)"|([^<>"]*?))\s*<([^<>\s]+)>\s*$/;
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,76}$/;
// Headers the transport owns: a caller overriding them would break threading, the unsubscribe link or MIME.
const RESERVED_HEADERS = new Set([
  "from",
  "sender",
  "to",
  "cc",
  "bcc",
  "reply-to",
  "subject",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "list-unsubscribe",
  "list-unsubscribe-post",
]);

function invalidMessage(message: string): DeliveryError {
  return new DeliveryError(message, { kind: "permanent", code: "invalid_message" });
}

/** Splits the configured sender into an address and display name, refusing what is not one address. */
function parseFrom(from: string): { address: string; name: string | undefined } {
  const named = FROM_WITH_NAME.exec(from);
  const address = named ? named[3] : from.trim();
  if (!address || !ADDRESS.test(address)) {
    throw new TypeError(`SMTP sender "${from}" is not an e-mail address`);
  }
  const name = named ? (named[1] ?? named[2])?.trim() : undefined;
  return { address, name: name === "" ? undefined : name };
}

function checkInput(input: EmailInput): void {
  if (input.to.length > 254 || !ADDRESS.test(input.to)) {
    throw new DeliveryError("E-mail recipient is not a single valid address", {
      kind: "permanent",
      code: "invalid_recipient",
    });
  }
  if (input.subject.trim() === "" || /[\r\n]/.test(input.subject)) {
    throw invalidMessage("E-mail subject must be one non-empty line");
  }
  if (input.html.trim() === "" || input.text.trim() === "") {
    throw invalidMessage("E-mail needs both an HTML and a plain-text part");
  }
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      throw invalidMessage(`E-mail header "${name}" is not allowed`);
    }
    if (/[\r\n]/.test(value)) throw invalidMessage(`E-mail header "${name}" contains a line break`);
  }
  if (input.listUnsubscribeUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(input.listUnsubscribeUrl);
    } catch {
      throw invalidMessage("List-Unsubscribe URL is not a URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw invalidMessage("List-Unsubscribe URL must be http(s)");
    }
  }
  if (input.listUnsubscribeOneClick && input.listUnsubscribeUrl === undefined) {
    throw invalidMessage("List-Unsubscribe-Post needs a List-Unsubscribe URL");
  }
  if (input.messageId !== undefined && !MESSAGE_ID.test(input.messageId)) {
    throw invalidMessage('Message-ID must look like "<id@domain>"');
  }
}

function isNodemailerError(error: unknown): error is NodemailerError {
  return error instanceof Error;
}

/** Classifies what nodemailer threw; exported for the tests of odd cases that a real server cannot provoke. */
export function deliveryErrorFromSmtp(error: unknown): DeliveryError {
  if (!isNodemailerError(error)) {
    return new DeliveryError("SMTP send failed", { kind: "transient", code: "provider_error", cause: error });
  }
  const reply = error.responseCode;
  const detail = error.response ? `: ${error.response}` : "";
  if (error.code === "EAUTH" || error.code === "ENOAUTH") {
    return new DeliveryError(`SMTP login refused${detail}`, {
      kind: "transient",
      code: "provider_auth",
      status: reply,
      cause: error,
    });
  }
  if (reply !== undefined && reply >= 400 && reply < 600) {
    // 503 is "bad sequence of commands": the session, not the message, was wrong (nodemailer agrees).
    const permanent = reply >= 500 && reply !== 503;
    const stage = error.command === "RCPT TO" ? "recipient" : "message";
    const code: DeliveryErrorCode =
      stage === "recipient"
        ? permanent
          ? "recipient_rejected"
          : "recipient_deferred"
        : permanent
          ? "message_rejected"
          : "message_deferred";
    return new DeliveryError(`SMTP server refused the ${stage} (${reply})${detail}`, {
      kind: permanent ? "permanent" : "transient",
      code,
      status: reply,
      cause: error,
    });
  }
  switch (error.code) {
    case "ETIMEDOUT":
      return new DeliveryError("SMTP server did not answer in time", {
        kind: "transient",
        code: "timeout",
        maybeSent: error.timeoutType === "SOCKET_TIMEOUT",
        cause: error,
      });
    case "ECONNECTION":
    case "ESOCKET":
    case "EDNS":
    case "ETLS":
    case "EPROTOCOL":
      return new DeliveryError(`SMTP connection failed (${error.code})`, {
        kind: "transient",
        code: "network",
        cause: error,
      });
    case "EENVELOPE":
      return new DeliveryError("SMTP envelope refused", {
        kind: "permanent",
        code: "invalid_recipient",
        cause: error,
      });
    case "EMESSAGE":
    case "ESTREAM":
      return new DeliveryError("E-mail could not be composed", {
        kind: "permanent",
        code: "invalid_message",
        cause: error,
      });
    default:
      return new DeliveryError(`SMTP send failed${error.code ? ` (${error.code})` : ""}`, {
        kind: "transient",
        code: "provider_error",
        cause: error,
      });
  }
}

/** Creates an SMTP transport; throws a TypeError at once for an unusable URL or sender. */
export function createSmtpTransport(config: SmtpTransportConfig): EmailTransport {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new TypeError("SMTP URL is not a URL");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new TypeError("SMTP URL must start with smtp:// or smtps://");
  }
  const from = parseFrom(config.from);
  const domain = from.address.slice(from.address.lastIndexOf("@") + 1);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new TypeError("SMTP timeout must be a positive integer");

  const options: SMTPTransportOptions = {
    url: config.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // The digest jobs log with their own logger; nodemailer's console logging would leak addresses.
    logger: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const transporter = nodemailer.createTransport(options);

  return {
    async send(input) {
      checkInput(input);
      const messageId = input.messageId ?? `<${randomUUID()}@${domain}>`;
      try {
        await transporter.sendMail({
          from: from.name ? { name: from.name, address: from.address } : from.address,
          to: input.to,
          subject: input.subject,
          text: input.text,
          html: input.html,
          messageId,
          headers: {
            ...input.headers,
            ...(input.listUnsubscribeOneClick
              ? { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
              : {}),
          },
          ...(input.listUnsubscribeUrl ? { list: { unsubscribe: input.listUnsubscribeUrl } } : {}),
        });
      } catch (error) {
        throw deliveryErrorFromSmtp(error);
      }
      return { providerMessageId: messageId, acceptedAt: new Date() };
    },
    close() {
      transporter.close();
    },
  };
}
