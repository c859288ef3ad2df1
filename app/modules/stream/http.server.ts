/**
 * StreamError → HTTP, shared by every stream route: one status per code (see errors.ts) and one Dutch or
 * English message key per code, so pages and APIs answer the same refusal the same way. A `not_found` is
 * always 404, also for a secret place or post: a 403 would confirm that it exists.
 */
import { type StreamError, type StreamErrorCode } from "./errors";

const STATUS: Record<StreamErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  invalid_input: 400,
  invalid_state: 409,
  conflict: 409,
  rate_limited: 429,
};

const MESSAGE_KEY: Record<StreamErrorCode, string> = {
  not_found: "stream.errors.notFound",
  forbidden: "stream.errors.forbidden",
  invalid_input: "stream.errors.invalidInput",
  invalid_state: "stream.errors.invalidState",
  conflict: "stream.errors.conflict",
  rate_limited: "stream.errors.rateLimited",
};

/** The HTTP status of a refused stream operation. */
export function streamErrorStatus(error: StreamError): number {
  return STATUS[error.code];
}

/** The i18n key (under "stream.errors.*") of the message a page shows for a refused operation. */
export function streamErrorMessageKey(error: StreamError): string {
  return MESSAGE_KEY[error.code];
}

/** Headers that go with the status: how long to wait after a rate limit. */
export function streamErrorHeaders(error: StreamError): Record<string, string> {
  return error.code === "rate_limited" && error.retryAfterSeconds !== undefined
    ? { "Retry-After": String(Math.max(1, Math.ceil(error.retryAfterSeconds))) }
    : {};
}

/**
 * A plain-text response for a refused operation (throw it from a loader, return it from an API). The
 * body is the English message of the error, except for `not_found`, whose message may name the item.
 */
export function streamErrorResponse(error: StreamError): Response {
  const status = streamErrorStatus(error);
  const message = error.code === "not_found" ? "Not found" : error.message;
  return new Response(message, {
    status,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
      ...streamErrorHeaders(error),
    },
  });
}
