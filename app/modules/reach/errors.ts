/**
 * The one error the reach module throws for something the person (or HR) can fix: a code names the reason,
 * the pages turn it into a Dutch or English sentence (reach.errors.<code>), and nothing was saved.
 * Shared with the browser so pages can type their error codes.
 */
export const REACH_ERROR_CODES = [
  /** The phone number is not a Belgian, Dutch or French mobile number (see `detail` for why). */
  "invalid_phone",
  /** Not an e-mail address that can receive mail. */
  "invalid_email",
  /** The same number or address is already verified for this person. */
  "already_verified",
  /** The number or address is already verified for another colleague. */
  "in_use",
  /** No pending (unverified, active) contact of this kind to send a code to or to verify. */
  "no_pending_contact",
  /** The contact does not exist or belongs to someone else. */
  "contact_not_found",
  /** Too many codes in the last hour, for this person or this number. */
  "rate_limited",
  /** The provider did not take the message; the contact stays pending so a new code can be asked. */
  "send_failed",
  /** A code check failed: see `detail` (malformed, no_code, expired, too_many_attempts, wrong_code). */
  "code_refused",
  /** HR tried to register a contact without a recorded consent. */
  "consent_required",
  /** The consent text version submitted is not the current one (the page was open while the text changed). */
  "consent_version",
  /** A consent note longer than CONSENT_NOTE_MAX. */
  "note_too_long",
  /** HR lacks the permission. */
  "forbidden",
  /** The worker does not exist or has left. */
  "worker_not_found",
] as const;

export type ReachErrorCode = (typeof REACH_ERROR_CODES)[number];

/** A refusal with a reason the UI can explain; `detail` refines it (a phone problem, a code result). */
export class ReachError extends Error {
  readonly code: ReachErrorCode;
  readonly detail?: string;
  readonly retryAfterSeconds?: number;
  readonly attemptsLeft?: number;

  constructor(
    code: ReachErrorCode,
    options: { detail?: string; retryAfterSeconds?: number; attemptsLeft?: number } = {},
  ) {
    super(`Reach: ${code}${options.detail ? ` (${options.detail})` : ""}`);
    this.name = "ReachError";
    this.code = code;
    this.detail = options.detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.attemptsLeft = options.attemptsLeft;
  }
}

/** Whether an error is a ReachError (also across module copies in tests). */
export function isReachError(error: unknown): error is ReachError {
  return error instanceof ReachError || (error instanceof Error && error.name === "ReachError");
}
