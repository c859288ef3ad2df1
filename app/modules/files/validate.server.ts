/**
 * Upload validation: the type is decided from the bytes (file-type reads magic numbers, and for DOCX and
 * XLSX the zip's [Content_Types].xml), the size is bounded, and a name or declared type that disagrees
 * with the content is refused with the reason, so a PDF renamed .docx or a page posing as an image never
 * gets in. File names are cleaned for display and for Content-Disposition.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { fileTypeFromBuffer } from "file-type";
import { getEnv } from "~/env.server";
import { FileError } from "./errors";
import {
  FILE_TYPES,
  fileTypeByExtension,
  fileTypeByMediaType,
  type FileTypeId,
  UPLOAD_USES,
  type UploadUse,
  allowedTypesLabel,
} from "./file-types";

export type UploadInput = {
  bytes: Uint8Array;
  /** The name the browser sent (any path parts are dropped). */
  fileName: string;
  /** The Content-Type the browser declared for the part, if any. */
  declaredType?: string | null;
};

export type ValidatedUpload = {
  bytes: Uint8Array;
  fileName: string;
  type: FileTypeId;
  mediaType: string;
  size: number;
  sha256: string;
};

const MAX_NAME_LENGTH = 150;
// Windows refuses these as file names; a download called "CON.pdf" would fail to save there.
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
// Controls, and the bidirectional overrides that make "gpj.exe" look like "exe.jpg".
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A file name safe to store and show: no path, controls, bidi tricks or reserved characters; bounded length. */
export function sanitizeFileName(input: string, fallback = "bestand"): string {
  const base = input.split(/[/\\]/).pop() ?? "";
  let name = base
    .normalize("NFC")
    .replace(/\s+/g, " ")
    .replace(INVISIBLE, "")
    .replace(/[<>:"|?*]/g, "_")
    .trim()
    .replace(/^[.\s]+/, "")
    .replace(/[.\s]+$/, "");
  let ext = path.extname(name);
  if (ext.length > 10 || !/^\.[\p{L}\p{N}]+$/u.test(ext)) ext = "";
  let stem = ext ? name.slice(0, -ext.length) : name;
  if (RESERVED_NAMES.test(stem)) stem = `_${stem}`;
  const chars = [...stem];
  if (chars.length + ext.length > MAX_NAME_LENGTH)
    stem = chars
      .slice(0, MAX_NAME_LENGTH - ext.length)
      .join("")
      .trim();
  name = `${stem}${ext}`;
  return stem ? name : `${fallback}${ext}`;
}

/** The lower-case extension of a name without the dot ("" when none). */
function extensionOf(fileName: string): string {
  return path.extname(fileName).slice(1).toLowerCase();
}

/** What the content is, by its bytes (null when file-type does not recognise it). */
export async function detectFileType(bytes: Uint8Array): Promise<{ ext: string; mime: string } | null> {
  const found = await fileTypeFromBuffer(bytes);
  return found ? { ext: found.ext, mime: found.mime } : null;
}

/** Describes detected content for messages ("PDF", "ZIP-archief (zip)"). */
function describe(detected: { ext: string } | null): string {
  if (!detected) return "unknown";
  const known = fileTypeByExtension(detected.ext);
  return known ? FILE_TYPES[known].label : detected.ext.toUpperCase();
}

/**
 * Checks an upload for a use and returns its trusted type, cleaned name and digest; throws FileError
 * (empty, too_large, unsupported_type, mislabelled) otherwise.
 */
export async function validateUpload(
  input: UploadInput,
  use: UploadUse,
  maxBytes: number = getEnv().uploadMaxBytes,
): Promise<ValidatedUpload> {
  const fileName = sanitizeFileName(input.fileName);
  const size = input.bytes.byteLength;
  if (size === 0) throw new FileError("empty", `${fileName} is empty`, { name: fileName });
  if (size > maxBytes) {
    throw new FileError("too_large", `${fileName} is larger than ${maxBytes} bytes`, {
      name: fileName,
      maxMb: Math.round((maxBytes / 1024 / 1024) * 10) / 10,
    });
  }
  const allowed: readonly FileTypeId[] = UPLOAD_USES[use];
  const detected = await detectFileType(input.bytes);
  const type = detected ? fileTypeByExtension(detected.ext) : null;
  const claimedByName = fileTypeByExtension(extensionOf(fileName));
  const declared = input.declaredType?.trim().toLowerCase() ?? "";
  // Browsers send octet-stream (or nothing) when they do not know a type: that is no claim at all.
  const claimedByDeclaration =
    declared && declared !== "application/octet-stream" ? fileTypeByMediaType(declared) : null;

  if (!type || !allowed.includes(type)) {
    const claim = claimedByName ?? claimedByDeclaration;
    if (claim && allowed.includes(claim)) {
      throw new FileError(
        "mislabelled",
        `${fileName} claims to be ${FILE_TYPES[claim].label} but its content is ${detected ? describe(detected) : "of an unknown type"}`,
        { name: fileName, claimed: FILE_TYPES[claim].label, detected: describe(detected) },
      );
    }
    throw new FileError(
      "unsupported_type",
      `${fileName} is ${describe(detected)}; allowed: ${allowedTypesLabel(use)}`,
      { name: fileName, detected: describe(detected), allowed: allowedTypesLabel(use) },
    );
  }
  const info = FILE_TYPES[type];
  const extension = extensionOf(fileName);
  if (extension && !(info.extensions as readonly string[]).includes(extension)) {
    throw new FileError(
      "mislabelled",
      `${fileName} has the extension .${extension} but its content is ${info.label}`,
      { name: fileName, claimed: `.${extension}`, detected: info.label },
    );
  }
  if (declared && declared !== "application/octet-stream" && claimedByDeclaration !== type) {
    throw new FileError(
      "mislabelled",
      `${fileName} was sent as ${declared} but its content is ${info.label}`,
      {
        name: fileName,
        claimed: declared,
        detected: info.label,
      },
    );
  }
  return {
    bytes: input.bytes,
    fileName: extension ? fileName : `${fileName}.${info.extensions[0]}`,
    type,
    mediaType: info.mediaType,
    size,
    sha256: createHash("sha256").update(input.bytes).digest("hex"),
  };
}
