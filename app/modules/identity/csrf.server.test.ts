import { PRODUCTION_DATA_KEYS } from "../../../tests/support/production-keys";
import { createHmac, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/env.server";
import {
  assertCsrf,
  createCsrfToken,
  CSRF_FIELD,
  CSRF_HEADER,
  csrfCookieName,
  csrfTokenFromCookieHeader,
  isWellFormedCsrfToken,
  readCsrfCheckedForm,
  serializeCsrfCookie,
} from "./csrf.server";

const savedEnv = { ...process.env };

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  resetEnvCache();
});

/** A POST as a browser would send it: the CSRF cookie plus (optionally) the token in the form or a header. */
function post({ cookie, field, header }: { cookie?: string; field?: string; header?: string }): Request {
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded" });
  if (cookie !== undefined)
    headers.set("Cookie", `theme=dark; ${csrfCookieName()}=${encodeURIComponent(cookie)}`);
  if (header !== undefined) headers.set(CSRF_HEADER, header);
  const body = new URLSearchParams({ naam: "Els" });
  if (field !== undefined) body.set(CSRF_FIELD, field);
  return new Request("http://localhost:3000/profiel", { method: "POST", headers, body });
}

/** What `fn` throws (sync or async), or undefined when it does not throw. */
async function thrownBy(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
    return undefined;
  } catch (thrown) {
    return thrown;
  }
}

async function expectForbidden(fn: () => unknown) {
  const thrown = await thrownBy(fn);
  expect(thrown).toBeInstanceOf(Response);
  expect((thrown as Response).status).toBe(403);
}

describe("CSRF tokens", () => {
  it("are `random.signature`, base64url, different every time and recognised as ours", () => {
    const token = createCsrfToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}$/);
    expect(isWellFormedCsrfToken(token)).toBe(true);
    expect(createCsrfToken()).not.toBe(token);
  });

  it("refuses a forged or damaged signature", () => {
    const [random, signature] = createCsrfToken().split(".") as [string, string];
    const otherKey = createHmac("sha256", "not-our-secret").update(`csrf:${random}`).digest("base64url");
    const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
    for (const forged of [
      `${random}.${otherKey}`,
      `${random}.${flipped}`,
      `${random}.${signature.slice(0, -1)}`,
      `${randomBytes(24).toString("base64url")}.${signature}`,
      `${random}.${signature}.extra`,
      `${random}.`,
      `.${signature}`,
      random,
      "",
      null,
      undefined,
    ]) {
      expect(isWellFormedCsrfToken(forged), String(forged)).toBe(false);
    }
  });

  it("are signed with SESSION_SECRET: a new secret invalidates old tokens", () => {
    const token = createCsrfToken();
    process.env.SESSION_SECRET = randomBytes(32).toString("hex");
    resetEnvCache();
    expect(isWellFormedCsrfToken(token)).toBe(false);
    expect(isWellFormedCsrfToken(createCsrfToken())).toBe(true);
  });
});

describe("the CSRF cookie", () => {
  it("is read from a Cookie header among other cookies", () => {
    const token = createCsrfToken();
    expect(csrfTokenFromCookieHeader(`a=1; werkplek_csrf=${encodeURIComponent(token)}; b=2`)).toBe(token);
    expect(csrfTokenFromCookieHeader("a=1; b=2")).toBeNull();
    expect(csrfTokenFromCookieHeader(null)).toBeNull();
  });

  it("is httpOnly and SameSite=Lax outside production", () => {
    const cookie = serializeCsrfCookie("abc.def");
    expect(cookie).toBe("werkplek_csrf=abc.def; Path=/; HttpOnly; SameSite=Lax");
  });

  it("is __Host- prefixed and Secure in production", () => {
    Object.assign(process.env, {
      NODE_ENV: "production",
      APP_URL: "https://werkplek.stad.gent",
      SESSION_SECRET: randomBytes(32).toString("hex"),
      ENTRA_TENANT_ID: "tenant",
      ENTRA_CLIENT_ID: "client",
      ENTRA_CLIENT_SECRET: "secret",
      ...PRODUCTION_DATA_KEYS,
    });
    resetEnvCache();
    expect(csrfCookieName()).toBe("__Host-werkplek_csrf");
    expect(serializeCsrfCookie("abc.def")).toBe(
      "__Host-werkplek_csrf=abc.def; Path=/; HttpOnly; SameSite=Lax; Secure",
    );
  });
});

describe("assertCsrf and readCsrfCheckedForm", () => {
  it("accept a form whose token matches the cookie", async () => {
    const token = createCsrfToken();
    const form = await readCsrfCheckedForm(post({ cookie: token, field: token }));
    expect(form.get("naam")).toBe("Els");
  });

  it("accept the token in the X-CSRF-Token header instead of the form", async () => {
    const token = createCsrfToken();
    expect(() => assertCsrf(post({ cookie: token, header: token }), null)).not.toThrow();
    const form = await readCsrfCheckedForm(post({ cookie: token, header: token }));
    expect(form.get("naam")).toBe("Els");
  });

  it("refuse with 403 when the cookie is missing", async () => {
    const token = createCsrfToken();
    await expectForbidden(() => readCsrfCheckedForm(post({ field: token })));
    await expectForbidden(() => assertCsrf(post({ header: token }), null));
  });

  it("refuse with 403 when the form field and the header are missing", async () => {
    const token = createCsrfToken();
    await expectForbidden(() => readCsrfCheckedForm(post({ cookie: token })));
    await expectForbidden(() => assertCsrf(post({ cookie: token }), null));
    await expectForbidden(() => assertCsrf(post({ cookie: token }), ""));
  });

  it("refuse with 403 when the submitted token differs from the cookie", async () => {
    const token = createCsrfToken();
    await expectForbidden(() => readCsrfCheckedForm(post({ cookie: token, field: createCsrfToken() })));
    await expectForbidden(() => assertCsrf(post({ cookie: token, header: createCsrfToken() }), null));
  });

  it("refuse with 403 a forged cookie, even when the form repeats it", async () => {
    const forged = `${randomBytes(24).toString("base64url")}.${randomBytes(32).toString("base64url")}`;
    await expectForbidden(() => readCsrfCheckedForm(post({ cookie: forged, field: forged })));
    await expectForbidden(() => assertCsrf(post({ cookie: forged, header: forged }), null));
  });
});
