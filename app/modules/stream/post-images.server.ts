/**
 * Photos in posts. An upload is checked by its bytes (PNG, JPEG or WebP, see files/validate.server.ts),
 * bounded in bytes and in pixels, turned upright by its EXIF orientation, scaled to fit 1600×1600 (never
 * enlarged) and re-encoded as WebP. Re-encoding keeps only decoded pixels, converted to sRGB: EXIF (GPS
 * position, camera, owner), XMP, IPTC, ICC profiles, thumbnails and anything hidden after the image data
 * are gone. Colleagues photograph sites, vans and each other; a photo must never carry where someone lives.
 *
 * HEIC (iPhone) is refused: the prebuilt sharp here decodes HEIF only with AV1 (AVIF), not the HEVC that
 * HEIC needs (`sharp.format.heif.input.fileSuffix` is [".avif"]). iOS Safari converts HEIC to JPEG itself
 * when the file input's `accept` lists JPEG/PNG/WebP (files/file-types.ts acceptAttribute("image")), so
 * only a photo sent as a file from elsewhere meets the refusal, which names the type (unsupported_type).
 *
 * Photos are processed before the post's transaction and stored content-addressed (files/storage.server.ts)
 * right before it, so a bad photo saves nothing and the transaction stays short; a transaction that fails
 * anyway removes the files it would have referenced, unless something else uses the same bytes.
 */
import sharp from "sharp";
import { prisma } from "~/db.server";
import { deleteFileIfUnused } from "~/modules/files/references.server";
import { getEnv } from "~/env.server";
import { type Prisma } from "~/generated/prisma/client";
import { type ServedFile } from "~/modules/files/download.server";
import { FileError } from "~/modules/files/errors";
import { getFileStorage } from "~/modules/files/storage.server";
import { isMultipart, parseMultiUploadForm } from "~/modules/files/upload.server";
import { validateUpload } from "~/modules/files/validate.server";
import { assertCsrf, CSRF_FIELD, readCsrfCheckedForm } from "~/modules/identity/csrf.server";
import { POST_LIMITS } from "./content";
import { StreamError } from "./errors";

/** Photos one post may carry. */
export const MAX_POST_IMAGES = 4;
/** The longest side of a stored photo: sharp on a phone, small enough for a field worker's data plan. */
export const POST_IMAGE_MAX_SIDE = 1600;
/** An alt text's length in characters (screen readers read it whole; a caption belongs in the post). */
export const POST_IMAGE_ALT_MAX = 300;
export const POST_IMAGE_MEDIA_TYPE = "image/webp";
/**
 * Decoding is bounded by pixels as well as bytes: a small PNG can declare a huge canvas (a decompression
 * bomb). 50 megapixels admits the 48-50 MP modes of current phones (iPhone Pro, Pixel, Galaxy), and is the
 * bound profile photos use.
 */
export const POST_IMAGE_MAX_PIXELS = 50_000_000;
/** The form's file field and the alt text field sent once per file input, in the same order. */
export const POST_IMAGES_FIELD = "images";
export const POST_IMAGE_ALT_FIELD = "imageAlt";

/** One photo as the composer sent it. */
export type PostImageUpload = { bytes: Uint8Array; fileName: string; declaredType: string; alt: string };

/** A photo as pages show it; `url` serves it only to readers who may see the post. */
export type PostImageView = { id: string; url: string; width: number; height: number; alt: string };

/** A photo ready to store: WebP bytes and its size in pixels. */
export type ProcessedPostImage = {
  bytes: Buffer;
  mediaType: typeof POST_IMAGE_MEDIA_TYPE;
  width: number;
  height: number;
  alt: string;
};

/** A stored photo, the fields of its PostImage row but the post and position. */
export type StoredPostImage = {
  storageKey: string;
  sha256: string;
  mediaType: string;
  size: number;
  width: number;
  height: number;
  alt: string;
};

/** The address of a post's photo. */
export function postImageUrl(postId: string, imageId: string): string {
  return `/berichten/${encodeURIComponent(postId)}/fotos/${encodeURIComponent(imageId)}`;
}

// ---------------------------------------------------------------------------------------------------
// Reading the composer's form
// ---------------------------------------------------------------------------------------------------

/**
 * File parts read before the request is refused as malformed. Above MAX_POST_IMAGES on purpose: someone who
 * picks six photos without JavaScript gets createPost's clear "at most 4 photos", not a broken upload; the
 * total byte limit bounds the memory either way.
 */
const MAX_FILE_PARTS = 3 * MAX_POST_IMAGES;
/** Text fields of a post form: body, token, intent, place, alt texts, announcement audience keys, ... */
const MAX_TEXT_FIELDS = 120;

/**
 * All photos of one post together may be twice the single-upload limit (default 2 × 20 MB): four phone
 * photos of 3-8 MB fit, and one request never holds more than that in memory.
 */
export function postImagesMaxTotalBytes(): number {
  return 2 * getEnv().uploadMaxBytes;
}

function appendField(fields: Map<string, string[]>, name: string, value: string) {
  fields.set(name, [...(fields.get(name) ?? []), value]);
}

/**
 * Reads the composer's form: multipart (with `images` files) or urlencoded; checks the CSRF token (throws
 * a 403 Response like readCsrfCheckedForm does). A multipart body is read, within its limits, before its
 * token can be seen; nothing is stored or changed before the check. Throws FileError when the upload is
 * too large or malformed. Alt texts come from the `imageAlt` fields in file order (one per file input,
 * empty inputs included, so the pairs stay aligned); empty file inputs are ignored.
 */
export async function readPostSubmission(
  request: Request,
): Promise<{ fields: Map<string, string[]>; images: PostImageUpload[] }> {
  if (!isMultipart(request)) {
    const form = await readCsrfCheckedForm(request);
    const fields = new Map<string, string[]>();
    for (const [name, value] of form) if (typeof value === "string") appendField(fields, name, value);
    return { fields, images: [] };
  }
  const parsed = await parseMultiUploadForm(request, {
    maxFiles: MAX_FILE_PARTS,
    maxFileBytes: getEnv().uploadMaxBytes,
    maxTotalBytes: postImagesMaxTotalBytes(),
    fileFields: [POST_IMAGES_FIELD],
    maxFieldBytes: POST_LIMITS.maxBytes,
    maxFields: MAX_TEXT_FIELDS,
  });
  // null (not "") when absent, so a script's X-CSRF-Token header is accepted instead.
  assertCsrf(request, parsed.fields.get(CSRF_FIELD)?.[0] ?? null);
  const alts = parsed.fields.get(POST_IMAGE_ALT_FIELD) ?? [];
  const images = parsed.files.map((file) => ({
    bytes: file.bytes,
    fileName: file.fileName,
    declaredType: file.declaredType,
    alt: alts[file.index] ?? "",
  }));
  return { fields: parsed.fields, images };
}

// ---------------------------------------------------------------------------------------------------
// Checking and processing
// ---------------------------------------------------------------------------------------------------

function invalidInput(issues: string[]): StreamError {
  return new StreamError("invalid_input", issues.join("; "), issues);
}

/**
 * Checks what needs no decoding: at most MAX_POST_IMAGES photos and alt texts of at most
 * POST_IMAGE_ALT_MAX characters. Returns the trimmed alt texts; throws `invalid_input`.
 */
export function checkPostImageUploads(images: readonly PostImageUpload[]): string[] {
  const issues: string[] = [];
  if (images.length > MAX_POST_IMAGES) {
    issues.push(`a post has at most ${MAX_POST_IMAGES} photos (${images.length} sent)`);
  }
  const alts = images.map((image, index) => {
    const alt = typeof image.alt === "string" ? image.alt.trim() : "";
    const length = [...alt].length;
    if (length > POST_IMAGE_ALT_MAX) {
      issues.push(
        `images.${index}.alt: an alt text has at most ${POST_IMAGE_ALT_MAX} characters (${length})`,
      );
    }
    return alt;
  });
  if (issues.length > 0) throw invalidInput(issues);
  return alts;
}

/**
 * Validates and converts one photo; throws FileError (empty, too_large for bytes with `maxMb` or for
 * pixels with `maxMegapixels`, unsupported_type, mislabelled, or malformed_upload when it cannot be
 * decoded). Stores nothing.
 */
export async function processPostImage(upload: PostImageUpload, alt: string): Promise<ProcessedPostImage> {
  const valid = await validateUpload(upload, "image", getEnv().uploadMaxBytes);
  const unreadable = (error: unknown) =>
    new FileError(
      "malformed_upload",
      `${valid.fileName} could not be read as an image: ${(error as Error).message}`,
      { name: valid.fileName },
    );
  // The header alone gives the canvas size: refuse a bomb before a single pixel is decoded.
  let declared: sharp.Metadata;
  try {
    // No pixel limit here: reading the header is cheap, and the limit would turn a bomb into "unreadable".
    declared = await sharp(valid.bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadable(error);
  }
  const pixels = (declared.width ?? 0) * (declared.height ?? 0);
  if (pixels > POST_IMAGE_MAX_PIXELS) {
    throw new FileError(
      "too_large",
      `${valid.fileName} has ${declared.width}×${declared.height} pixels; at most ${POST_IMAGE_MAX_PIXELS} are accepted`,
      { name: valid.fileName, maxMegapixels: POST_IMAGE_MAX_PIXELS / 1_000_000 },
    );
  }
  try {
    const { data, info } = await sharp(valid.bytes, {
      limitInputPixels: POST_IMAGE_MAX_PIXELS,
      failOn: "error",
    })
      .rotate()
      .resize(POST_IMAGE_MAX_SIDE, POST_IMAGE_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80, effort: 4 })
      // A pathological file must not hold a core of a shared two-core server for long.
      .timeout({ seconds: 30 })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, mediaType: POST_IMAGE_MEDIA_TYPE, width: info.width, height: info.height, alt };
  } catch (error) {
    throw unreadable(error);
  }
}

/**
 * Checks and converts a post's photos, all of them before anything is stored: `invalid_input` (count,
 * alt text) or FileError for the first photo refused.
 */
export async function processPostImages(images: readonly PostImageUpload[]): Promise<ProcessedPostImage[]> {
  const alts = checkPostImageUploads(images);
  const processed: ProcessedPostImage[] = [];
  // One after the other: each decode already uses every core, and memory stays at one photo's worth.
  for (const [index, image] of images.entries()) processed.push(await processPostImage(image, alts[index]!));
  return processed;
}

// ---------------------------------------------------------------------------------------------------
// Storing
// ---------------------------------------------------------------------------------------------------

/**
 * Stores processed photos, runs `write` (the post's transaction) with them, and removes the stored files
 * again when `write` fails, so a refused post leaves no orphaned photo behind.
 */
export async function withStoredPostImages<T>(
  processed: readonly ProcessedPostImage[],
  write: (stored: StoredPostImage[]) => Promise<T>,
): Promise<T> {
  const storage = getFileStorage();
  const stored: StoredPostImage[] = [];
  try {
    for (const image of processed) {
      const file = await storage.put(image.bytes);
      stored.push({
        storageKey: file.key,
        sha256: file.sha256,
        mediaType: image.mediaType,
        size: file.size,
        width: image.width,
        height: image.height,
        alt: image.alt,
      });
    }
    return await write(stored);
  } catch (error) {
    await discardUnusedImageFiles(stored.map((image) => image.storageKey));
    throw error;
  }
}

/** Records a new post's stored photos in its transaction, in the order given (position 0, 1, ...). */
export async function insertPostImages(
  db: Prisma.TransactionClient,
  postId: string,
  stored: readonly StoredPostImage[],
): Promise<void> {
  if (stored.length === 0) return;
  await db.postImage.createMany({
    data: stored.map((image, position) => ({ postId, position, ...image })),
  });
}

/**
 * Deletes stored files no row references any more (call after the transaction that dropped the rows has
 * committed). Keys are shared by identical bytes: another post's photo, a circular's file or a profile
 * photo may hold the same one. A failure is logged, not thrown: the post is already changed, and a file
 * left behind is unreachable (its rows are gone) until a clean-up removes it.
 */
export async function discardUnusedImageFiles(storageKeys: readonly string[]): Promise<void> {
  for (const key of new Set(storageKeys)) {
    try {
      await deleteFileIfUnused(key);
    } catch (error) {
      console.warn("could not remove an unused post photo", { key, err: error });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------

/**
 * The photos of several posts in one query, ordered by position, keyed by post id. Callers pass only ids
 * of posts the reader may see (the policy decided on the posts; photos add no rule of their own).
 */
export async function postImagesByPost(
  postIds: readonly string[],
  db: Prisma.TransactionClient = prisma,
): Promise<Map<string, PostImageView[]>> {
  const byPost = new Map<string, PostImageView[]>();
  if (postIds.length === 0) return byPost;
  const rows = await db.postImage.findMany({
    where: { postId: { in: [...new Set(postIds)] } },
    orderBy: [{ postId: "asc" }, { position: "asc" }],
    select: { id: true, postId: true, width: true, height: true, alt: true },
  });
  for (const row of rows) {
    const view: PostImageView = {
      id: row.id,
      url: postImageUrl(row.postId, row.id),
      width: row.width,
      height: row.height,
      alt: row.alt,
    };
    byPost.set(row.postId, [...(byPost.get(row.postId) ?? []), view]);
  }
  return byPost;
}

/**
 * The stored file of one photo of a post, or null. Only for a post the caller has already found visible
 * (requireVisiblePost): the photo of an invisible post must answer exactly like a missing one.
 */
export async function postImageFile(postId: string, imageId: unknown): Promise<ServedFile | null> {
  if (typeof imageId !== "string" || imageId.length === 0 || imageId.length > 64) return null;
  const image = await prisma.postImage.findFirst({
    where: { id: imageId, postId },
    select: { id: true, mediaType: true, size: true, sha256: true, storageKey: true },
  });
  if (!image) return null;
  return {
    fileName: `foto-${image.id}.webp`,
    mediaType: image.mediaType,
    size: image.size,
    sha256: image.sha256,
    storageKey: image.storageKey,
  };
}
