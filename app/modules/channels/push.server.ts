/**
 * Web push transport (RFC 8030) with VAPID (RFC 8292) and aes128gcm message encryption (RFC 8291).
 *
 * The `web-push` package builds the request (encryption, VAPID JWT); the request itself is sent here with
 * node:http(s) rather than through `webpush.sendNotification`, for three reasons: the connection's DNS
 * lookup refuses private and loopback addresses (SSRF protection that a check of the URL alone cannot give,
 * since a public name may resolve to an internal address), the timeout covers the whole exchange, and the
 * local test push service can be plain http on 127.0.0.1.
 *
 * No configuration is read here: VAPID keys, TTL and urgency come from the caller.
 */
import crypto from "node:crypto";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import webpush from "web-push";
import { z } from "zod";
import { MAX_PUSH_PLAINTEXT_BYTES, PUSH_URGENCIES, type PushUrgency } from "./push-payload";

// ---------------------------------------------------------------------------------------------------------
// Errors and results

/**
 * A failed delivery. `gone`: the subscription no longer exists (404/410), the caller deletes it;
 * `transient`: try again later (after `retryAfterMs` when the push service said so); `permanent`: this
 * message will never be accepted as it is.
 */
export class PushError extends Error {
  override name = "PushError";
  kind: "transient" | "permanent" | "gone";
  status?: number;
  retryAfterMs?: number;

  constructor(
    kind: PushError["kind"],
    message: string,
    details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** What the push service confirmed. */
export type PushDeliveryResult = {
  /** The message resource the push service created (its Location header), or null when it sent none. */
  providerMessageId: string | null;
  acceptedAt: Date;
};

// ---------------------------------------------------------------------------------------------------------
// Addresses (SSRF protection)

// Two lists: a BlockList also matches IPv4 addresses against IPv4-mapped IPv6 rules, which would make
// every IPv4 address private once ::ffff:0:0/96 is listed.
const privateIpv4 = new net.BlockList();
const privateIpv6 = new net.BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved and broadcast
] as const) {
  privateIpv4.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64, same reason
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  privateIpv6.addSubnet(network, prefix, "ipv6");
}

/** Whether an IP address is private, loopback, link-local or otherwise not a public internet host. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const family = net.isIP(bare);
  if (family === 0) return false;
  if (family === 4) return privateIpv4.check(bare, "ipv4");
  // IPv4-mapped addresses (::ffff:a.b.c.d) reach any IPv4 host, private ones included; no push service uses them.
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(canonical)) return true;
  return privateIpv6.check(bare, "ipv6");
}

/** Why a push endpoint URL may not be contacted, or null when it may. */
export function endpointProblem(
  endpoint: string,
  options: { allowLocalEndpoints?: boolean } = {},
): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "the endpoint is not a URL";
  }
  if (url.username !== "" || url.password !== "") return "the endpoint must not contain credentials";
  if (options.allowLocalEndpoints) {
    return url.protocol === "https:" || url.protocol === "http:" ? null : "the endpoint must be an https URL";
  }
  if (url.protocol !== "https:") return "the endpoint must be an https URL";
  // Every browser push service (FCM, Mozilla autopush, Apple, WNS) listens on 443; another port is a probe.
  if (url.port !== "") return "the endpoint must use the default https port";
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return "the endpoint host is a loopback name";
  if (net.isIP(host.replace(/^\[|\]$/g, "")) !== 0) {
    return isPrivateAddress(host) ? "the endpoint host is a private or loopback address" : null;
  }
  // Single-label names resolve through the local search domains, i.e. to internal hosts.
  if (!host.includes(".")) return "the endpoint host is not a fully qualified name";
  return null;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;
type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/**
 * A DNS lookup for the connection that refuses names resolving to a private address, so that a public
 * name pointing at an internal host (or rebinding after validation) cannot be used to reach it.
 */
export function createPublicOnlyLookup(base: LookupFunction = dns.lookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      const refused = addresses.find((candidate) => isPrivateAddress(candidate));
      if (refused !== undefined) {
        const blocked: NodeJS.ErrnoException = new Error(
          `Refusing to connect to ${hostname}: it resolves to the private address ${refused}`,
        );
        blocked.code = "EPRIVATEADDRESS";
        return callback(blocked, address, family);
      }
      callback(null, address, family);
    });
  };
}

// ---------------------------------------------------------------------------------------------------------
// Subscriptions

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decodeBase64Url(value: string): Buffer | null {
  return BASE64URL.test(value) ? Buffer.from(value.replace(/=+$/, ""), "base64url") : null;
}

/** Whether `bytes` is an uncompressed point on P-256 (0x04 || X || Y, 65 bytes). */
function isP256Point(bytes: Buffer): boolean {
  if (bytes.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    // OpenSSL refuses a point that is not on the curve.
    crypto.ECDH.convertKey(bytes, "prime256v1", undefined, undefined, "uncompressed");
    return true;
  } catch {
    return false;
  }
}

/**
 * The schema for a subscription a browser sends (PushSubscription.toJSON()): an https endpoint on a public
 * host, the user agent's P-256 public key and a 16-byte auth secret. `allowLocalEndpoints` (tests, local
 * development only) also admits http and loopback endpoints.
 */
export function createPushSubscriptionSchema(options: { allowLocalEndpoints?: boolean } = {}) {
  return z.object({
    endpoint: z
      .string()
      .max(2048)
      .superRefine((endpoint, context) => {
        const problem = endpointProblem(endpoint, options);
        if (problem) context.addIssue({ code: "custom", message: problem });
      }),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({
      p256dh: z.string().refine((value) => {
        const bytes = decodeBase64Url(value);
        return bytes !== null && isP256Point(bytes);
      }, "p256dh must be a base64url uncompressed P-256 public key (65 bytes)"),
      auth: z
        .string()
        .refine((value) => decodeBase64Url(value)?.length === 16, "auth must be 16 base64url bytes"),
    }),
  });
}

/** A browser's push subscription, validated for production (https, public hosts only). */
export const PushSubscriptionSchema = createPushSubscriptionSchema();
export type PushSubscription = {
  endpoint: string;
  keys: { p256dh: string; auth: string };
};

// ---------------------------------------------------------------------------------------------------------
// VAPID

export type VapidKeys = { publicKey: string; privateKey: string };
export type VapidDetails = VapidKeys & { subject: string };

/** A new VAPID key pair (base64url: 65-byte public point, 32-byte private scalar), to be stored and reused. */
export function generateVapidKeys(): VapidKeys {
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  return { publicKey, privateKey };
}

/** Problems with a VAPID key pair (empty when valid): lengths, a point on P-256, and a matching pair. */
export function validateVapidKeys(keys: VapidKeys): string[] {
  const problems: string[] = [];
  const publicKey = decodeBase64Url(keys.publicKey);
  const privateKey = decodeBase64Url(keys.privateKey);
  if (publicKey === null || publicKey.length !== 65) {
    problems.push("the VAPID public key must be 65 bytes of base64url (an uncompressed P-256 point)");
  } else if (!isP256Point(publicKey)) {
    problems.push("the VAPID public key is not a point on P-256");
  }
  if (privateKey === null || privateKey.length !== 32) {
    problems.push("the VAPID private key must be 32 bytes of base64url");
    return problems;
  }
  const ecdh = crypto.createECDH("prime256v1");
  try {
    ecdh.setPrivateKey(privateKey);
  } catch {
    problems.push("the VAPID private key is not a valid P-256 private key");
    return problems;
  }
  // A swapped or mixed-up pair signs tokens that every push service refuses; catch it at start-up.
  if (problems.length === 0 && publicKey !== null && !ecdh.getPublicKey().equals(publicKey)) {
    problems.push("the VAPID public key does not belong to the private key");
  }
  return problems;
}

/** Why a VAPID subject is unusable, or null: it must be a mailto: address or an https: URL (RFC 8292 §2.1). */
export function vapidSubjectProblem(subject: string): string | null {
  // Apple's push service refuses a subject with whitespace ("mailto: x@y") or a localhost URL.
  if (/\s/.test(subject)) return "the VAPID subject must not contain whitespace";
  let url: URL;
  try {
    url = new URL(subject);
  } catch {
    return "the VAPID subject must be a mailto: or https: URL";
  }
  if (url.protocol === "mailto:") {
    return /^[^@/?#]+@[^@/?#]+\.[^@/?#]+$/.test(url.pathname)
      ? null
      : "the VAPID mailto: subject needs an address";
  }
  if (url.protocol === "https:") {
    const host = url.hostname;
    return host === "localhost" || host.endsWith(".localhost") || !host.includes(".")
      ? "the VAPID https: subject must be a public URL"
      : null;
  }
  return "the VAPID subject must be a mailto: or https: URL";
}

/** VAPID subject for the env schema. */
export const VapidSubjectSchema = z.string().superRefine((subject, context) => {
  const problem = vapidSubjectProblem(subject);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

/** A VAPID key pair for the env schema. */
export const VapidKeysSchema = z
  .object({ publicKey: z.string(), privateKey: z.string() })
  .superRefine((keys, context) => {
    for (const problem of validateVapidKeys(keys)) context.addIssue({ code: "custom", message: problem });
  });

// ---------------------------------------------------------------------------------------------------------
// Sending

export type SendPushOptions = {
  vapid: VapidDetails;
  /** How long the push service keeps an undelivered message (RFC 8030 §5.2); 0 = deliver now or drop. */
  ttlSeconds: number;
  urgency: PushUrgency;
  /** Replaces an undelivered earlier message with the same topic (RFC 8030 §5.4): ≤ 32 base64url chars. */
  topic?: string;
  /** Time for the whole exchange; default 10 s. */
  timeoutMs?: number;
  /** Tests and local development only: admit http and loopback endpoints. */
  allowLocalEndpoints?: boolean;
};

const DEFAULT_TIMEOUT_MS = 10_000;
// Push services keep messages for at most about four weeks; a larger TTL is a mistake in the caller.
const MAX_TTL_SECONDS = 28 * 24 * 60 * 60;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Parse Retry-After (RFC 9110 §10.2.3: delay-seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

function assertOptions(options: SendPushOptions): void {
  const problems = [...validateVapidKeys(options.vapid)];
  const subjectProblem = vapidSubjectProblem(options.vapid.subject);
  if (subjectProblem) problems.push(subjectProblem);
  if (
    !Number.isInteger(options.ttlSeconds) ||
    options.ttlSeconds < 0 ||
    options.ttlSeconds > MAX_TTL_SECONDS
  ) {
    problems.push(`ttlSeconds must be an integer from 0 to ${MAX_TTL_SECONDS}`);
  }
  if (!PUSH_URGENCIES.includes(options.urgency)) problems.push(`unknown urgency ${String(options.urgency)}`);
  if (options.topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(options.topic)) {
    problems.push("topic must be 1 to 32 base64url characters");
  }
  if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs > 0)) {
    problems.push("timeoutMs must be a positive integer");
  }
  // A configuration mistake concerns every delivery, not this one: it is not a PushError.
  if (problems.length > 0) throw new TypeError(`Invalid push options: ${problems.join("; ")}`);
}

/**
 * Encrypt `payload` (aes128gcm) for the subscription and post it to its push service with a VAPID token and
 * explicit TTL and Urgency headers. Resolves when the push service accepted the message; rejects with a
 * {@link PushError} (or a TypeError for invalid options).
 */
export async function sendPush(
  subscription: PushSubscription,
  payload: string | Uint8Array,
  options: SendPushOptions,
): Promise<PushDeliveryResult> {
  assertOptions(options);
  const allowLocalEndpoints = options.allowLocalEndpoints ?? false;
  const checked = createPushSubscriptionSchema({ allowLocalEndpoints }).safeParse(subscription);
  if (!checked.success) {
    const reasons = checked.error.issues.map((issue) => issue.message).join("; ");
    throw new PushError("permanent", `Invalid push subscription: ${reasons}`);
  }
  const plaintext = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  if (plaintext.length > MAX_PUSH_PLAINTEXT_BYTES) {
    throw new PushError(
      "permanent",
      `Push payload is ${plaintext.length} bytes; at most ${MAX_PUSH_PLAINTEXT_BYTES} fit in a push message`,
    );
  }

  const details = webpush.generateRequestDetails(checked.data, plaintext, {
    vapidDetails: options.vapid,
    TTL: options.ttlSeconds,
    urgency: options.urgency,
    contentEncoding: "aes128gcm",
    ...(options.topic === undefined ? {} : { topic: options.topic }),
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(details.headers)) headers[name] = String(value);

  const response = await post(details.endpoint, headers, details.body, {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    allowLocalEndpoints,
  });
  const status = response.status;
  if (status >= 200 && status < 300) {
    return { providerMessageId: response.location ?? null, acceptedAt: new Date() };
  }
  const summary = `Push service answered ${status}${response.body ? `: ${response.body.slice(0, 200)}` : ""}`;
  if (status === 404 || status === 410) throw new PushError("gone", summary, { status });
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.retryAfter);
    throw new PushError("transient", summary, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  // 413 (too large), 400 (malformed), 401/403 (VAPID refused) and anything else: resending will not help.
  throw new PushError("permanent", summary, { status });
}

type PostResponse = { status: number; location?: string; retryAfter?: string; body: string };

function post(
  endpoint: string,
  headers: Record<string, string>,
  body: Buffer,
  options: { timeoutMs: number; allowLocalEndpoints: boolean },
): Promise<PostResponse> {
  const url = new URL(endpoint);
  const transport = url.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: PushError) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const request = transport.request(
      url,
      {
        method: "POST",
        headers,
        agent: false,
        ...(options.allowLocalEndpoints ? {} : { lookup: createPublicOnlyLookup() }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          // Only a short error text is kept for the log; a huge body is not worth reading.
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on("error", (error) =>
          fail(new PushError("transient", "Push response failed", { cause: error })),
        );
        response.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const header = (name: string) => {
            const value = response.headers[name];
            return Array.isArray(value) ? value[0] : value;
          };
          const location = header("location");
          const retryAfter = header("retry-after");
          resolve({
            status: response.statusCode ?? 0,
            ...(location === undefined ? {} : { location }),
            ...(retryAfter === undefined ? {} : { retryAfter }),
            body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_RESPONSE_BYTES),
          });
        });
      },
    );
    const timer = setTimeout(() => {
      fail(new PushError("transient", `Push service did not answer within ${options.timeoutMs} ms`));
      request.destroy();
    }, options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === "EPRIVATEADDRESS") {
        fail(new PushError("permanent", error.message, { cause: error }));
      } else {
        fail(
          new PushError("transient", `Push request failed: ${error.code ?? error.message}`, { cause: error }),
        );
      }
    });
    request.end(body);
  });
}
