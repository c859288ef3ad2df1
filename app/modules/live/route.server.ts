/**
 * GET /live (app/routes/live.tsx): the Server-Sent Events endpoint. A session is required (401 otherwise,
 * no redirect: EventSource cannot follow one to a login page). The stream re-checks the session at every
 * heartbeat without refreshing it, so signing out, a revoked session or the idle timeout end the stream
 * within one heartbeat, and an open tab alone does not keep a session alive.
 */
import { prisma } from "~/db.server";
import { getSessionUser, sessionIdleLimitMs } from "~/modules/identity/session.server";
import { streamReaderOf } from "~/modules/stream/policy.server";
import { ensureLiveHub, type LiveHub } from "./hub.server";
import { liveStreamResponse } from "./sse.server";

/** Open streams per person (tabs and devices); more answer 429 so one account cannot hold every socket. */
export const MAX_STREAMS_PER_USER = 6;

const NO_STORE = { "Cache-Control": "no-store", "Content-Type": "text/plain; charset=utf-8" };

/** Whether a session still exists, is not past its deadlines and belongs to an active person. */
export async function sessionStillValid(sessionId: string): Promise<boolean> {
  const session = await prisma.session.findUnique({
    where: { id: sessionId },
    select: { kind: true, expiresAt: true, lastActiveAt: true, user: { select: { active: true } } },
  });
  if (!session?.user.active) return false;
  const now = Date.now();
  const idleLimit = sessionIdleLimitMs(session.kind);
  return session.expiresAt.getTime() > now && now - session.lastActiveAt.getTime() <= idleLimit;
}

/** Answers a request for the live stream; `hub` and `heartbeatMs` are for tests. */
export async function handleLiveRequest(
  request: Request,
  options: { hub?: LiveHub; heartbeatMs?: number } = {},
): Promise<Response> {
  const user = await getSessionUser(request);
  if (!user) return new Response("Sign in first", { status: 401, headers: NO_STORE });
  const hub = options.hub ?? (await ensureLiveHub());
  if (hub.subscriberCount(user.id) >= MAX_STREAMS_PER_USER) {
    return new Response("Too many open live streams", {
      status: 429,
      headers: { ...NO_STORE, "Retry-After": "30" },
    });
  }
  const reader = await streamReaderOf(user);
  return liveStreamResponse({
    hub,
    reader,
    signal: request.signal,
    request,
    stillValid: () => sessionStillValid(user.sessionId),
    heartbeatMs: options.heartbeatMs,
  });
}
