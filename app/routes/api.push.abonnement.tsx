/**
 * /api/push/abonnement: this browser's web push subscription, for the push control (JSON only).
 *
 * - POST with the browser's `PushSubscription.toJSON()` stores or confirms it for the signed-in person → 200
 *   `{ ok, created, moved }`.
 * - DELETE (or POST with `?_method=delete` or `"_method": "delete"` in the body) with `{ endpoint }` removes
 *   it → 204, or 404 when this person has no subscription with that endpoint.
 *
 * CSRF token in the `X-CSRF-Token` header. Errors are `{ error, code }` in English with 400, 401, 403, 405,
 * 413, 415 or 429; the control shows its own Dutch text.
 */
import { type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { PushSubscriptionSchema } from "~/modules/channels/push.server";
import { removePushSubscription, savePushSubscription } from "~/modules/channels/push-subscriptions.server";
import { assertCsrf } from "~/modules/identity/csrf.server";
import { getSessionUser } from "~/modules/identity/session.server";
import { consumeRateLimit, RATE_LIMITS } from "~/utils/rate-limit.server";

/** A subscription is well under 1 KB; anything much larger is not one. */
const MAX_BODY_BYTES = 8 * 1024;
const NO_STORE = { "Cache-Control": "no-store" };

const RemoveSchema = z.object({ endpoint: z.string().min(1).max(2048) });

function problem(
  status: number,
  error: string,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return Response.json({ error, code, ...extra }, { status, headers: { ...NO_STORE, ...headers } });
}

type Body = { ok: true; value: unknown } | { ok: false; response: Response };

async function readJson(request: Request): Promise<Body> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    return { ok: false, response: problem(415, "Send the subscription as application/json", "media_type") };
  }
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    return { ok: false, response: problem(413, "The request body is too large", "too_large") };
  }
  const text = await request.text();
  if (new TextEncoder().encode(text).length > MAX_BODY_BYTES) {
    return { ok: false, response: problem(413, "The request body is too large", "too_large") };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: problem(400, "The request body is not valid JSON", "invalid_json") };
  }
}

function wantsRemoval(request: Request, body: unknown): boolean {
  if (request.method === "DELETE") return true;
  if (new URL(request.url).searchParams.get("_method")?.toLowerCase() === "delete") return true;
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { _method?: unknown })._method === "string" &&
    (body as { _method: string })._method.toLowerCase() === "delete"
  );
}

function issuesOf(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST" && request.method !== "DELETE") {
    return problem(
      405,
      "Use POST to subscribe or DELETE to unsubscribe",
      "method",
      {},
      { Allow: "POST, DELETE" },
    );
  }
  const user = await getSessionUser(request);
  if (!user) return problem(401, "Sign in first", "unauthenticated");
  try {
    assertCsrf(request, null);
  } catch (error) {
    if (error instanceof Response) return problem(403, "Invalid or missing CSRF token", "csrf");
    throw error;
  }
  // A shared terminal is used by a whole crew: one person's notifications must never appear on it.
  if (user.sessionKind === "kiosk") {
    return problem(403, "Push notifications are not available on a shared terminal", "kiosk");
  }
  const body = await readJson(request);
  if (!body.ok) return body.response;

  const limit = await consumeRateLimit(RATE_LIMITS.pushSubscriptionPerUser, user.id);
  if (!limit.allowed) {
    return problem(
      429,
      "Too many requests; try again later",
      "rate_limited",
      {},
      {
        "Retry-After": String(limit.retryAfterSeconds),
      },
    );
  }

  if (wantsRemoval(request, body.value)) {
    const parsed = RemoveSchema.safeParse(body.value);
    if (!parsed.success) {
      return problem(400, "Send the endpoint to remove", "invalid_subscription", {
        issues: issuesOf(parsed.error),
      });
    }
    const removed = await removePushSubscription(user.id, parsed.data.endpoint);
    return removed
      ? new Response(null, { status: 204, headers: NO_STORE })
      : problem(404, "You have no push subscription with this endpoint", "not_found");
  }

  const parsed = PushSubscriptionSchema.safeParse(body.value);
  if (!parsed.success) {
    return problem(400, "This is not a valid push subscription", "invalid_subscription", {
      issues: issuesOf(parsed.error),
    });
  }
  const saved = await savePushSubscription(
    user.id,
    { endpoint: parsed.data.endpoint, keys: parsed.data.keys },
    request.headers.get("User-Agent"),
  );
  return Response.json({ ok: true, created: saved.created, moved: saved.moved }, { headers: NO_STORE });
}

export async function loader() {
  return problem(
    405,
    "Use POST to subscribe or DELETE to unsubscribe",
    "method",
    {},
    { Allow: "POST, DELETE" },
  );
}
