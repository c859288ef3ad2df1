/**
 * Why an activity-stream operation was refused; routes map the code to a Dutch or English message and a status
 * (not_found 404, forbidden 403, invalid_input 400, conflict 409, invalid_state 409, rate_limited 429).
 */
export type StreamErrorCode =
  /** The item does not exist or the reader may not know it exists (never reveals a secret place or post). */
  | "not_found"
  /** The reader may see the item but not do this with it. */
  | "forbidden"
  /** The input failed validation; `issues` lists the problems. */
  | "invalid_input"
  /** The item is in a state that does not allow this (deleted, archived, already decided, last owner). */
  | "invalid_state"
  /** The action would duplicate something that must be unique (a second open report, a pending request). */
  | "conflict"
  /** Too many attempts in a short time; `retryAfterSeconds` says when to try again. */
  | "rate_limited";

/** A refused stream operation: nothing was saved. The message is English, for logs and the API. */
export class StreamError extends Error {
  constructor(
    readonly code: StreamErrorCode,
    message: string,
    readonly issues: string[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "StreamError";
  }
}

/** Whether a value is a StreamError (optionally with one of the given codes), for route error handling. */
export function isStreamError(error: unknown, ...codes: StreamErrorCode[]): error is StreamError {
  return error instanceof StreamError && (codes.length === 0 || codes.includes(error.code));
}
