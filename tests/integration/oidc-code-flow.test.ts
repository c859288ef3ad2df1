/**
 * Sign-in with Microsoft Entra ID, end to end: a local OpenID provider (oidc-provider) plays Entra ID,
 * the real Express app (server/app.ts) plays Werkplek, and plain fetch with a cookie jar per host plays
 * the browser, following every redirect by hand.
 */
import { PRODUCTION_DATA_KEYS } from "../support/production-keys";
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import Provider, { type AccountClaims } from "oidc-provider";
import { type CustomFetch } from "openid-client";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { parseEnv, resetEnvCache } from "~/env.server";
import { getSessionUser, resetSessionCookie } from "~/modules/identity/session.server";
import { createApp } from "../../server/app";
import { buildUser } from "../factories";
import { setupTestDatabase } from "../setup/database";

setupTestDatabase();

const CLIENT_ID = "werkplek-test";
const CLIENT_SECRET = randomBytes(24).toString("base64url");
const EDITOR_GROUP = randomUUID();
const OTHER_GROUP = randomUUID();

type Person = Omit<AccountClaims, "sub"> & { oid: string; groups: string[] };

/** The provider's directory: account id (the `sub`) → the claims Entra ID would put in the ID token. */
const directory = new Map<string, Person>();

function addPerson(accountId: string, claims: Partial<Person> = {}) {
  directory.set(accountId, {
    oid: randomUUID(),
    name: "Test Persoon",
    given_name: "Test",
    family_name: "Persoon",
    email: `${accountId}@stad.gent`,
    preferred_username: `${accountId}@stad.gent`,
    groups: [],
    ...claims,
  });
  return directory.get(accountId)!;
}

/** What the app's fetch to the provider's token endpoint does; tests switch it to tamper with the ID token. */
let tokenResponseFilter: ((body: Record<string, unknown>) => Record<string, unknown>) | null = null;

const customFetch: CustomFetch = async (url, options) => {
  const response = await fetch(url, options as RequestInit);
  if (!tokenResponseFilter || new URL(url).pathname !== "/token" || !response.ok) return response;
  const body = tokenResponseFilter((await response.json()) as Record<string, unknown>);
  return new Response(JSON.stringify(body), {
    status: response.status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
};

/** Flips characters in the middle of the ID token's signature (the header and payload stay valid). */
function tamperSignature(body: Record<string, unknown>) {
  const [header, payload, signature] = String(body.id_token).split(".");
  const chars = [...signature!];
  for (const i of [10, 11, 12]) chars[i] = chars[i] === "A" ? "B" : "A";
  return { ...body, id_token: `${header}.${payload}.${chars.join("")}` };
}

/** Why the app refused sign-ins (its log carries the reason, never personal data). */
const refusals: string[] = [];
const logger = pino(
  { level: "warn" },
  {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; reason?: string; code?: string; detail?: string };
      if (entry.msg !== "Entra ID sign-in refused") return;
      refusals.push([entry.reason, entry.code, entry.detail].filter(Boolean).join(" | "));
    },
  },
);

const servers: http.Server[] = [];

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let issuer = "";
let appUrl = "";

beforeAll(async () => {
  const providerServer = http.createServer();
  issuer = await listen(providerServer);
  const appServer = http.createServer();
  appUrl = await listen(appServer);

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        token_endpoint_auth_method: "client_secret_post",
        redirect_uris: [`${appUrl}/auth/entra/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    pkce: { required: () => true },
    // Entra ID puts these in the ID token; oidc-provider would otherwise move them to userinfo only.
    claims: {
      openid: ["sub"],
      profile: ["name", "oid", "groups", "preferred_username", "given_name", "family_name"],
      email: ["email"],
    },
    conformIdTokenClaims: false,
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => {
      const person = directory.get(id);
      return person && { accountId: id, claims: () => ({ sub: id, ...person }) };
    },
  });
  providerServer.on("request", provider.callback());

  // The Entra code reads the configuration through getEnv() too (cookie settings, secrets).
  const vars = {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    APP_URL: appUrl,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    ENTRA_ISSUER_URL: issuer,
    ENTRA_CLIENT_ID: CLIENT_ID,
    ENTRA_CLIENT_SECRET: CLIENT_SECRET,
    ...PRODUCTION_DATA_KEYS,
    ENTRA_ALLOW_HTTP: "true",
    ENTRA_ROLE_GROUPS: `editor=${EDITOR_GROUP}`,
  };
  Object.assign(process.env, vars);
  resetEnvCache();
  resetSessionCookie();
  const app = createApp({
    env: parseEnv({ ...vars, NODE_ENV: "test", DATABASE_URL: process.env.DATABASE_URL }),
    logger,
    entra: { customFetch },
  });
  appServer.on("request", app);
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  resetSessionCookie();
});

beforeEach(async () => {
  tokenResponseFilter = null;
  refusals.length = 0;
  // Every sign-in here comes from 127.0.0.1: keep the per-IP login limit out of the way.
  await prisma.rateLimit.deleteMany();
});

/** A minimal browser: one cookie jar per origin, redirects followed by the test itself. */
class Browser {
  jars = new Map<string, Map<string, string>>();

  clone(): Browser {
    const copy = new Browser();
    for (const [origin, jar] of this.jars) copy.jars.set(origin, new Map(jar));
    return copy;
  }

  cookie(origin: string, name: string) {
    return this.jars.get(origin)?.get(name);
  }

  async request(url: URL | string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const jar = this.jars.get(target.origin) ?? new Map<string, string>();
    this.jars.set(target.origin, jar);
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("Cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await fetch(target, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const name = pair!.slice(0, pair!.indexOf("="));
      const value = pair!.slice(pair!.indexOf("=") + 1);
      const expired = attributes.some(
        (a) =>
          /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()),
      );
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  }
}

const isRedirect = (response: Response) => response.status >= 300 && response.status < 400;
const location = (response: Response, base: URL | string) => new URL(response.headers.get("Location")!, base);

/**
 * Starts a sign-in at the app and goes through the provider (login and consent pages included) up to
 * the moment the provider sends the browser back to the app; returns that callback URL without opening it.
 */
async function signInAtProvider(browser: Browser, accountId: string, terug = "/profiel") {
  const start = await browser.request(`${appUrl}/auth/entra?terug=${encodeURIComponent(terug)}`);
  expect(isRedirect(start), `GET /auth/entra answered ${start.status}`).toBe(true);
  const authorizeUrl = location(start, appUrl);
  expect(authorizeUrl.origin).toBe(issuer);
  let next = authorizeUrl;
  for (let hop = 0; hop < 20; hop++) {
    if (next.href.startsWith(`${appUrl}/auth/entra/callback`)) return { authorizeUrl, callbackUrl: next };
    const response = await browser.request(next);
    if (isRedirect(response)) {
      next = location(response, next);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action) {
      throw new Error(`Unexpected answer ${response.status} from ${next.href}:\n${html.slice(0, 500)}`);
    }
    const form: Record<string, string> = html.includes('name="prompt" value="login"')
      ? { prompt: "login", login: accountId, password: "irrelevant" }
      : { prompt: "consent" };
    const submitted = await browser.request(new URL(action, next), {
      method: "POST",
      body: new URLSearchParams(form),
    });
    expect(isRedirect(submitted), `interaction answered ${submitted.status}`).toBe(true);
    next = location(submitted, next);
  }
  throw new Error("Too many redirects at the provider");
}

/** Completes a sign-in; returns the app's answer to the callback. */
async function signIn(browser: Browser, accountId: string, terug = "/profiel") {
  const { callbackUrl } = await signInAtProvider(browser, accountId, terug);
  return browser.request(callbackUrl);
}

const sessionCookieOf = (browser: Browser) => browser.cookie(appUrl, "werkplek_session");

const sessionUserOf = (browser: Browser) => {
  const value = sessionCookieOf(browser);
  return getSessionUser(
    new Request(`${appUrl}/`, { headers: value ? { Cookie: `werkplek_session=${value}` } : {} }),
  );
};

/** Expects the callback to have been refused: back to the login page, no session cookie and no session row. */
async function expectRefused(
  response: Response,
  browser: Browser,
  sessionsBefore: number,
  because: RegExp,
  reason: "entra" | "inactive" = "entra",
) {
  expect(refusals.at(-1)).toMatch(because);
  expect(response.status).toBe(303);
  expect(response.headers.get("Location")).toBe(`/inloggen?fout=${reason}`);
  expect(response.headers.getSetCookie().some((c) => c.startsWith("werkplek_session="))).toBe(false);
  expect(sessionCookieOf(browser)).toBeUndefined();
  expect(await prisma.session.count()).toBe(sessionsBefore);
}

describe("Entra ID sign-in (authorization code flow)", () => {
  it("creates the user from the ID token claims and a session, then returns to the page asked for", async () => {
    const person = addPerson("els.declercq", {
      name: "Els De Clercq",
      given_name: "Els",
      family_name: "De Clercq",
      email: "Els.DeClercq@Stad.Gent",
      groups: [OTHER_GROUP, EDITOR_GROUP],
    });
    const browser = new Browser();
    const response = await signIn(browser, "els.declercq");

    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/profiel");
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("werkplek_session="));
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    // The handshake cookie is cleared once it has served its purpose.
    expect(browser.cookie(appUrl, "werkplek_oidc")).toBeUndefined();

    const sessionUser = await sessionUserOf(browser);
    expect(sessionUser).toMatchObject({
      displayName: "Els De Clercq",
      email: "els.declercq@stad.gent",
      roles: ["employee", "editor"],
    });
    const user = await prisma.user.findUniqueOrThrow({ where: { id: sessionUser!.id } });
    expect(user).toMatchObject({ entraOid: person.oid, givenName: "Els", familyName: "De Clercq" });
    expect(user.lastLoginAt).not.toBeNull();
    expect(await prisma.session.findUnique({ where: { id: sessionUser!.sessionId } })).toMatchObject({
      method: "entra",
      userId: user.id,
    });
  });

  it("withdraws a group-based role at the next sign-in once the group is gone", async () => {
    const person = addPerson("wim.maes", { name: "Wim Maes", groups: [EDITOR_GROUP] });
    const first = new Browser();
    expect((await signIn(first, "wim.maes")).status).toBe(303);
    expect((await sessionUserOf(first))?.roles).toEqual(["employee", "editor"]);

    person.groups = [OTHER_GROUP];
    const second = new Browser();
    expect((await signIn(second, "wim.maes")).status).toBe(303);
    const again = await sessionUserOf(second);
    expect(again?.roles).toEqual(["employee"]);
    expect(await prisma.user.count({ where: { entraOid: person.oid } })).toBe(1);
  });

  it("links a person already known from the HR import (same e-mail, no Entra id) instead of duplicating", async () => {
    const imported = await buildUser({ email: "jan.peeters@stad.gent", displayName: "Peeters Jan" });
    const person = addPerson("jan.peeters", { name: "Jan Peeters", email: "Jan.Peeters@stad.gent" });
    const browser = new Browser();
    expect((await signIn(browser, "jan.peeters")).status).toBe(303);

    const sessionUser = await sessionUserOf(browser);
    expect(sessionUser?.id).toBe(imported.id);
    expect(sessionUser?.displayName).toBe("Jan Peeters");
    expect(await prisma.user.count({ where: { email: "jan.peeters@stad.gent" } })).toBe(1);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: imported.id } })).entraOid).toBe(person.oid);
  });

  it("sends PKCE (S256), state and nonce with the authorization request", async () => {
    addPerson("pkce.check");
    const { authorizeUrl } = await signInAtProvider(new Browser(), "pkce.check");
    const params = authorizeUrl.searchParams;
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe(CLIENT_ID);
    expect(params.get("redirect_uri")).toBe(`${appUrl}/auth/entra/callback`);
    expect(params.get("scope")?.split(" ").sort()).toEqual(["email", "openid", "profile"]);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(params.get("nonce")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // Fresh values for every attempt.
    const { authorizeUrl: other } = await signInAtProvider(new Browser(), "pkce.check");
    for (const name of ["code_challenge", "state", "nonce"]) {
      expect(other.searchParams.get(name)).not.toBe(params.get(name));
    }
  });

  it("refuses a callback with a state that does not belong to this browser", async () => {
    addPerson("state.check");
    const sessionsBefore = await prisma.session.count();
    const browser = new Browser();
    const { callbackUrl } = await signInAtProvider(browser, "state.check");
    callbackUrl.searchParams.set("state", randomBytes(32).toString("base64url"));
    await expectRefused(await browser.request(callbackUrl), browser, sessionsBefore, /"state"/);
  });

  it("refuses an ID token whose signature has been tampered with", async () => {
    addPerson("tamper.control");
    // Control: passing the token response through the filter untouched still signs in.
    tokenResponseFilter = (body) => ({ ...body });
    expect((await signIn(new Browser(), "tamper.control")).headers.get("Location")).toBe("/profiel");

    addPerson("tamper.check");
    const sessionsBefore = await prisma.session.count();
    const browser = new Browser();
    const { callbackUrl } = await signInAtProvider(browser, "tamper.check");
    tokenResponseFilter = tamperSignature;
    await expectRefused(await browser.request(callbackUrl), browser, sessionsBefore, /signature/i);
    expect(await prisma.user.count({ where: { entraOid: directory.get("tamper.check")!.oid } })).toBe(0);
  });

  it("refuses to replay a callback URL, even with the handshake cookie it was issued with", async () => {
    addPerson("replay.check");
    const browser = new Browser();
    const { callbackUrl } = await signInAtProvider(browser, "replay.check");
    const attacker = browser.clone();
    expect((await browser.request(callbackUrl)).status).toBe(303);
    expect(sessionCookieOf(browser)).toBeDefined();

    const sessionsBefore = await prisma.session.count();
    // The same browser: the handshake cookie is gone.
    const again = browser.clone();
    again.jars.get(appUrl)!.delete("werkplek_session");
    await expectRefused(await again.request(callbackUrl), again, sessionsBefore, /request state/);
    // A copy of the browser as it was before the callback: the code has been used already.
    expect(attacker.cookie(appUrl, "werkplek_oidc")).toBeDefined();
    await expectRefused(await attacker.request(callbackUrl), attacker, sessionsBefore, /response body/);
  });

  it("refuses a deactivated user", async () => {
    const person = addPerson("vertrokken");
    await buildUser({ entraOid: person.oid, email: "vertrokken@stad.gent", active: false });
    const sessionsBefore = await prisma.session.count();
    const browser = new Browser();
    await expectRefused(
      await signIn(browser, "vertrokken"),
      browser,
      sessionsBefore,
      /^inactive$/,
      "inactive",
    );
  });

  it("ends the session at its absolute deadline and after the idle limit", async () => {
    addPerson("sessie.check");
    const absolute = new Browser();
    expect((await signIn(absolute, "sessie.check")).status).toBe(303);
    const first = await sessionUserOf(absolute);
    expect(first).not.toBeNull();
    await prisma.session.update({
      where: { id: first!.sessionId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await sessionUserOf(absolute)).toBeNull();

    const idle = new Browser();
    expect((await signIn(idle, "sessie.check")).status).toBe(303);
    const second = await sessionUserOf(idle);
    expect(second).not.toBeNull();
    await prisma.session.update({
      where: { id: second!.sessionId },
      data: { lastActiveAt: new Date(Date.now() - 121 * 60_000) },
    });
    expect(await sessionUserOf(idle)).toBeNull();
    expect(await prisma.session.count({ where: { id: { in: [first!.sessionId, second!.sessionId] } } })).toBe(
      0,
    );
  });
});
