/**
 * Why a people operation was refused. The message is English (logs, API); routes map the code, and for
 * invalid input each field's code, to a Dutch or English text.
 */
export type PeopleErrorCode =
  /** The person does not exist or is no longer active (answered as 404, so leavers are not revealed). */
  | "not_found"
  /** The reader may not do this (no directory permission). */
  | "forbidden"
  /** The input failed validation; `fields` says what is wrong with which field. Nothing was saved. */
  | "invalid_input";

/** The fields of the profile form. */
export type ProfileField = "about" | "expertise" | "workPhone" | "photo";

/** What is wrong with one field; `params` feed the translated message (limits, names, types). */
export type ProfileFieldError = { code: string; params?: Record<string, string | number> };

export type ProfileFieldErrors = Partial<Record<ProfileField, ProfileFieldError>>;

/** A refused people operation: nothing was saved. */
export class PeopleError extends Error {
  constructor(
    readonly code: PeopleErrorCode,
    message: string,
    readonly fields: ProfileFieldErrors = {},
  ) {
    super(message);
    this.name = "PeopleError";
  }

  /** The HTTP status that fits the refusal. */
  get status(): number {
    return this.code === "not_found" ? 404 : this.code === "forbidden" ? 403 : 400;
  }
}

/** Whether a value is a PeopleError (optionally with one of the given codes), for route error handling. */
export function isPeopleError(error: unknown, ...codes: PeopleErrorCode[]): error is PeopleError {
  return error instanceof PeopleError && (codes.length === 0 || codes.includes(error.code));
}
