/**
 * The HTTP layer of server/app.ts without a Remix build: security headers, the Origin check (CSRF layer
 * one), the CSRF cookie and the health probes, over a real listening server.
 */
import { PRODUCTION_DATA_KEYS } from "../support/production-keys";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Env, parseEnv } from "~/env.server";
import { isWellFormedCsrfToken } from "~/modules/identity/csrf.server";
import { createApp } from "../../server/app";
import { readMigrations } from "../../server/db/migrate";
import { setupTestDatabase } from "../setup/database";

setupTestDatabase();

const servers: http.Server[] = [];

/** Listens first (so the app can be told its own URL), then hands requests to the app built for that URL. */
async function serve(makeEnv: (url: string) => Env): Promise<string> {
  const server = http.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on("request", createApp({ env: makeEnv(url), logger: pino({ level: "silent" }) }));
  return url;
}

let devUrl = "";
let productionUrl = "";

beforeAll(async () => {
  devUrl = await serve((url) => parseEnv({ NODE_ENV: "test", APP_URL: url }));
  productionUrl = await serve(() =>
    parseEnv({
      NODE_ENV: "production",
      APP_URL: "https://werkplek.stad.gent",
      SESSION_SECRET: randomBytes(32).toString("base64url"),
      // Discovery is lazy: nothing is fetched from this tenant unless someone signs in.
      ENTRA_TENANT_ID: "00000000-0000-0000-0000-000000000000",
      ENTRA_CLIENT_ID: "werkplek",
      ENTRA_CLIENT_SECRET: "not-a-real-secret",
      ...PRODUCTION_DATA_KEYS,
    }),
  );
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers, redirect: "manual" });
const post = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: "naam=test",
    redirect: "manual",
  });

/** The CSP as a map of directive → sources. */
function csp(response: Response): Map<string, string[]> {
  const header = response.headers.get("Content-Security-Policy");
  expect(header, "Content-Security-Policy header").toBeTruthy();
  return new Map(
    header!.split(";").map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name!, sources];
    }),
  );
}

function scriptNonce(response: Response): string {
  const nonces = (csp(response).get("script-src") ?? []).filter((s) => s.startsWith("'nonce-"));
  expect(nonces).toHaveLength(1);
  return nonces[0]!.slice("'nonce-".length, -1);
}

describe("security headers", () => {
  it("sends a CSP with a fresh script nonce on every response", async () => {
    // /healthz rather than a 404: Express's own 404 page replaces the CSP with "default-src 'none'".
    const first = await get(`${devUrl}/healthz`);
    const second = await get(`${devUrl}/healthz`);
    const [a, b] = [scriptNonce(first), scriptNonce(second)];
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(b).not.toBe(a);

    const policy = csp(first);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("script-src")).not.toContain("'unsafe-inline'");
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("forbids framing, hides the framework and limits the referrer", async () => {
    const response = await get(`${devUrl}/healthz`);
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("X-Powered-By")).toBeNull();
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("sends HSTS and upgrade-insecure-requests only in production", async () => {
    const dev = await get(`${devUrl}/healthz`);
    expect(dev.headers.get("Strict-Transport-Security")).toBeNull();
    expect(csp(dev).has("upgrade-insecure-requests")).toBe(false);

    const production = await get(`${productionUrl}/healthz`);
    expect(production.status).toBe(200);
    expect(production.headers.get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
    expect(csp(production).has("upgrade-insecure-requests")).toBe(true);
    expect(csp(production).get("frame-ancestors")).toEqual(["'none'"]);
    expect(production.headers.get("X-Powered-By")).toBeNull();
  });
});

describe("cross-origin mutations (CSRF layer one)", () => {
  it("refuses a POST from another origin", async () => {
    const response = await post(`${devUrl}/profiel`, { Origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("Cross-origin request refused");
  });

  it("refuses a POST that the browser marks as cross-site or same-site but sends without Origin", async () => {
    expect((await post(`${devUrl}/profiel`, { "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await post(`${devUrl}/profiel`, { "Sec-Fetch-Site": "same-site" })).status).toBe(403);
  });

  it("refuses the production app's POST from an origin other than APP_URL", async () => {
    const response = await post(`${productionUrl}/profiel`, { Origin: "https://evil.example" });
    expect(response.status).toBe(403);
  });

  it("lets a same-origin POST through to the next layer (404 here: no Remix build)", async () => {
    expect((await post(`${devUrl}/profiel`, { Origin: devUrl })).status).toBe(404);
    expect((await post(`${devUrl}/profiel`, { "Sec-Fetch-Site": "same-origin" })).status).toBe(404);
    // Not from a browser at all: the CSRF token (layer two) is what guards this case.
    expect((await post(`${devUrl}/profiel`)).status).toBe(404);
  });

  it("does not apply to GET requests", async () => {
    const response = await get(`${devUrl}/healthz`, { Origin: "https://evil.example" });
    expect(response.status).toBe(200);
  });
});

describe("CSRF cookie (layer two)", () => {
  const csrfCookieOf = (response: Response) =>
    response.headers.getSetCookie().find((cookie) => cookie.startsWith("werkplek_csrf="));

  it("issues a signed, httpOnly, SameSite=Lax token cookie on a first GET", async () => {
    const cookie = csrfCookieOf(await get(`${devUrl}/`));
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const token = decodeURIComponent(cookie!.split(";")[0]!.slice("werkplek_csrf=".length));
    expect(isWellFormedCsrfToken(token)).toBe(true);
  });

  it("keeps a valid token and replaces a forged one", async () => {
    const cookie = csrfCookieOf(await get(`${devUrl}/`))!.split(";")[0]!;
    expect(csrfCookieOf(await get(`${devUrl}/`, { Cookie: cookie }))).toBeUndefined();
    const forged = `werkplek_csrf=${randomBytes(24).toString("base64url")}.${randomBytes(32).toString("base64url")}`;
    const replaced = csrfCookieOf(await get(`${devUrl}/`, { Cookie: forged }));
    expect(replaced).toBeDefined();
    expect(replaced!.split(";")[0]).not.toBe(forged);
  });
});

describe("health probes", () => {
  it("answers /healthz without touching anything", async () => {
    const response = await get(`${devUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("reports ready on a migrated database and names a pending migration otherwise", async () => {
    const ready = await get(`${devUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", pendingMigrations: [] });

    const latest = (await readMigrations()).at(-1)!.name;
    const rows = await prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT * FROM "_prisma_migrations" WHERE migration_name = ${latest}`;
    expect(rows).toHaveLength(1);
    await prisma.$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name = ${latest}`;
    try {
      const notReady = await get(`${devUrl}/readyz`);
      expect(notReady.status).toBe(503);
      expect(notReady.headers.get("Cache-Control")).toBe("no-store");
      expect(await notReady.json()).toEqual({ status: "not ready", pendingMigrations: [latest] });
    } finally {
      const row = rows[0]!;
      await prisma.$executeRaw`
        INSERT INTO "_prisma_migrations"
          (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
        VALUES (${row.id}, ${row.checksum}, ${row.finished_at}, ${row.migration_name}, ${row.logs},
          ${row.rolled_back_at}, ${row.started_at}, ${row.applied_steps_count})`;
    }
    expect((await get(`${devUrl}/readyz`)).status).toBe(200);
  });
});

describe("sign-in rate limit", () => {
  it("sends the browser back to the login page with Retry-After once the limit per IP is reached", async () => {
    await prisma.rateLimit.deleteMany();
    const url = await serve((self) => parseEnv({ NODE_ENV: "test", APP_URL: self, LOGIN_RATE_LIMIT: "2" }));
    const attempts = [];
    for (let i = 0; i < 3; i++) attempts.push(await post(`${url}/inloggen`, { Origin: url }));
    // Without a Remix build an allowed attempt falls through to a 404; the refused one never gets that far.
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 303]);
    expect(attempts[2]!.headers.get("Location")).toBe("/inloggen?fout=rateLimited");
    expect(Number(attempts[2]!.headers.get("Retry-After"))).toBeGreaterThan(0);
    // The Entra ID start shares the same budget.
    expect((await get(`${url}/auth/entra`)).headers.get("Location")).toBe("/inloggen?fout=rateLimited");
  });
});
