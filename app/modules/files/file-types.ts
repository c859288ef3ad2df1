/**
 * The file types Werkplek accepts, per use. Shared with the browser (the `accept` attribute of upload
 * fields); the server decides from the bytes, never from this list's claims alone.
 */

export type FileTypeInfo = {
  /** Short label staff recognise ("PDF", "Word"). */
  label: string;
  /** The media type stored and served. */
  mediaType: string;
  /** Extensions (lower case, without dot); the first is appended to names that have none. */
  extensions: readonly string[];
  /**
   * Other media types browsers declare for the same content. Windows machines without Office send the
   * legacy Excel and Word types for .xlsx/.docx; refusing those would refuse honest uploads.
   */
  aliases: readonly string[];
};

export const FILE_TYPES = {
  pdf: { label: "PDF", mediaType: "application/pdf", extensions: ["pdf"], aliases: ["application/x-pdf"] },
  docx: {
    label: "Word (DOCX)",
    mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: ["docx"],
    aliases: ["application/msword"],
  },
  xlsx: {
    label: "Excel (XLSX)",
    mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: ["xlsx"],
    aliases: ["application/vnd.ms-excel"],
  },
  png: { label: "PNG", mediaType: "image/png", extensions: ["png"], aliases: [] },
  jpeg: {
    label: "JPEG",
    mediaType: "image/jpeg",
    extensions: ["jpg", "jpeg"],
    aliases: ["image/jpg", "image/pjpeg"],
  },
  webp: { label: "WebP", mediaType: "image/webp", extensions: ["webp"], aliases: [] },
} as const satisfies Record<string, FileTypeInfo>;

export type FileTypeId = keyof typeof FILE_TYPES;

/** What each kind of upload may be: attachments are documents, images go into a circular's body. */
export const UPLOAD_USES = {
  attachment: ["pdf", "docx", "xlsx"],
  image: ["png", "jpeg", "webp"],
} as const satisfies Record<string, readonly FileTypeId[]>;

export type UploadUse = keyof typeof UPLOAD_USES;

/** The value of an `<input type="file" accept>` for a use (extensions and media types). */
export function acceptAttribute(use: UploadUse): string {
  return UPLOAD_USES[use]
    .flatMap((id) => [...FILE_TYPES[id].extensions.map((ext) => `.${ext}`), FILE_TYPES[id].mediaType])
    .join(",");
}

/** "PDF, Word (DOCX), Excel (XLSX)" for help texts. */
export function allowedTypesLabel(use: UploadUse): string {
  return UPLOAD_USES[use].map((id) => FILE_TYPES[id].label).join(", ");
}

/** The type whose extension list holds this extension, if any. */
export function fileTypeByExtension(extension: string): FileTypeId | null {
  const lower = extension.toLowerCase();
  for (const [id, info] of Object.entries(FILE_TYPES)) {
    if ((info.extensions as readonly string[]).includes(lower)) return id as FileTypeId;
  }
  return null;
}

/** The type a media type (or one of its aliases) names, if any. */
export function fileTypeByMediaType(mediaType: string): FileTypeId | null {
  const lower = mediaType.toLowerCase().split(";")[0]!.trim();
  for (const [id, info] of Object.entries(FILE_TYPES)) {
    if (info.mediaType === lower || (info.aliases as readonly string[]).includes(lower))
      return id as FileTypeId;
  }
  return null;
}

/** The download URL of a stored file (attachment or body image). */
export function fileUrl(fileId: string): string {
  return `/bestanden/${encodeURIComponent(fileId)}`;
}
