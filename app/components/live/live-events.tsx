/**
 * The browser side of GET /live: one EventSource per tab, shared by every component that listens (the
 * bell, the "nieuwe berichten" indicator), because the server allows only a few open streams per person
 * and each costs a socket. It opens when the first listener subscribes and closes when the last one leaves,
 * when the page is hidden (pagehide: a tab in the back/forward cache must not hold a stream) and reopens
 * on pageshow. When the server closes the stream for good (401 after signing out, 429 with too many tabs),
 * it tries again with an exponential backoff; browsers without EventSource simply get no live updates.
 */
import { useEffect, useRef } from "react";
import { LIVE_PATH, type ClientEventMap } from "~/modules/live/events";

type LiveEventType = keyof ClientEventMap;
type Handler<Type extends LiveEventType> = (data: ClientEventMap[Type]) => void;
type AnyHandler = (data: unknown) => void;

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
const EVENT_TYPES: readonly LiveEventType[] = ["post.created", "notification.created"];

const handlers = new Map<LiveEventType, Set<AnyHandler>>();
let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let failures = 0;
let pageListenersAdded = false;

function listenerCount(): number {
  let count = 0;
  for (const set of handlers.values()) count += set.size;
  return count;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The payload of a message, when it is the JSON object the server sends; anything else is dropped. */
function payloadOf(type: LiveEventType, raw: unknown): unknown {
  if (typeof raw !== "string") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  if (type === "post.created" && typeof parsed.postId !== "string") return null;
  if (type === "notification.created" && typeof parsed.notificationId !== "string") return null;
  return parsed;
}

function dispatch(type: LiveEventType, event: Event): void {
  const data = payloadOf(type, (event as MessageEvent<unknown>).data);
  if (data === null) return;
  for (const handler of [...(handlers.get(type) ?? [])]) {
    try {
      handler(data);
    } catch (error) {
      // One broken listener must not silence the others.
      console.error("live event handler failed", error);
    }
  }
}

function clearRetry(): void {
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
}

function close(): void {
  clearRetry();
  source?.close();
  source = null;
}

function scheduleRetry(): void {
  clearRetry();
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
  failures += 1;
  // Jitter, so a web instance restarting does not get every tab back in the same second.
  const delay = base / 2 + Math.random() * (base / 2);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    open();
  }, delay);
}

function open(): void {
  if (source || typeof window === "undefined" || typeof window.EventSource !== "function") return;
  if (listenerCount() === 0 || document.visibilityState === "hidden") return;
  const stream = new window.EventSource(LIVE_PATH);
  source = stream;
  for (const type of EVENT_TYPES) stream.addEventListener(type, (event) => dispatch(type, event));
  stream.addEventListener("open", () => {
    failures = 0;
  });
  stream.addEventListener("error", () => {
    // CONNECTING: the browser reconnects by itself (the server's `retry`). CLOSED: it gave up (an HTTP
    // error such as 401 or 429), so we try again later, more slowly each time.
    if (stream.readyState === window.EventSource.CLOSED && source === stream) {
      source = null;
      stream.close();
      scheduleRetry();
    }
  });
}

function addPageListeners(): void {
  if (pageListenersAdded || typeof window === "undefined") return;
  pageListenersAdded = true;
  window.addEventListener("pagehide", close);
  window.addEventListener("pageshow", () => {
    failures = 0;
    open();
  });
  document.addEventListener("visibilitychange", () => {
    // A tab coming back reconnects at once instead of waiting for a long backoff.
    if (document.visibilityState === "visible" && !source) {
      clearRetry();
      open();
    }
  });
}

/** Subscribes to one live event type; returns the function that unsubscribes (closing the stream if last). */
export function subscribeLiveEvent<Type extends LiveEventType>(
  type: Type,
  handler: Handler<Type>,
): () => void {
  const set = handlers.get(type) ?? new Set<AnyHandler>();
  handlers.set(type, set);
  const wrapped: AnyHandler = (data) => handler(data as ClientEventMap[Type]);
  set.add(wrapped);
  addPageListeners();
  open();
  return () => {
    set.delete(wrapped);
    if (listenerCount() === 0) close();
  };
}

/**
 * Calls `handler` for every live event of `type` while the component is mounted. The latest handler is
 * used without resubscribing, so callers need not memoise it.
 */
export function useLiveEvent<Type extends LiveEventType>(type: Type, handler: Handler<Type>): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => subscribeLiveEvent(type, (data) => latest.current(data)), [type]);
}
