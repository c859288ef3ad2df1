import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { MAX_PUSH_SUBSCRIPTIONS_PER_USER } from "~/modules/channels/push-subscriptions.server";
import { createUserSession } from "~/modules/identity/session.server";
import { csrfCookieName } from "~/modules/identity/csrf.server";
import { buildPushSubscription, buildUser, pushSubscriptionKeys } from "../../tests/factories";
import { ROUTE_CSRF, routeContext, signIn, type Visitor } from "../../tests/support/routes";
import { setupTestDatabase } from "../../tests/setup/database";
import { action, loader } from "./api.push.abonnement";

setupTestDatabase();

const PATH = "/api/push/abonnement";
const CHROME = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";

let counter = 0;
function browserSubscription() {
  counter += 1;
  return {
    endpoint: `https://fcm.googleapis.com/fcm/send/route-test-${Date.now()}-${counter}`,
    expirationTime: null,
    keys: pushSubscriptionKeys(),
  };
}

function request(
  who: Visitor | null,
  options: {
    method?: string;
    body?: unknown;
    rawBody?: string;
    token?: string | null;
    contentType?: string;
    query?: string;
    userAgent?: string;
  } = {},
) {
  const headers: Record<string, string> = {
    "Content-Type": options.contentType ?? "application/json",
    "User-Agent": options.userAgent ?? CHROME,
  };
  if (who) headers.Cookie = who.cookie;
  const token = options.token === undefined ? ROUTE_CSRF : options.token;
  if (token !== null) headers["X-CSRF-Token"] = token;
  const method = options.method ?? "POST";
  return new Request(`http://localhost:3000${PATH}${options.query ?? ""}`, {
    method,
    headers,
    body:
      method === "GET"
        ? undefined
        : (options.rawBody ?? JSON.stringify(options.body ?? browserSubscription())),
  });
}

async function call(req: Request) {
  const response = (await action({ request: req, params: {}, context: routeContext })) as Response;
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
    headers: response.headers,
  };
}

const rowsOf = (userId: string) =>
  prisma.pushSubscription.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

describe("POST /api/push/abonnement", () => {
  it("stores the browser's subscription for the signed-in person", async () => {
    const who = await signIn();
    const subscription = browserSubscription();
    const result = await call(request(who, { body: subscription }));
    expect(result).toMatchObject({ status: 200, body: { ok: true, created: true, moved: false } });
    expect(result.headers.get("Cache-Control")).toBe("no-store");
    const rows = await rowsOf(who.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      endpoint: subscription.endpoint,
      p256dh: subscription.keys.p256dh,
      auth: subscription.keys.auth,
      userAgent: CHROME,
      failureCount: 0,
    });
  });

  it("confirms an existing subscription: new keys, lastSeenAt now, failures forgotten, no second row", async () => {
    const who = await signIn();
    const old = await buildPushSubscription(who.id, {
      lastSeenAt: new Date("2026-01-01T00:00:00Z"),
      failureCount: 3,
    });
    const keys = pushSubscriptionKeys();
    const before = Date.now();
    const result = await call(request(who, { body: { endpoint: old.endpoint, keys } }));
    expect(result).toMatchObject({ status: 200, body: { created: false, moved: false } });
    const rows = await rowsOf(who.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: old.id, p256dh: keys.p256dh, auth: keys.auth, failureCount: 0 });
    expect(rows[0]!.lastSeenAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("moves an endpoint that belonged to another person to whoever uses the browser now", async () => {
    const previous = await buildUser();
    const theirs = await buildPushSubscription(previous.id);
    const who = await signIn();
    const result = await call(
      request(who, { body: { endpoint: theirs.endpoint, keys: pushSubscriptionKeys() } }),
    );
    expect(result).toMatchObject({ status: 200, body: { created: false, moved: true } });
    expect(await rowsOf(previous.id)).toHaveLength(0);
    expect((await rowsOf(who.id)).map((row) => row.endpoint)).toEqual([theirs.endpoint]);
  });

  it(`keeps at most ${MAX_PUSH_SUBSCRIPTIONS_PER_USER} per person, dropping the least recently seen`, async () => {
    const who = await signIn();
    const base = Date.parse("2026-03-01T08:00:00Z");
    const existing = [];
    for (let index = 0; index < MAX_PUSH_SUBSCRIPTIONS_PER_USER; index += 1) {
      existing.push(await buildPushSubscription(who.id, { lastSeenAt: new Date(base + index * 60_000) }));
    }
    const fresh = browserSubscription();
    const result = await call(request(who, { body: fresh }));
    expect(result.status).toBe(200);
    const endpoints = (await rowsOf(who.id)).map((row) => row.endpoint);
    expect(endpoints).toHaveLength(MAX_PUSH_SUBSCRIPTIONS_PER_USER);
    expect(endpoints).toContain(fresh.endpoint);
    // The oldest confirmed one went; the rest stayed.
    expect(endpoints).not.toContain(existing[0]!.endpoint);
    for (const kept of existing.slice(1)) expect(endpoints).toContain(kept.endpoint);
  });

  it("truncates a very long user agent instead of refusing", async () => {
    const who = await signIn();
    const result = await call(request(who, { userAgent: "x".repeat(2000) }));
    expect(result.status).toBe(200);
    expect((await rowsOf(who.id))[0]!.userAgent).toHaveLength(512);
  });
});

describe("refusals", () => {
  it("401 without a session, and nothing stored", async () => {
    const before = await prisma.pushSubscription.count();
    const result = await call(request(null));
    expect(result).toMatchObject({ status: 401, body: { code: "unauthenticated" } });
    expect(await prisma.pushSubscription.count()).toBe(before);
  });

  it("403 without the CSRF header or with another token", async () => {
    const who = await signIn();
    expect(await call(request(who, { token: null }))).toMatchObject({ status: 403, body: { code: "csrf" } });
    expect(await call(request(who, { token: "abc.def" }))).toMatchObject({
      status: 403,
      body: { code: "csrf" },
    });
    expect(await rowsOf(who.id)).toHaveLength(0);
  });

  it("403 on a shared kiosk terminal's session", async () => {
    const user = await buildUser({ isFieldWorker: true });
    const session = await createUserSession({ userId: user.id, method: "pin", kind: "kiosk", label: "Test" });
    const cookie = `${session.split(";")[0]}; ${csrfCookieName()}=${encodeURIComponent(ROUTE_CSRF)}`;
    const result = await call(request({ id: user.id, cookie }));
    expect(result).toMatchObject({ status: 403, body: { code: "kiosk" } });
    expect(await rowsOf(user.id)).toHaveLength(0);
  });

  it("415 for a body that is not JSON by its type", async () => {
    const who = await signIn();
    const result = await call(request(who, { contentType: "application/x-www-form-urlencoded" }));
    expect(result).toMatchObject({ status: 415, body: { code: "media_type" } });
  });

  it("400 for malformed JSON", async () => {
    const who = await signIn();
    const result = await call(request(who, { rawBody: "{not json" }));
    expect(result).toMatchObject({ status: 400, body: { code: "invalid_json" } });
  });

  it("413 for an oversized body", async () => {
    const who = await signIn();
    const result = await call(
      request(who, { body: { ...browserSubscription(), padding: "x".repeat(10_000) } }),
    );
    expect(result).toMatchObject({ status: 413, body: { code: "too_large" } });
    expect(await rowsOf(who.id)).toHaveLength(0);
  });

  it.each([
    ["a missing endpoint", { keys: pushSubscriptionKeys() }, "endpoint"],
    ["an http endpoint", { endpoint: "http://push.example.com/x", keys: pushSubscriptionKeys() }, "endpoint"],
    [
      "a loopback endpoint",
      { endpoint: "https://127.0.0.1/push/abc", keys: pushSubscriptionKeys() },
      "endpoint",
    ],
    [
      "an internal host",
      { endpoint: "https://metadata/computeMetadata", keys: pushSubscriptionKeys() },
      "endpoint",
    ],
    [
      "a p256dh that is no P-256 point",
      {
        endpoint: "https://fcm.googleapis.com/fcm/send/x",
        keys: { p256dh: Buffer.alloc(65, 4).toString("base64url"), auth: pushSubscriptionKeys().auth },
      },
      "keys.p256dh",
    ],
    [
      "a short auth secret",
      {
        endpoint: "https://fcm.googleapis.com/fcm/send/x",
        keys: { p256dh: pushSubscriptionKeys().p256dh, auth: "c2hvcnQ" },
      },
      "keys.auth",
    ],
    ["an array", [1, 2, 3], ""],
  ])("400 for %s, naming the field", async (_label, body, path) => {
    const who = await signIn();
    const result = await call(request(who, { body }));
    expect(result).toMatchObject({ status: 400, body: { code: "invalid_subscription" } });
    const issues = (result.body as { issues: { path: string }[] }).issues;
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(await rowsOf(who.id)).toHaveLength(0);
  });

  it("405 for other methods and for GET", async () => {
    const who = await signIn();
    expect(await call(request(who, { method: "PUT" }))).toMatchObject({ status: 405 });
    const response = (await loader()) as Response;
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST, DELETE");
  });
});

describe("removing", () => {
  it("DELETE removes this person's subscription by endpoint (204), then answers 404", async () => {
    const who = await signIn();
    const mine = await buildPushSubscription(who.id);
    const other = await buildPushSubscription(who.id);
    const first = await call(request(who, { method: "DELETE", body: { endpoint: mine.endpoint } }));
    expect(first).toMatchObject({ status: 204, body: null });
    expect((await rowsOf(who.id)).map((row) => row.id)).toEqual([other.id]);
    const again = await call(request(who, { method: "DELETE", body: { endpoint: mine.endpoint } }));
    expect(again).toMatchObject({ status: 404, body: { code: "not_found" } });
  });

  it("POST with _method=delete (query or body) removes too", async () => {
    const who = await signIn();
    const one = await buildPushSubscription(who.id);
    const two = await buildPushSubscription(who.id);
    expect(
      await call(request(who, { query: "?_method=delete", body: { endpoint: one.endpoint } })),
    ).toMatchObject({ status: 204 });
    expect(await call(request(who, { body: { _method: "DELETE", endpoint: two.endpoint } }))).toMatchObject({
      status: 204,
    });
    expect(await rowsOf(who.id)).toHaveLength(0);
  });

  it("never removes another person's subscription, even with its endpoint", async () => {
    const owner = await buildUser();
    const theirs = await buildPushSubscription(owner.id);
    const who = await signIn();
    const result = await call(request(who, { method: "DELETE", body: { endpoint: theirs.endpoint } }));
    expect(result).toMatchObject({ status: 404, body: { code: "not_found" } });
    expect((await rowsOf(owner.id)).map((row) => row.id)).toEqual([theirs.id]);
  });

  it("400 without an endpoint, 403 without the CSRF header", async () => {
    const who = await signIn();
    const mine = await buildPushSubscription(who.id);
    expect(await call(request(who, { method: "DELETE", body: {} }))).toMatchObject({
      status: 400,
      body: { code: "invalid_subscription" },
    });
    expect(
      await call(request(who, { method: "DELETE", body: { endpoint: mine.endpoint }, token: null })),
    ).toMatchObject({ status: 403 });
    expect(await rowsOf(who.id)).toHaveLength(1);
  });
});
