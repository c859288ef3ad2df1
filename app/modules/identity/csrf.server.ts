/**
 * CSRF protection, second layer (the first is the Origin check in server/security.ts): a signed
 * double-submit token. The cookie holds `random.signature`; every form posts the same value in `csrf`
 * (or JavaScript sends it as `X-CSRF-Token`). An attacker can neither read nor forge it.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv, sessionSecrets } from "~/env.server";

export const CSRF_FIELD = "csrf";
export const CSRF_HEADER = "x-csrf-token";

/** Name of the CSRF cookie (`__Host-` prefixed in production so a sibling subdomain cannot plant one). */
export function csrfCookieName() {
  return getEnv().isProduction ? "__Host-werkplek_csrf" : "werkplek_csrf";
}

function sign(random: string) {
  return createHmac("sha256", sessionSecrets()[0]!).update(`csrf:${random}`).digest("base64url");
}

/** Creates a new token value for the cookie and forms. */
export function createCsrfToken(): string {
  const random = randomBytes(24).toString("base64url");
  return `${random}.${sign(random)}`;
}

/** Whether a token was made by this server. */
export function isWellFormedCsrfToken(token: string | null | undefined): token is string {
  if (!token) return false;
  const [random, signature, extra] = token.split(".");
  if (!random || !signature || extra !== undefined) return false;
  return safeEqual(signature, sign(random));
}

function safeEqual(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Reads the CSRF token from a Cookie header. */
export function csrfTokenFromCookieHeader(header: string | null): string | null {
  if (!header) return null;
  const name = csrfCookieName();
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** Serialises the CSRF cookie (httpOnly: forms get the token from the page, not from JavaScript). */
export function serializeCsrfCookie(token: string): string {
  const secure = getEnv().isProduction ? "; Secure" : "";
  return `${csrfCookieName()}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

/** Thrown (as a 403 response) when a mutation lacks a valid token. */
function refuse(): never {
  throw new Response("Invalid or missing CSRF token", { status: 403, statusText: "Forbidden" });
}

/** Checks the token of a mutating request against its cookie; throws 403 when it does not match. */
export function assertCsrf(request: Request, submitted: FormDataEntryValue | string | null | undefined) {
  const fromCookie = csrfTokenFromCookieHeader(request.headers.get("Cookie"));
  const fromRequest = typeof submitted === "string" ? submitted : request.headers.get(CSRF_HEADER);
  if (!isWellFormedCsrfToken(fromCookie) || !fromRequest || !safeEqual(fromCookie, fromRequest)) refuse();
}

/** Reads a form submission after checking its CSRF token: every action that changes state starts here. */
export async function readCsrfCheckedForm(request: Request): Promise<FormData> {
  const formData = await request.formData();
  assertCsrf(request, formData.get(CSRF_FIELD));
  return formData;
}
