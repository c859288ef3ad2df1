/**
 * Reading multipart uploads without trusting their size: a Content-Length over the limit is refused
 * before a byte is read, and a body without one (chunked) is read only until the file part passes the
 * limit. Ordinary fields are small and few. The file stays in memory (at most UPLOAD_MAX_MB): validation
 * and text extraction need all of it, and nothing is stored until the caller has checked the CSRF token.
 */
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { FileError } from "./errors";

export type ParsedUpload = {
  /** The text fields (the CSRF token, intent, ...). */
  fields: Map<string, string>;
  /** The one file part, or null when the form had none (or an empty file input). */
  file: { bytes: Uint8Array; fileName: string; declaredType: string } | null;
};

/** Room for the boundaries and the small fields next to the file. */
const ENVELOPE_BYTES = 64 * 1024;
const MAX_FIELD_BYTES = 8 * 1024;
const MAX_FIELDS = 20;

function tooLarge(maxBytes: number): FileError {
  return new FileError("too_large", `The upload is larger than ${maxBytes} bytes`, {
    maxMb: Math.round((maxBytes / 1024 / 1024) * 10) / 10,
  });
}

/** Whether a request carries a multipart form. */
export function isMultipart(request: Request): boolean {
  return (request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

/**
 * Parses a multipart request with one file field; throws FileError (too_large, malformed_upload) and
 * stops reading as soon as a limit is passed.
 */
export async function parseUploadForm(
  request: Request,
  { maxBytes, fileField = "file" }: { maxBytes: number; fileField?: string },
): Promise<ParsedUpload> {
  if (!isMultipart(request)) {
    throw new FileError("malformed_upload", "Expected a multipart/form-data upload");
  }
  const declaredLength = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes + ENVELOPE_BYTES) throw tooLarge(maxBytes);

  const fields = new Map<string, string>();
  let file: ParsedUpload["file"] = null;
  let fieldCount = 0;

  const handler: UploadHandler = async (part) => {
    fieldCount += 1;
    if (fieldCount > MAX_FIELDS) throw new FileError("malformed_upload", "Too many form fields");
    const limit = part.filename !== undefined ? maxBytes : MAX_FIELD_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (size > limit) {
        if (part.filename !== undefined) throw tooLarge(maxBytes);
        throw new FileError("malformed_upload", `Form field ${part.name} is too long`);
      }
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks);
    if (part.filename === undefined) {
      fields.set(part.name, bytes.toString("utf8"));
      return undefined;
    }
    if (part.name !== fileField)
      throw new FileError("malformed_upload", `Unexpected file field ${part.name}`);
    if (file) throw new FileError("malformed_upload", "Only one file per upload");
    // An empty file input submits a part with no name and no bytes: treat it as "no file chosen".
    if (part.filename === "" && bytes.byteLength === 0) return undefined;
    file = { bytes, fileName: part.filename, declaredType: part.contentType ?? "" };
    return undefined;
  };

  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError("malformed_upload", `The upload could not be read: ${(error as Error).message}`);
  }
  return { fields, file };
}

export type UploadedFile = {
  /** The form field the file came in. */
  field: string;
  /**
   * Its position among the request's file parts of that field, empty file inputs included, so a text
   * field sent once per file input (an alt text) can be paired with it even when some inputs were empty.
   */
  index: number;
  bytes: Uint8Array;
  fileName: string;
  declaredType: string;
};

export type ParsedMultiUpload = {
  /** Every text field, each with all its values in the order sent (repeated fields such as alt texts). */
  fields: Map<string, string[]>;
  /** The non-empty file parts, in the order sent. */
  files: UploadedFile[];
};

export type MultiUploadLimits = {
  /** File parts accepted in all (empty ones included); one more is malformed_upload. */
  maxFiles: number;
  /** The largest single file. */
  maxFileBytes: number;
  /** The largest sum of all files. */
  maxTotalBytes: number;
  /** The file fields expected; a file in any other field is malformed_upload. */
  fileFields: readonly string[];
  /** The longest text field (a post body in Lexical JSON is far longer than a token). */
  maxFieldBytes?: number;
  /** Text fields accepted in all. */
  maxFields?: number;
};

/**
 * Parses a multipart request with several files (a post's photos): the same guarantees as parseUploadForm
 * (Content-Length checked first, reading stops at the first limit passed), with a per-file and a total byte
 * limit. Throws FileError (too_large, malformed_upload).
 */
export async function parseMultiUploadForm(
  request: Request,
  {
    maxFiles,
    maxFileBytes,
    maxTotalBytes,
    fileFields,
    maxFieldBytes = MAX_FIELD_BYTES,
    maxFields = MAX_FIELDS,
  }: MultiUploadLimits,
): Promise<ParsedMultiUpload> {
  if (!isMultipart(request)) {
    throw new FileError("malformed_upload", "Expected a multipart/form-data upload");
  }
  const envelope = ENVELOPE_BYTES + maxFields * maxFieldBytes;
  const declaredLength = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(declaredLength) && declaredLength > maxTotalBytes + envelope) {
    throw tooLarge(maxTotalBytes);
  }

  const fields = new Map<string, string[]>();
  const files: UploadedFile[] = [];
  const partsPerField = new Map<string, number>();
  let fieldCount = 0;
  let fileCount = 0;
  let totalBytes = 0;

  const handler: UploadHandler = async (part) => {
    const isFile = part.filename !== undefined;
    if (isFile) {
      if (!fileFields.includes(part.name))
        throw new FileError("malformed_upload", `Unexpected file field ${part.name}`);
      fileCount += 1;
      if (fileCount > maxFiles) throw new FileError("malformed_upload", `More than ${maxFiles} files`);
    } else {
      fieldCount += 1;
      if (fieldCount > maxFields) throw new FileError("malformed_upload", "Too many form fields");
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (isFile) {
        totalBytes += chunk.byteLength;
        // Checked per chunk, so an oversized file is refused without reading the rest of it.
        if (size > maxFileBytes) throw tooLarge(maxFileBytes);
        if (totalBytes > maxTotalBytes) throw tooLarge(maxTotalBytes);
      } else if (size > maxFieldBytes) {
        throw new FileError("malformed_upload", `Form field ${part.name} is too long`);
      }
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks);
    if (!isFile && fileFields.includes(part.name)) {
      // Browsers send an empty file input as a file part with filename=""; Node's FormData drops the
      // filename, turning it into an empty text part. Both mean "no file chosen" and keep their place.
      if (bytes.byteLength > 0) throw new FileError("malformed_upload", `Expected a file in ${part.name}`);
      partsPerField.set(part.name, (partsPerField.get(part.name) ?? 0) + 1);
      return undefined;
    }
    if (!isFile) {
      fields.set(part.name, [...(fields.get(part.name) ?? []), bytes.toString("utf8")]);
      return undefined;
    }
    const index = partsPerField.get(part.name) ?? 0;
    partsPerField.set(part.name, index + 1);
    // An empty file input submits a part with no name and no bytes: "no file chosen", but it keeps its place.
    if (part.filename === "" && bytes.byteLength === 0) return undefined;
    files.push({
      field: part.name,
      index,
      bytes,
      fileName: part.filename ?? "",
      declaredType: part.contentType ?? "",
    });
    return undefined;
  };

  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError("malformed_upload", `The upload could not be read: ${(error as Error).message}`);
  }
  return { fields, files };
}
