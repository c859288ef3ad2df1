/**
 * A local web push service for tests: node:http on 127.0.0.1 with a free port, playing both the push
 * service (RFC 8030: checks the request and the VAPID token of RFC 8292) and the user agent (RFC 8291: holds
 * the subscription's private key and auth secret and decrypts the aes128gcm message).
 *
 * Written with node:crypto only, independently of the `web-push` package, so that tests of code that uses
 * `web-push` really check the protocol rather than the library against itself.
 */
import crypto from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";

/** What a subscription hands to the sender, like PushSubscription.toJSON() in a browser. */
export type TestPushSubscription = { endpoint: string; keys: { p256dh: string; auth: string } };

/** A message the service accepted and decrypted. */
export type ReceivedPushMessage = {
  endpoint: string;
  plaintext: string;
  ttl: number;
  urgency: string | null;
  topic: string | null;
  vapid: { subject: string; audience: string; expiresAt: number; publicKey: string };
  headers: http.IncomingHttpHeaders;
};

/** A request the service refused, with the reason (for assertions and for debugging a failing test). */
export type RefusedPushRequest = { path: string; status: number; reason: string };

/** A scripted answer for the next accepted request (the request is still checked and decrypted first). */
export type ScriptedPushResponse =
  | { status: 201; location?: string }
  | { status: 404 | 410 | 413 | 500 | 503; body?: string }
  | { status: 429; retryAfter?: string; body?: string }
  | { hang: true };

export type TestPushEndpoint = {
  /** Origin of the service, e.g. http://127.0.0.1:53211 (the VAPID audience). */
  origin: string;
  /** A new subscription; with `applicationServerKey` only tokens signed by that VAPID key are accepted. */
  subscribe(options?: { applicationServerKey?: string }): TestPushSubscription;
  /** Forget a subscription: further messages to it are answered 410 Gone. */
  unsubscribe(endpoint: string): void;
  /** Answer the next request(s) this way, in order, before falling back to 201. */
  script(...responses: ScriptedPushResponse[]): void;
  messages: ReceivedPushMessage[];
  refused: RefusedPushRequest[];
  close(): Promise<void>;
};

type Subscription = {
  ecdh: crypto.ECDH;
  publicKey: Buffer;
  authSecret: Buffer;
  applicationServerKey: Buffer | null;
  gone: boolean;
};

const MAX_BODY_BYTES = 4096; // RFC 8030 §7.2: what every push service must accept
const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60; // RFC 8292 §2
const URGENCIES = new Set(["very-low", "low", "normal", "high"]);

class Refusal extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** Start the service; close it in afterAll. */
export async function startPushEndpoint(
  options: { requireUrgency?: boolean } = {},
): Promise<TestPushEndpoint> {
  const requireUrgency = options.requireUrgency ?? true;
  const subscriptions = new Map<string, Subscription>();
  const responses: ScriptedPushResponse[] = [];
  const messages: ReceivedPushMessage[] = [];
  const refused: RefusedPushRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  let origin = "";

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES + 1) chunks.push(chunk);
    });
    request.on("end", () => {
      const path = request.url ?? "/";
      try {
        const result = handle(request, path, Buffer.concat(chunks), size);
        const scripted = responses.shift();
        if (scripted === undefined) {
          messages.push(result);
          const location = `${origin}/m/${crypto.randomUUID()}`;
          response.writeHead(201, { Location: location }).end();
        } else if ("hang" in scripted) {
          hanging.add(response);
        } else if (scripted.status === 201) {
          messages.push(result);
          response.writeHead(201, scripted.location ? { Location: scripted.location } : {}).end();
        } else {
          const headers: http.OutgoingHttpHeaders = {};
          if (scripted.status === 429 && scripted.retryAfter !== undefined)
            headers["Retry-After"] = scripted.retryAfter;
          response.writeHead(scripted.status, headers).end(scripted.body ?? "");
        }
      } catch (error) {
        // An unexpected error is a bug in this service; answer 500 rather than crash the test process.
        const refusal =
          error instanceof Refusal ? error : new Refusal(500, `internal error: ${String(error)}`);
        refused.push({ path, status: refusal.status, reason: refusal.message });
        response.writeHead(refusal.status, { "Content-Type": "text/plain" }).end(refusal.message);
      }
    });
  });

  function handle(
    request: http.IncomingMessage,
    path: string,
    body: Buffer,
    size: number,
  ): ReceivedPushMessage {
    if (request.method !== "POST") throw new Refusal(405, "only POST is accepted");
    const match = /^\/push\/([A-Za-z0-9_-]+)$/.exec(path);
    const subscription = match?.[1] === undefined ? undefined : subscriptions.get(match[1]);
    if (subscription === undefined) throw new Refusal(404, "no such subscription");
    if (subscription.gone) throw new Refusal(410, "the subscription has expired");

    const vapid = verifyVapid(request.headers.authorization, subscription.applicationServerKey);

    const ttlHeader = request.headers.ttl;
    if (typeof ttlHeader !== "string" || !/^\d+$/.test(ttlHeader))
      throw new Refusal(400, "TTL header missing");
    const urgency = request.headers.urgency ?? null;
    if (typeof urgency === "string" && !URGENCIES.has(urgency)) throw new Refusal(400, "invalid Urgency");
    if (urgency === null && requireUrgency) throw new Refusal(400, "Urgency header missing");
    const topic = request.headers.topic ?? null;
    if (typeof topic === "string" && !/^[A-Za-z0-9_-]{1,32}$/.test(topic))
      throw new Refusal(400, "invalid Topic");
    if (Array.isArray(urgency) || Array.isArray(topic)) throw new Refusal(400, "repeated header");

    if (request.headers["content-encoding"] !== "aes128gcm")
      throw new Refusal(415, "Content-Encoding must be aes128gcm");
    if (size > MAX_BODY_BYTES) throw new Refusal(413, `body of ${size} bytes exceeds ${MAX_BODY_BYTES}`);

    const plaintext = decrypt(body, subscription);
    return {
      endpoint: `${origin}${path}`,
      plaintext: plaintext.toString("utf8"),
      ttl: Number(ttlHeader),
      urgency,
      topic,
      vapid,
      headers: request.headers,
    };
  }

  /** RFC 8292 §3: `vapid t=<JWT>, k=<public key>`; the JWT is ES256-signed by k and aimed at this origin. */
  function verifyVapid(
    authorization: string | undefined,
    boundKey: Buffer | null,
  ): ReceivedPushMessage["vapid"] {
    if (authorization === undefined) throw new Refusal(401, "Authorization header missing");
    const scheme = /^vapid\s+(.*)$/i.exec(authorization.trim());
    if (!scheme?.[1]) throw new Refusal(401, "Authorization scheme must be vapid");
    const parameters = new Map<string, string>();
    for (const part of scheme[1].split(",")) {
      const separator = part.indexOf("=");
      if (separator > 0)
        parameters.set(part.slice(0, separator).trim().toLowerCase(), part.slice(separator + 1).trim());
    }
    const token = parameters.get("t");
    const key = parameters.get("k");
    if (!token || !key) throw new Refusal(401, "vapid t= and k= are both required");

    const publicKeyBytes = Buffer.from(key, "base64url");
    if (publicKeyBytes.length !== 65 || publicKeyBytes[0] !== 0x04)
      throw new Refusal(401, "k is not a P-256 point");
    let publicKey: crypto.KeyObject;
    try {
      publicKey = crypto.createPublicKey({
        key: {
          kty: "EC",
          crv: "P-256",
          x: publicKeyBytes.subarray(1, 33).toString("base64url"),
          y: publicKeyBytes.subarray(33).toString("base64url"),
        },
        format: "jwk",
      });
    } catch {
      throw new Refusal(401, "k is not a point on P-256");
    }
    // RFC 8292 §4.2: a subscription made with an applicationServerKey only accepts that key.
    if (boundKey !== null && !boundKey.equals(publicKeyBytes)) {
      throw new Refusal(403, "k is not the key this subscription was made with");
    }

    const parts = token.split(".");
    const [encodedHeader, encodedClaims, encodedSignature] = parts;
    if (parts.length !== 3 || !encodedHeader || !encodedClaims || !encodedSignature) {
      throw new Refusal(401, "t is not a JWS compact serialisation");
    }
    const header = parseJson(encodedHeader);
    if (header.alg !== "ES256") throw new Refusal(401, "the JWT must be signed with ES256");
    const signature = Buffer.from(encodedSignature, "base64url");
    const valid =
      signature.length === 64 &&
      crypto.verify(
        "sha256",
        Buffer.from(`${encodedHeader}.${encodedClaims}`),
        { key: publicKey, dsaEncoding: "ieee-p1363" },
        signature,
      );
    if (!valid) throw new Refusal(401, "the JWT signature does not verify with k");

    const claims = parseJson(encodedClaims);
    if (claims.aud !== origin) throw new Refusal(401, `aud must be ${origin}`);
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== "number" || claims.exp <= now) throw new Refusal(401, "the JWT has expired");
    if (claims.exp > now + MAX_TOKEN_LIFETIME_SECONDS)
      throw new Refusal(401, "the JWT expires more than 24 h ahead");
    if (typeof claims.sub !== "string" || claims.sub === "") throw new Refusal(401, "sub is missing");
    return { subject: claims.sub, audience: claims.aud, expiresAt: claims.exp, publicKey: key };
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    subscribe({ applicationServerKey } = {}) {
      const id = crypto.randomBytes(12).toString("base64url");
      const ecdh = crypto.createECDH("prime256v1");
      const publicKey = ecdh.generateKeys();
      const authSecret = crypto.randomBytes(16);
      subscriptions.set(id, {
        ecdh,
        publicKey,
        authSecret,
        applicationServerKey: applicationServerKey ? Buffer.from(applicationServerKey, "base64url") : null,
        gone: false,
      });
      return {
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: publicKey.toString("base64url"), auth: authSecret.toString("base64url") },
      };
    },
    unsubscribe(endpoint) {
      const subscription = subscriptions.get(endpoint.slice(`${origin}/push/`.length));
      if (subscription) subscription.gone = true;
    },
    script(...scripted) {
      responses.push(...scripted);
    },
    messages,
    refused,
    close() {
      for (const response of hanging) response.destroy();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function parseJson(encoded: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the refusal
  }
  throw new Refusal(401, "the JWT is not base64url JSON");
}

/** RFC 8291 §3.4 and RFC 8188 §2: decrypt the single aes128gcm record with the user agent's keys. */
function decrypt(body: Buffer, subscription: Subscription): Buffer {
  // Header (RFC 8188 §2.1): salt (16) | record size (4) | key id length (1) | key id.
  if (body.length < 21) throw new Refusal(400, "body shorter than the aes128gcm header");
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const keyIdLength = body.readUInt8(20);
  if (keyIdLength !== 65) throw new Refusal(400, "the key id must be the sender's 65-byte public key");
  const senderPublicKey = body.subarray(21, 86);
  const record = body.subarray(86);
  if (recordSize < 18) throw new Refusal(400, "record size below 18");
  // RFC 8291 §4: a push message is a single record.
  if (record.length > recordSize) throw new Refusal(400, "more than one record");
  if (record.length < 17) throw new Refusal(400, "record shorter than tag and delimiter");

  let sharedSecret: Buffer;
  try {
    sharedSecret = subscription.ecdh.computeSecret(senderPublicKey);
  } catch {
    throw new Refusal(400, "the sender key is not a P-256 point");
  }
  // §3.3-3.4: IKM from the ECDH secret and the auth secret, bound to both public keys.
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), subscription.publicKey, senderPublicKey]);
  const ikm = Buffer.from(crypto.hkdfSync("sha256", sharedSecret, subscription.authSecret, keyInfo, 32));
  const contentKey = Buffer.from(
    crypto.hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16),
  );
  const nonce = Buffer.from(
    crypto.hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12),
  );

  let padded: Buffer;
  try {
    const decipher = crypto.createDecipheriv("aes-128-gcm", contentKey, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  } catch {
    throw new Refusal(400, "decryption failed (wrong keys or a corrupted message)");
  }
  // RFC 8188 §2: data, then the delimiter 0x02 (last record), then zero or more 0x00 padding octets.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (end < 0 || padded[end] !== 0x02) throw new Refusal(400, "missing last-record padding delimiter");
  return padded.subarray(0, end);
}
