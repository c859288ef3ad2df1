/**
 * One browser's Server-Sent Events stream: subscribes to the hub, writes the events it may hear, a
 * heartbeat comment every 25 s (proxies close idle connections; it is also when the session is checked
 * again), and unsubscribes as soon as the client goes away, the session ends, or the hub stops.
 */
import { type StreamReader } from "~/modules/stream/policy.server";
import { formatSseComment, formatSseEvent, type ClientEvent } from "./events";
import { type LiveHub } from "./hub.server";

export const HEARTBEAT_MS = 25_000;
/** How long EventSource waits before reconnecting after a dropped stream. */
export const RETRY_MS = 5_000;
/** Messages a client may fall behind by before its stream is closed (it reconnects and catches up). */
export const MAX_QUEUED_MESSAGES = 200;

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform: the compression middleware leaves the stream alone (it would buffer it).
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // nginx-style proxies would otherwise buffer the response.
  "X-Accel-Buffering": "no",
} as const;

export type LiveStreamOptions = {
  hub: LiveHub;
  reader: StreamReader;
  /** Aborts when the client disconnects (Remix's request.signal). */
  signal: AbortSignal;
  /**
   * The request the signal belongs to, held for as long as the stream lives. Node's Request forwards the
   * caller's abort to `request.signal` through a weak reference to its own AbortController: once nothing
   * holds the Request, garbage collection silently stops the abort from arriving and the subscriber leaks.
   */
  request?: Request;
  /** Asked at every heartbeat; false ends the stream (signed out, session expired or revoked). */
  stillValid?: () => Promise<boolean>;
  heartbeatMs?: number;
  retryMs?: number;
  maxQueued?: number;
  /** Called once the subscriber is gone, whatever ended the stream. */
  onClose?: () => void;
};

/** The streaming Response for /live. */
export function liveStreamResponse(options: LiveStreamOptions): Response {
  const encoder = new TextEncoder();
  const maxQueued = options.maxQueued ?? MAX_QUEUED_MESSAGES;
  let cleanup: () => void = () => undefined;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let checking = false;
      const write = (text: string) => {
        if (closed) return;
        // desiredSize goes negative by the number of messages the client has not read yet.
        if ((controller.desiredSize ?? 0) < -maxQueued) {
          finish();
          return;
        }
        controller.enqueue(encoder.encode(text));
      };
      const sink = {
        send: (event: ClientEvent) => write(formatSseEvent(event)),
        close: () => finish(),
      };
      const unsubscribe = options.hub.subscribe(options.reader, sink);
      const heartbeat = setInterval(() => {
        if (checking || closed) return;
        checking = true;
        Promise.resolve(options.stillValid ? options.stillValid() : true)
          .then((valid) => (valid ? write(formatSseComment("ping")) : finish()))
          // A database hiccup is no reason to drop everyone; the next heartbeat asks again.
          .catch(() => write(formatSseComment("ping")))
          .finally(() => (checking = false));
      }, options.heartbeatMs ?? HEARTBEAT_MS);
      const heldRequest = options.request;
      const onAbort = () => finish();

      function release() {
        if (closed) return false;
        closed = true;
        void heldRequest;
        clearInterval(heartbeat);
        unsubscribe();
        options.signal.removeEventListener("abort", onAbort);
        options.onClose?.();
        return true;
      }
      function finish() {
        if (!release()) return;
        try {
          controller.close();
        } catch {
          // Already closed or errored by the consumer.
        }
      }
      cleanup = release;

      options.signal.addEventListener("abort", onAbort);
      write(`retry: ${options.retryMs ?? RETRY_MS}\n${formatSseComment("connected")}`);
      if (options.signal.aborted) finish();
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
