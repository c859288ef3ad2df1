/**
 * GET /live: Server-Sent Events for the signed-in person (new posts they may see, their notifications).
 * `text/event-stream`, a heartbeat every 25 s, `retry` 5 s; 401 without a session. The work is in
 * app/modules/live/route.server.ts; the browser connects with `new EventSource("/live")`.
 */
import { type LoaderFunctionArgs } from "@remix-run/node";
import { handleLiveRequest } from "~/modules/live/route.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return handleLiveRequest(request);
}
