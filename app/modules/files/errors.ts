/** Why an upload or file operation was refused. The message is English (logs, API); the UI maps the code. */
export type FileErrorCode =
  "empty" | "too_large" | "unsupported_type" | "mislabelled" | "malformed_upload" | "duplicate" | "not_found";

const STATUS: Record<FileErrorCode, number> = {
  empty: 400,
  too_large: 413,
  unsupported_type: 415,
  mislabelled: 415,
  malformed_upload: 400,
  duplicate: 409,
  not_found: 404,
};

/** A refused upload: nothing was stored. `params` feed the translated message (names, types, limits). */
export class FileError extends Error {
  constructor(
    readonly code: FileErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = "FileError";
  }

  /** The HTTP status that fits the refusal (413 too large, 415 wrong type, ...). */
  get status(): number {
    return STATUS[this.code];
  }
}
