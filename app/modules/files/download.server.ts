/**
 * HTTP responses for stored files. Downloads are served so a browser can never treat them as a page of
 * the intranet: the detected media type, `nosniff`, a sandboxing CSP and an explicit disposition.
 */
import { createReadableStreamFromReadable } from "@remix-run/node";
import { fileTypeByMediaType } from "./file-types";
import { getFileStorage, StorageKeyNotFound } from "./storage.server";

export type ServedFile = {
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  storageKey: string;
};

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 with an RFC 5987 UTF-8 name and an ASCII fallback). */
export function contentDisposition(disposition: "inline" | "attachment", fileName: string): string {
  const ascii = fileName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Streams a stored file. Images are shown inline; PDF inline only when asked for a preview; everything
 * else downloads. The CSP sandbox is left off the PDF preview alone, because Chrome and Safari refuse to
 * run their PDF viewers in a sandboxed document (crbug 413851); the type is verified from the bytes, and
 * nosniff keeps the browser from reading it as anything else.
 */
export async function fileResponse(
  request: Request,
  file: ServedFile,
  { preview = false }: { preview?: boolean } = {},
): Promise<Response> {
  const type = fileTypeByMediaType(file.mediaType);
  const isImage = type === "png" || type === "jpeg" || type === "webp";
  const pdfPreview = preview && type === "pdf";
  const etag = `"${file.sha256}"`;
  const headers = new Headers({
    "Content-Type": type ? file.mediaType : "application/octet-stream",
    "Content-Disposition": contentDisposition(isImage || pdfPreview ? "inline" : "attachment", file.fileName),
    "X-Content-Type-Options": "nosniff",
    // Reading rights can change (audience, publication), so shared caches never keep a copy and the
    // browser checks back after a while; the ETag makes that check cheap.
    "Cache-Control": "private, max-age=300",
    ETag: etag,
    "Cross-Origin-Resource-Policy": "same-origin",
  });
  if (!pdfPreview) headers.set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox");
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  let stream;
  try {
    stream = await getFileStorage().get(file.storageKey);
  } catch (error) {
    if (error instanceof StorageKeyNotFound) throw new Response("Not found", { status: 404 });
    throw error;
  }
  headers.set("Content-Length", String(file.size));
  if (request.method === "HEAD") {
    stream.destroy();
    return new Response(null, { status: 200, headers });
  }
  return new Response(createReadableStreamFromReadable(stream), { status: 200, headers });
}
