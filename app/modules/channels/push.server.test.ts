import crypto from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import webpush from "web-push";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startPushEndpoint, type TestPushEndpoint } from "../../../tests/support/push-endpoint";
import { buildPushPayload, parsePushPayload } from "./push-payload";
import {
  createPublicOnlyLookup,
  createPushSubscriptionSchema,
  endpointProblem,
  generateVapidKeys,
  isPrivateAddress,
  parseRetryAfter,
  PushError,
  PushSubscriptionSchema,
  sendPush,
  validateVapidKeys,
  vapidSubjectProblem,
  type SendPushOptions,
} from "./push.server";

let service: TestPushEndpoint;
const vapidKeys = generateVapidKeys();
const options: SendPushOptions = {
  vapid: { subject: "mailto:werkplek@stad.gent", ...vapidKeys },
  ttlSeconds: 3600,
  urgency: "normal",
  allowLocalEndpoints: true,
};

beforeAll(async () => {
  service = await startPushEndpoint();
});
afterAll(async () => {
  await service.close();
});

/** Catch the rejection of `promise` as a PushError (fails the test when it resolves or throws another error). */
async function pushError(promise: Promise<unknown>): Promise<PushError> {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PushError)) throw new Error(`expected a PushError, got ${String(error)}`);
  return error;
}

/** Sign a VAPID JWT by hand (web-push refuses to make expired ones), with the raw base64url key pair. */
function signJwt(claims: Record<string, unknown>, keys: { publicKey: string; privateKey: string }): string {
  const point = Buffer.from(keys.publicKey, "base64url");
  const privateKey = crypto.createPrivateKey({
    key: {
      kty: "EC",
      crv: "P-256",
      d: keys.privateKey,
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    },
    format: "jwk",
  });
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ typ: "JWT", alg: "ES256" })}.${encode(claims)}`;
  const signature = crypto.sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${signature.toString("base64url")}`;
}

/** A correctly encrypted request to `subscription`, with the headers adjustable before it is posted. */
async function postRaw(
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } },
  adjust: (headers: Record<string, string>, body: Buffer) => Buffer | void,
): Promise<{ status: number; text: string }> {
  const details = webpush.generateRequestDetails(subscription, "Hallo", {
    vapidDetails: options.vapid,
    TTL: 60,
    urgency: "normal",
    contentEncoding: "aes128gcm",
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(details.headers)) {
    if (name !== "Content-Length") headers[name] = String(value);
  }
  const body = adjust(headers, details.body) ?? details.body;
  const response = await fetch(details.endpoint, { method: "POST", headers, body: new Uint8Array(body) });
  return { status: response.status, text: await response.text() };
}

const now = () => Math.floor(Date.now() / 1000);

describe("sendPush against a local push service", () => {
  test("a Dutch payload arrives decrypted and intact, with the TTL, Urgency and Topic that were set", async () => {
    const subscription = service.subscribe({ applicationServerKey: vapidKeys.publicKey });
    const built = buildPushPayload({
      title: "Nieuw: één circulaire over de ruïne",
      body: "De coördinator meldt: reeën gezien in het Citadelpark. Gelezen en begrepen vóór vrijdag 🌳",
      url: "/d/tok_123",
      tag: "digest-42",
      urgency: "high",
    });
    const before = Date.now();
    const result = await sendPush(subscription, built.json, {
      ...options,
      ttlSeconds: 86_400,
      urgency: "high",
      topic: "digest-42",
    });

    expect(result.providerMessageId).toMatch(new RegExp(`^${service.origin}/m/`));
    expect(result.acceptedAt.getTime()).toBeGreaterThanOrEqual(before);
    const message = service.messages.find((received) => received.endpoint === subscription.endpoint);
    expect(message?.plaintext).toBe(built.json);
    expect(parsePushPayload(message?.plaintext ?? "")).toEqual(built.payload);
    expect(message?.ttl).toBe(86_400);
    expect(message?.urgency).toBe("high");
    expect(message?.topic).toBe("digest-42");
    expect(message?.headers["content-encoding"]).toBe("aes128gcm");
    expect(message?.vapid.subject).toBe("mailto:werkplek@stad.gent");
    expect(message?.vapid.audience).toBe(service.origin);
    expect(message?.vapid.publicKey).toBe(vapidKeys.publicKey);
    expect(message?.vapid.expiresAt).toBeLessThanOrEqual(now() + 24 * 3600);
  });

  test("TTL 0 and urgency very-low are sent as such, not replaced by defaults", async () => {
    const subscription = service.subscribe();
    await sendPush(subscription, new TextEncoder().encode("{}"), {
      ...options,
      ttlSeconds: 0,
      urgency: "very-low",
    });
    const message = service.messages.find((received) => received.endpoint === subscription.endpoint);
    expect(message?.ttl).toBe(0);
    expect(message?.urgency).toBe("very-low");
    expect(message?.topic).toBeNull();
  });

  test("a token signed with another key than k is refused by the service", async () => {
    const subscription = service.subscribe();
    const other = generateVapidKeys();
    const response = await postRaw(subscription, (headers) => {
      const token = signJwt({ aud: service.origin, exp: now() + 3600, sub: "mailto:a@stad.gent" }, other);
      headers.Authorization = `vapid t=${token}, k=${vapidKeys.publicKey}`;
    });
    expect(response).toEqual({ status: 401, text: "the JWT signature does not verify with k" });
  });

  test("expired, too long-lived, wrongly addressed and subject-less tokens are refused", async () => {
    const subscription = service.subscribe();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ aud: service.origin, exp: now() - 10, sub: "mailto:a@stad.gent" }, "the JWT has expired"],
      [
        { aud: service.origin, exp: now() + 25 * 3600, sub: "mailto:a@stad.gent" },
        "the JWT expires more than 24 h ahead",
      ],
      [
        { aud: "https://fcm.googleapis.com", exp: now() + 3600, sub: "mailto:a@stad.gent" },
        `aud must be ${service.origin}`,
      ],
      [{ aud: service.origin, exp: now() + 3600 }, "sub is missing"],
    ];
    for (const [claims, reason] of cases) {
      const response = await postRaw(subscription, (headers) => {
        headers.Authorization = `vapid t=${signJwt(claims, vapidKeys)}, k=${vapidKeys.publicKey}`;
      });
      expect(response).toEqual({ status: 401, text: reason });
    }
    // The same hand-made signer with valid claims is accepted: the refusals above are about the claims.
    const accepted = await postRaw(subscription, (headers) => {
      const token = signJwt({ aud: service.origin, exp: now() + 3600, sub: "mailto:a@stad.gent" }, vapidKeys);
      headers.Authorization = `vapid t=${token}, k=${vapidKeys.publicKey}`;
    });
    expect(accepted.status).toBe(201);
  });

  test("the service requires TTL and aes128gcm, and really decrypts (a flipped byte fails)", async () => {
    const subscription = service.subscribe();
    const withoutTtl = await postRaw(subscription, (headers) => {
      delete headers.TTL;
    });
    expect(withoutTtl).toEqual({ status: 400, text: "TTL header missing" });
    const wrongEncoding = await postRaw(subscription, (headers) => {
      headers["Content-Encoding"] = "aesgcm";
    });
    expect(wrongEncoding.status).toBe(415);
    const corrupted = await postRaw(subscription, (_headers, body) => {
      const copy = Buffer.from(body);
      copy[copy.length - 20] = (copy[copy.length - 20] ?? 0) ^ 0x01;
      return copy;
    });
    expect(corrupted).toEqual({ status: 400, text: "decryption failed (wrong keys or a corrupted message)" });
  });

  test("a subscription made for another VAPID key answers 403, which is permanent", async () => {
    const subscription = service.subscribe({ applicationServerKey: generateVapidKeys().publicKey });
    const error = await pushError(sendPush(subscription, "{}", options));
    expect(error.kind).toBe("permanent");
    expect(error.status).toBe(403);
  });

  test("410 Gone and 404 Not Found mean the subscription is gone", async () => {
    const subscription = service.subscribe();
    service.unsubscribe(subscription.endpoint);
    const gone = await pushError(sendPush(subscription, "{}", options));
    expect(gone).toMatchObject({ kind: "gone", status: 410 });

    const unknown = { ...service.subscribe(), endpoint: `${service.origin}/push/unknown` };
    expect(await pushError(sendPush(unknown, "{}", options))).toMatchObject({ kind: "gone", status: 404 });
  });

  test("429 with Retry-After is transient with retryAfterMs; 500 is transient without", async () => {
    const subscription = service.subscribe();
    service.script({ status: 429, retryAfter: "120", body: "slow down" });
    const limited = await pushError(sendPush(subscription, "{}", options));
    expect(limited).toMatchObject({ kind: "transient", status: 429, retryAfterMs: 120_000 });
    expect(limited.message).toContain("slow down");

    service.script({ status: 500 });
    const failed = await pushError(sendPush(subscription, "{}", options));
    expect(failed).toMatchObject({ kind: "transient", status: 500 });
    expect(failed.retryAfterMs).toBeUndefined();
  });

  test("413 from the service is permanent", async () => {
    service.script({ status: 413 });
    const error = await pushError(sendPush(service.subscribe(), "{}", options));
    expect(error).toMatchObject({ kind: "permanent", status: 413 });
  });

  test("a payload over 3,993 bytes is refused before anything is sent", async () => {
    const subscription = service.subscribe();
    const error = await pushError(sendPush(subscription, "é".repeat(1997), options)); // 3,994 bytes
    expect(error.kind).toBe("permanent");
    expect(error.status).toBeUndefined();
    expect(service.messages.some((message) => message.endpoint === subscription.endpoint)).toBe(false);
    expect(
      service.refused.some((refusal) => refusal.path.endsWith(subscription.endpoint.split("/").pop() ?? "")),
    ).toBe(false);
    // The bound itself is accepted and arrives whole.
    await sendPush(subscription, "é".repeat(1996) + "a", options);
    expect(
      service.messages.find((message) => message.endpoint === subscription.endpoint)?.plaintext,
    ).toHaveLength(1997);
  });

  test("a refused connection and a service that never answers are transient", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = { ...service.subscribe(), endpoint: `http://127.0.0.1:${port}/push/x` };
    expect(await pushError(sendPush(unreachable, "{}", options))).toMatchObject({ kind: "transient" });

    service.script({ hang: true });
    const started = Date.now();
    const timedOut = await pushError(sendPush(service.subscribe(), "{}", { ...options, timeoutMs: 300 }));
    expect(timedOut.kind).toBe("transient");
    expect(timedOut.message).toContain("300 ms");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("an http or loopback endpoint is refused without allowLocalEndpoints", async () => {
    const subscription = service.subscribe();
    const error = await pushError(sendPush(subscription, "{}", { ...options, allowLocalEndpoints: false }));
    expect(error.kind).toBe("permanent");
    expect(error.message).toContain("https");
    expect(service.messages.some((message) => message.endpoint === subscription.endpoint)).toBe(false);
  });

  test("invalid options are a configuration error, not a delivery failure", async () => {
    const subscription = service.subscribe();
    const other = generateVapidKeys();
    await expect(sendPush(subscription, "{}", { ...options, ttlSeconds: -1 })).rejects.toThrow(TypeError);
    await expect(sendPush(subscription, "{}", { ...options, ttlSeconds: 1.5 })).rejects.toThrow(/ttlSeconds/);
    await expect(sendPush(subscription, "{}", { ...options, topic: "a".repeat(33) })).rejects.toThrow(
      /topic/,
    );
    await expect(sendPush(subscription, "{}", { ...options, timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
    await expect(
      sendPush(subscription, "{}", { ...options, urgency: "urgent" as SendPushOptions["urgency"] }),
    ).rejects.toThrow(/urgency/);
    await expect(
      sendPush(subscription, "{}", {
        ...options,
        vapid: { ...options.vapid, subject: "mailto: werkplek@stad.gent" },
      }),
    ).rejects.toThrow(/whitespace/);
    await expect(
      sendPush(subscription, "{}", { ...options, vapid: { ...options.vapid, privateKey: other.privateKey } }),
    ).rejects.toThrow(/does not belong/);
  });
});

describe("PushSubscriptionSchema", () => {
  const ua = crypto.createECDH("prime256v1");
  const p256dh = ua.generateKeys().toString("base64url");
  const auth = crypto.randomBytes(16).toString("base64url");
  const valid = {
    endpoint: "https://fcm.googleapis.com/fcm/send/abc:def",
    expirationTime: null,
    keys: { p256dh, auth },
  };

  test("accepts what browsers send to the real push services", () => {
    expect(PushSubscriptionSchema.safeParse(valid).success).toBe(true);
    for (const endpoint of [
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
      "https://web.push.apple.com/QGx1Z",
      "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    ]) {
      expect(PushSubscriptionSchema.safeParse({ ...valid, endpoint }).success).toBe(true);
    }
    // Padded base64url is accepted too.
    expect(PushSubscriptionSchema.safeParse({ ...valid, keys: { p256dh, auth: `${auth}==` } }).success).toBe(
      true,
    );
  });

  test.each([
    "http://fcm.googleapis.com/fcm/send/abc",
    "https://localhost/push",
    "https://push.localhost/push",
    "https://127.0.0.1/push",
    "https://[::1]/push",
    "https://[::ffff:127.0.0.1]/push",
    "https://10.1.2.3/push",
    "https://192.168.1.10/push",
    "https://172.20.0.1/push",
    "https://169.254.169.254/latest/meta-data",
    "https://2130706433/push",
    "https://intranet/push",
    "https://fcm.googleapis.com:8443/fcm/send/abc",
    "https://user:secret@fcm.googleapis.com/fcm/send/abc",
    "ftp://fcm.googleapis.com/x",
    "not a url",
  ])("refuses the endpoint %s in production", (endpoint) => {
    expect(PushSubscriptionSchema.safeParse({ ...valid, endpoint }).success).toBe(false);
  });

  test("admits http and loopback endpoints only when allowed", () => {
    const local = { ...valid, endpoint: "http://127.0.0.1:4000/push/abc" };
    expect(PushSubscriptionSchema.safeParse(local).success).toBe(false);
    expect(createPushSubscriptionSchema({ allowLocalEndpoints: true }).safeParse(local).success).toBe(true);
    expect(endpointProblem("file:///etc/passwd", { allowLocalEndpoints: true })).toMatch(/https/);
  });

  test("refuses keys of the wrong length, off the curve or not base64url", () => {
    const point = Buffer.from(p256dh, "base64url");
    const offCurve = Buffer.from(point);
    offCurve[64] = (offCurve[64] ?? 0) ^ 0x01;
    const compressed = Buffer.concat([Buffer.from([0x02 + ((point[64] ?? 0) & 1)]), point.subarray(1, 33)]);
    const badKeys: Array<{ p256dh: string; auth: string }> = [
      { p256dh: point.subarray(0, 64).toString("base64url"), auth },
      { p256dh: offCurve.toString("base64url"), auth },
      { p256dh: compressed.toString("base64url"), auth },
      { p256dh: p256dh.replace(/.$/, "+"), auth }, // standard base64's + and / are not what browsers send
      { p256dh, auth: crypto.randomBytes(15).toString("base64url") },
      { p256dh, auth: crypto.randomBytes(17).toString("base64url") },
      { p256dh, auth: "" },
    ];
    for (const keys of badKeys) {
      expect(PushSubscriptionSchema.safeParse({ ...valid, keys }).success, JSON.stringify(keys)).toBe(false);
    }
    expect(PushSubscriptionSchema.safeParse({ endpoint: valid.endpoint }).success).toBe(false);
  });
});

describe("addresses", () => {
  test.each([
    ["127.0.0.1", true],
    ["10.0.0.7", true],
    ["172.31.255.255", true],
    ["192.168.0.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["::1", true],
    ["[::1]", true],
    ["fd12:3456::1", true],
    ["fe80::1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:8.8.8.8", true],
    ["64:ff9b::a00:7", true],
    ["8.8.8.8", false],
    ["142.250.179.170", false],
    ["2a00:1450:400e:80f::200a", false],
    ["fcm.googleapis.com", false],
  ])("isPrivateAddress(%s) is %s", (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  test("the connection's lookup refuses names that resolve to private addresses", async () => {
    const lookup = (answer: string | Array<{ address: string; family: number }>) =>
      createPublicOnlyLookup((_hostname, _options, callback) => callback(null, answer, 4));
    const run = (answer: Parameters<typeof lookup>[0]) =>
      new Promise<NodeJS.ErrnoException | null>((resolve) =>
        lookup(answer)("push.example.test", {}, (error) => resolve(error)),
      );
    expect((await run("10.0.0.7"))?.code).toBe("EPRIVATEADDRESS");
    expect(
      (
        await run([
          { address: "142.250.179.170", family: 4 },
          { address: "127.0.0.1", family: 4 },
        ])
      )?.code,
    ).toBe("EPRIVATEADDRESS");
    expect(await run("142.250.179.170")).toBeNull();
    expect(await run([{ address: "2a00:1450:400e:80f::200a", family: 6 }])).toBeNull();
  });
});

describe("VAPID keys and subject", () => {
  test("generated keys are valid, damaged or mismatched ones are not", () => {
    const keys = generateVapidKeys();
    expect(validateVapidKeys(keys)).toEqual([]);
    expect(validateVapidKeys({ publicKey: keys.privateKey, privateKey: keys.publicKey })).not.toEqual([]);
    expect(validateVapidKeys({ ...keys, publicKey: generateVapidKeys().publicKey })).toEqual([
      "the VAPID public key does not belong to the private key",
    ]);
    expect(validateVapidKeys({ ...keys, privateKey: keys.privateKey.slice(0, 20) })).toEqual([
      "the VAPID private key must be 32 bytes of base64url",
    ]);
    expect(validateVapidKeys({ ...keys, privateKey: Buffer.alloc(32, 0xff).toString("base64url") })).toEqual([
      "the VAPID private key is not a valid P-256 private key",
    ]);
    const offCurve = Buffer.from(keys.publicKey, "base64url");
    offCurve[64] = (offCurve[64] ?? 0) ^ 0x01;
    expect(validateVapidKeys({ ...keys, publicKey: offCurve.toString("base64url") })[0]).toBe(
      "the VAPID public key is not a point on P-256",
    );
  });

  test.each([
    ["mailto:werkplek@stad.gent", null],
    ["https://stad.gent/werkplek", null],
    ["mailto: werkplek@stad.gent", "whitespace"],
    ["mailto:werkplek", "address"],
    ["http://stad.gent", "mailto: or https:"],
    ["https://localhost:3000", "public URL"],
    ["werkplek@stad.gent", "mailto: or https:"],
  ])("vapidSubjectProblem(%s)", (subject, problem) => {
    const result = vapidSubjectProblem(subject);
    if (problem === null) expect(result).toBeNull();
    else expect(result).toContain(problem);
  });
});

describe("parseRetryAfter", () => {
  test("reads seconds and HTTP dates", () => {
    const now = new Date("2025-03-30T01:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("Sun, 30 Mar 2025 01:02:00 GMT", now)).toBe(120_000);
    expect(parseRetryAfter("Sun, 30 Mar 2025 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
