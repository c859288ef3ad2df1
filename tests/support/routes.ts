/**
 * Helpers for route tests that call a Remix loader or action directly (no server, no browser).
 *
 * - `ROUTE_CSRF` and `routeContext`: one CSRF token per test file, passed as the load context the way
 *   server/app.ts does, and sent back by `signIn`'s cookie and the form builders below.
 * - `signIn` / `signInAs`: a real session (method "dev") for a new or existing user, as the `Cookie`
 *   header a signed-in browser would send (session cookie plus CSRF cookie).
 * - `settle`: turns whatever a loader or action produced (returned or thrown Response, `data(…)` result,
 *   plain data) into `{ status, body, location, response? }` so assertions need not care which it was.
 * - `getRequest` / `formPost`: the GET and urlencoded POST requests several route tests build alike.
 */
import { createCsrfToken, csrfCookieName } from "../../app/modules/identity/csrf.server";
import { createUserSession } from "../../app/modules/identity/session.server";
import { buildUser } from "../factories";

/** The CSRF token of this test file: in `routeContext`, in `signIn`'s cookie and posted by `formPost`. */
export const ROUTE_CSRF = createCsrfToken();

/** The load context route handlers receive (no CSP nonce; the file's CSRF token). */
export const routeContext = { cspNonce: "", csrfToken: ROUTE_CSRF };

/** A signed-in user: their id and the `Cookie` header value their browser would send. */
export type Visitor = { id: string; cookie: string };

/** Signs an existing user in: a fresh session, its cookie followed by the CSRF cookie for `ROUTE_CSRF`. */
export async function signInAs(userId: string): Promise<Visitor> {
  const session = await createUserSession({ userId, method: "dev" });
  return {
    id: userId,
    cookie: `${session.split(";")[0]}; ${csrfCookieName()}=${encodeURIComponent(ROUTE_CSRF)}`,
  };
}

/** Creates a user with `buildUser(overrides, roles)` (same parameters and defaults) and signs them in. */
export async function signIn(
  overrides: Parameters<typeof buildUser>[0] = {},
  roles: Parameters<typeof buildUser>[1] = [],
): Promise<Visitor> {
  const { id } = await buildUser(overrides, roles);
  return signInAs(id);
}

/**
 * What a loader or action produced, whichever way it produced it:
 * - a Response (returned or thrown): its status, `body` null, its `Location` header, and the Response
 *   itself in `response` (for other headers or the body);
 * - a `data(value, { status })` result: that status (200 when none was given) and the value as `body`;
 * - anything else: status 200 with it as `body`.
 * `location` is null unless a Response carried one; `response` is only set for Responses.
 */
export type Settled = { status: number; body: unknown; location: string | null; response?: Response };

/** Awaits a loader or action call (thrown values included) and unwraps it into a `Settled`. */
export async function settle(work: Promise<unknown>): Promise<Settled> {
  let result: unknown;
  try {
    result = await work;
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) {
    return { status: result.status, body: null, location: result.headers.get("Location"), response: result };
  }
  if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit") {
    const wrapped = result as unknown as { data: unknown; init: { status?: number } | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data, location: null };
  }
  return { status: 200, body: result, location: null };
}

/** A GET request for a local path, with the visitor's cookies (none for null) and any extra headers. */
export function getRequest(url: string, who: Visitor | null, headers: Record<string, string> = {}) {
  return new Request(`http://localhost:3000${url}`, {
    headers: { ...(who ? { Cookie: who.cookie } : {}), ...headers },
  });
}

/**
 * A urlencoded form POST to a local path, as a browser without JavaScript sends it: the fields (an array
 * value or repeated pairs become repeated fields) plus `csrf` set to `token`, `ROUTE_CSRF` unless told
 * otherwise; pass null to leave the token out.
 */
export function formPost(
  url: string,
  who: Visitor,
  fields: Record<string, string | string[]> | [string, string][],
  token: string | null = ROUTE_CSRF,
) {
  const pairs = Array.isArray(fields)
    ? fields
    : Object.entries(fields).flatMap(([key, value]) =>
        (Array.isArray(value) ? value : [value]).map((one): [string, string] => [key, one]),
      );
  const body = new URLSearchParams(pairs);
  if (token) body.set("csrf", token);
  return new Request(`http://localhost:3000${url}`, {
    method: "POST",
    headers: { Cookie: who.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
}
