/** Why a circulars operation was refused; routes map the code to a Dutch or English message. */
export type CircularErrorCode =
  "not_found" | "forbidden" | "invalid_input" | "invalid_state" | "self_approval" | "duplicate_number";

/** A refused operation: nothing was saved. The message is English, for logs and the API. */
export class CircularError extends Error {
  constructor(
    readonly code: CircularErrorCode,
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = "CircularError";
  }
}
