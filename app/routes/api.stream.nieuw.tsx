/**
 * GET /api/stream/nieuw?sinds=<cursor>: how many posts arrived in the reader's home stream after the home
 * page's `newestSeen` cursor, their own left out (countNewSince applies the visibility policy). JSON
 * `{ count, more }`; 401 without a session (no redirect: the indicator calls it with fetch), 400 for a
 * missing or damaged cursor. Errors are English JSON `{ error }`, as for every API.
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getSessionUser } from "~/modules/identity/session.server";
import { isStreamError } from "~/modules/stream/errors";
import { streamErrorHeaders, streamErrorStatus } from "~/modules/stream/http.server";
import { countNewSince } from "~/modules/stream/stream.server";

const NO_STORE = { "Cache-Control": "no-store" };

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (!user) return json({ error: "Sign in first" }, 401);
  const since = new URL(request.url).searchParams.get("sinds");
  if (!since) return json({ error: "The parameter 'sinds' (a cursor) is required" }, 400);
  try {
    const { count, more } = await countNewSince(user, since);
    return json({ count, more }, 200);
  } catch (error) {
    if (isStreamError(error)) {
      const message = error.code === "invalid_input" ? "The cursor in 'sinds' is not valid" : error.message;
      return json({ error: message }, streamErrorStatus(error), streamErrorHeaders(error));
    }
    throw error;
  }
}
