/**
 * Profile photos. An upload is checked by its bytes (PNG, JPEG or WebP only, see files/validate.server.ts),
 * turned upright by its EXIF orientation, cropped to a 256×256 square around its most interesting region
 * and re-encoded as WebP. Re-encoding drops every piece of metadata (GPS position, camera, thumbnails)
 * and anything hidden after the image data, because only decoded pixels survive.
 *
 * The stored file is content-addressed (files/storage.server.ts); `User.avatarUrl` holds the photo's
 * path with its digest (`/mensen/<id>/foto?v=<sha256>`), so the page links to an address that changes
 * with the photo and the browser may keep it for a year.
 */
import sharp from "sharp";
import { FileError } from "~/modules/files/errors";
import { getFileStorage, StorageKeyNotFound, storageKeyFor } from "~/modules/files/storage.server";
import { validateUpload } from "~/modules/files/validate.server";

/** The largest photo accepted (phones take photos of 3 to 6 MB). */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTO_SIZE = 256;
export const PHOTO_MEDIA_TYPE = "image/webp";
/**
 * Decoding is bounded by pixels as well as bytes: a small PNG can declare a huge canvas (a decompression
 * bomb). 50 megapixels is above any phone camera.
 */
const MAX_INPUT_PIXELS = 50_000_000;

export type PhotoUpload = { bytes: Uint8Array; fileName: string; declaredType?: string | null };

/** A processed photo, ready to store. */
export type ProcessedPhoto = { bytes: Buffer; mediaType: typeof PHOTO_MEDIA_TYPE };

/**
 * Validates and converts an uploaded photo; throws FileError (empty, too_large, unsupported_type,
 * mislabelled, or malformed_upload when the image cannot be decoded). Stores nothing.
 */
export async function processProfilePhoto(upload: PhotoUpload): Promise<ProcessedPhoto> {
  const valid = await validateUpload(upload, "image", PHOTO_MAX_BYTES);
  try {
    const bytes = await sharp(valid.bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .rotate()
      .resize(PHOTO_SIZE, PHOTO_SIZE, { fit: "cover", position: sharp.strategy.attention })
      .webp({ quality: 82, effort: 4 })
      .toBuffer();
    return { bytes, mediaType: PHOTO_MEDIA_TYPE };
  } catch (error) {
    throw new FileError(
      "malformed_upload",
      `${valid.fileName} could not be read as an image: ${(error as Error).message}`,
      { name: valid.fileName },
    );
  }
}

/** Stores a processed photo and returns the digest that names it. */
export async function storeProfilePhoto(photo: ProcessedPhoto): Promise<string> {
  const stored = await getFileStorage().put(photo.bytes);
  return stored.sha256;
}

/** The path kept in `User.avatarUrl` for a person's photo. */
export function photoPath(userId: string, sha256: string): string {
  return `/mensen/${encodeURIComponent(userId)}/foto?v=${sha256}`;
}

/** The digest in a stored avatar path, or null for anything this module did not write. */
export function photoDigestOf(userId: string, avatarUrl: string | null): string | null {
  if (!avatarUrl) return null;
  const url = new URL(avatarUrl, "http://werkplek.invalid");
  const digest = url.searchParams.get("v") ?? "";
  if (url.pathname !== `/mensen/${encodeURIComponent(userId)}/foto` || !/^[0-9a-f]{64}$/.test(digest))
    return null;
  return digest;
}

/**
 * The HTTP response for a person's photo. The address carries the digest, so a request for the current
 * digest may be cached for a year (`immutable`); any other (an old link, no `v`) gets the current photo
 * with a short lifetime. Photos are for signed-in staff only: `private`, never in shared caches.
 */
export async function photoResponse(request: Request, digest: string): Promise<Response> {
  const requested = new URL(request.url).searchParams.get("v");
  const etag = `"${digest}"`;
  const headers = new Headers({
    "Content-Type": PHOTO_MEDIA_TYPE,
    "Content-Disposition": "inline",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": requested === digest ? "private, max-age=31536000, immutable" : "private, max-age=300",
    ETag: etag,
  });
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  let bytes: Buffer;
  try {
    bytes = await getFileStorage().read(storageKeyFor(digest));
  } catch (error) {
    if (error instanceof StorageKeyNotFound) {
      throw new Response("Not found", { status: 404, headers: { "Cache-Control": "private, no-store" } });
    }
    throw error;
  }
  headers.set("Content-Length", String(bytes.byteLength));
  return new Response(request.method === "HEAD" ? null : new Uint8Array(bytes), { status: 200, headers });
}
