/**
 * Photos in posts: conversion (size, WebP, orientation, no metadata), refusals (wrong type, bombs, too many,
 * long alt texts), nothing saved when a photo is refused, the form reader, and photos in the post view and
 * the streams, added and removed with the post.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { FileError } from "~/modules/files/errors";
import { getFileStorage } from "~/modules/files/storage.server";
import { createCsrfToken, csrfCookieName } from "~/modules/identity/csrf.server";
import { buildPlace, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  checkPostImageUploads,
  MAX_POST_IMAGES,
  POST_IMAGE_ALT_MAX,
  POST_IMAGE_MAX_SIDE,
  postImageUrl,
  processPostImage,
  readPostSubmission,
  withStoredPostImages,
  type PostImageUpload,
} from "./post-images.server";
import { createAnnouncement, createPost, deletePost, editPost, getPostView, sharePost } from "./posts.server";
import { homeStream, placeStream, profileStream } from "./stream.server";

const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-post-images-"));
process.env.FILE_STORAGE_DIR = storageDir;

setupTestDatabase();

type User = Awaited<ReturnType<typeof buildUser>>;
const asReader = (user: User, roles: Reader["roles"] = ["employee"]): Reader => ({
  id: user.id,
  roles,
  isFieldWorker: user.isFieldWorker,
  department: user.departmentId ? { id: user.departmentId, parentId: null } : null,
});

/** A new author for each test that posts: the posting rate limit is per person. */
async function newAuthor(roles: Reader["roles"] = ["employee"]): Promise<Reader> {
  const extra = roles.filter((role) => role !== "employee");
  return asReader(await buildUser({}, extra), roles);
}

const solid = (width: number, height: number, seed = 80) =>
  sharp({ create: { width, height, channels: 3, background: { r: seed, g: 120, b: 200 } } });

const jpegUpload = async (width = 400, height = 300, alt = ""): Promise<PostImageUpload> => ({
  bytes: await solid(width, height).jpeg().toBuffer(),
  fileName: "foto.jpg",
  declaredType: "image/jpeg",
  alt,
});

/** Every stored file under the storage root (the temporary directory excluded). */
function storedFiles(): string[] {
  const root = path.join(storageDir, "sha256");
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((name) => /[0-9a-f]{64}$/.test(name));
}

async function postCount(authorId: string) {
  return prisma.post.count({ where: { authorId } });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A tiny valid PNG whose header claims width × height pixels (a decompression bomb's signature). */
async function pngBomb(width: number, height: number): Promise<Uint8Array> {
  const png = new Uint8Array(await solid(1, 1).png().toBuffer());
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  // Signature (8), IHDR length (4), "IHDR" (4), then width and height; the chunk's CRC follows its 13 bytes.
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(png.subarray(12, 29)));
  return png;
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => error,
  );
}

describe("processing a photo", () => {
  it("scales a large JPEG to fit 1600×1600 and stores WebP", async () => {
    const processed = await processPostImage(await jpegUpload(4000, 3000), "Werf Korenmarkt");
    expect(processed.mediaType).toBe("image/webp");
    expect([processed.width, processed.height]).toEqual([POST_IMAGE_MAX_SIDE, 1200]);
    const meta = await sharp(processed.bytes).metadata();
    expect(meta.format).toBe("webp");
    expect([meta.width, meta.height]).toEqual([1600, 1200]);
    expect(processed.alt).toBe("Werf Korenmarkt");
  });

  it("never enlarges a small photo", async () => {
    const processed = await processPostImage(await jpegUpload(640, 480), "");
    expect([processed.width, processed.height]).toEqual([640, 480]);
  });

  it("removes EXIF, GPS, XMP and the ICC profile, converting to sRGB", async () => {
    const bytes = await solid(800, 600)
      .jpeg()
      .withIccProfile("p3")
      .withExif({
        IFD0: { Make: "GeheimMerk", Artist: "Jan Privé" },
        IFD3: {
          GPSLatitudeRef: "N",
          GPSLatitude: "51/1 3/1 2/1",
          GPSLongitudeRef: "E",
          GPSLongitude: "3/1 43/1 1/1",
        },
      })
      .toBuffer();
    const input = await sharp(bytes).metadata();
    expect(input.exif).toBeDefined();
    expect(input.icc).toBeDefined();
    expect(bytes.includes("GeheimMerk")).toBe(true);

    const processed = await processPostImage(
      { bytes, fileName: "werf.jpg", declaredType: "image/jpeg", alt: "" },
      "",
    );
    const output = await sharp(processed.bytes).metadata();
    expect(output.exif).toBeUndefined();
    expect(output.icc).toBeUndefined();
    expect(output.xmp).toBeUndefined();
    expect(output.iptc).toBeUndefined();
    expect(processed.bytes.includes("GeheimMerk")).toBe(false);
    expect(processed.bytes.includes("Exif")).toBe(false);
  });

  it("turns a photo upright by its EXIF orientation", async () => {
    // Orientation 6: the camera was held on its side; the stored pixels are 400 wide, shown 400 high.
    const bytes = await solid(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(bytes).metadata()).orientation).toBe(6);
    const processed = await processPostImage(
      { bytes, fileName: "staand.jpg", declaredType: "image/jpeg", alt: "" },
      "",
    );
    expect([processed.width, processed.height]).toEqual([200, 400]);
    expect((await sharp(processed.bytes).metadata()).orientation).toBeUndefined();
  });

  it("accepts PNG and WebP", async () => {
    const png = await processPostImage(
      {
        bytes: await solid(300, 200).png().toBuffer(),
        fileName: "schema.png",
        declaredType: "image/png",
        alt: "",
      },
      "",
    );
    const webp = await processPostImage(
      { bytes: await solid(300, 200).webp().toBuffer(), fileName: "x.webp", declaredType: "", alt: "" },
      "",
    );
    expect([png.width, webp.width]).toEqual([300, 300]);
  });

  it("refuses a text file renamed .jpg", async () => {
    const error = await refusal(
      processPostImage(
        {
          bytes: new TextEncoder().encode("Dit is geen foto maar een tekst.\n".repeat(20)),
          fileName: "foto.jpg",
          declaredType: "image/jpeg",
          alt: "",
        },
        "",
      ),
    );
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: "mislabelled" });
  });

  it("refuses a PNG that declares a huge canvas, before decoding it", async () => {
    const bomb = await pngBomb(100_000, 100_000);
    expect(bomb.byteLength).toBeLessThan(200);
    expect((await sharp(bomb, { limitInputPixels: false }).metadata()).width).toBe(100_000);
    const error = await refusal(
      processPostImage({ bytes: bomb, fileName: "bom.png", declaredType: "image/png", alt: "" }, ""),
    );
    expect(error).toBeInstanceOf(FileError);
    expect(error).toMatchObject({ code: "too_large", params: { maxMegapixels: 50 } });
  });

  it("refuses HEIC, which this sharp cannot decode, naming the type", async () => {
    // An ISO-BMFF "ftyp" box with the "heic" brand, as iPhones write it.
    const heic = new Uint8Array(64);
    heic.set([0, 0, 0, 0x18], 0);
    heic.set(new TextEncoder().encode("ftypheic\0\0\0\0mif1heic"), 4);
    const error = await refusal(
      processPostImage({ bytes: heic, fileName: "IMG_0001.HEIC", declaredType: "image/heic", alt: "" }, ""),
    );
    expect(error).toMatchObject({ code: "unsupported_type", params: { detected: "HEIC" } });
  });

  it("refuses a truncated JPEG as unreadable", async () => {
    const bytes = await solid(600, 400).jpeg().toBuffer();
    const error = await refusal(
      processPostImage(
        { bytes: bytes.subarray(0, 300), fileName: "kapot.jpg", declaredType: "image/jpeg", alt: "" },
        "",
      ),
    );
    expect(error).toMatchObject({ code: "malformed_upload" });
  });
});

describe("checking a post's photos", () => {
  it("allows four photos and trims alt texts up to 300 characters", async () => {
    const image = await jpegUpload();
    const alts = checkPostImageUploads([
      { ...image, alt: `  ${"a".repeat(POST_IMAGE_ALT_MAX)}  ` },
      { ...image, alt: "" },
      { ...image, alt: "Tram aan de Korenmarkt" },
      { ...image, alt: "🚋".repeat(POST_IMAGE_ALT_MAX) },
    ]);
    expect(alts.map((alt) => [...alt].length)).toEqual([300, 0, 22, 300]);
  });

  it("refuses five photos and an alt text that is too long", async () => {
    const image = await jpegUpload();
    expect(() => checkPostImageUploads(Array.from({ length: MAX_POST_IMAGES + 1 }, () => image))).toThrow(
      expect.objectContaining({ name: "StreamError", code: "invalid_input" }),
    );
    expect(() => checkPostImageUploads([{ ...image, alt: "b".repeat(POST_IMAGE_ALT_MAX + 1) }])).toThrow(
      expect.objectContaining({ code: "invalid_input", issues: [expect.stringMatching(/^images\.0\.alt/)] }),
    );
  });
});

describe("posts with photos", () => {
  it("saves the photos in order with their alt texts, shown in the post view and the streams", async () => {
    const author = await newAuthor();
    const written = await createPost(
      author,
      { plainText: "Nieuwe fietsenstalling aan het AC" },
      { images: [await jpegUpload(2400, 1800, "Overzicht"), await jpegUpload(300, 600, " Detail ")] },
    );
    const rows = await prisma.postImage.findMany({
      where: { postId: written.id },
      orderBy: { position: "asc" },
    });
    expect(rows.map((row) => [row.position, row.alt, row.width, row.height, row.mediaType])).toEqual([
      [0, "Overzicht", 1600, 1200, "image/webp"],
      [1, "Detail", 300, 600, "image/webp"],
    ]);
    const stored = await getFileStorage().read(rows[0]!.storageKey);
    expect(stored.byteLength).toBe(rows[0]!.size);
    expect((await sharp(stored).metadata()).format).toBe("webp");

    const expected = rows.map((row) => ({
      id: row.id,
      url: postImageUrl(written.id, row.id),
      width: row.width,
      height: row.height,
      alt: row.alt,
    }));
    expect(expected[0]!.url).toBe(`/berichten/${written.id}/fotos/${rows[0]!.id}`);
    expect((await getPostView(author, written.id)).images).toEqual(expected);
    const home = await homeStream(author);
    expect(home.items.find((item) => item.id === written.id)?.images).toEqual(expected);
    const profile = await profileStream(await newAuthor(), author.id);
    expect(profile.items.find((item) => item.id === written.id)?.images).toEqual(expected);
  });

  it("allows a photo without text, but not an empty post", async () => {
    const author = await newAuthor();
    const photoOnly = await createPost(author, {}, { images: [await jpegUpload()] });
    expect((await getPostView(author, photoOnly.id)).text).toBe("");
    const emptyText = await createPost(author, { plainText: "  " }, { images: [await jpegUpload()] });
    expect((await getPostView(author, emptyText.id)).images).toHaveLength(1);
    await expect(createPost(author, { plainText: "" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("refuses five photos and saves nothing", async () => {
    const author = await newAuthor();
    const image = await jpegUpload();
    await expect(
      createPost(author, { plainText: "Vijf foto's" }, { images: Array.from({ length: 5 }, () => image) }),
    ).rejects.toMatchObject({ name: "StreamError", code: "invalid_input" });
    expect(await postCount(author.id)).toBe(0);
  });

  it("saves nothing, neither post nor file, when one photo is refused", async () => {
    const author = await newAuthor();
    const before = storedFiles();
    const good = await jpegUpload(500, 500, "Goed");
    const bad: PostImageUpload = {
      bytes: new TextEncoder().encode("<html>geen foto</html>"),
      fileName: "foto.png",
      declaredType: "image/png",
      alt: "",
    };
    await expect(
      createPost(author, { plainText: "Met een kapotte foto" }, { images: [good, bad] }),
    ).rejects.toBeInstanceOf(FileError);
    expect(await postCount(author.id)).toBe(0);
    expect(await prisma.postImage.count({ where: { post: { authorId: author.id } } })).toBe(0);
    expect(storedFiles()).toEqual(before);
  });

  it("refuses a too-long alt text and saves nothing", async () => {
    const author = await newAuthor();
    await expect(
      createPost(author, { plainText: "Alt" }, { images: [await jpegUpload(300, 300, "x".repeat(301))] }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect(await postCount(author.id)).toBe(0);
  });

  it("refuses photos for a place the author may not post in before processing them", async () => {
    const author = await newAuthor();
    const owner = await newAuthor();
    const place = await buildPlace({ ownerIds: [owner.id], visibility: "secret" });
    const bad: PostImageUpload = {
      bytes: new Uint8Array([1, 2, 3]),
      fileName: "a.jpg",
      declaredType: "",
      alt: "",
    };
    // A not_found for the place, not the FileError the photo would give: the place is checked first.
    await expect(
      createPost(author, { placeId: place.id, plainText: "Hallo" }, { images: [bad] }),
    ).rejects.toMatchObject({ name: "StreamError", code: "not_found" });
  });

  it("removes the stored files again when the post's transaction fails", async () => {
    const processed = await processPostImage(await jpegUpload(333, 222), "");
    const before = storedFiles();
    await expect(
      withStoredPostImages([processed], async (stored) => {
        expect(storedFiles()).toHaveLength(before.length + 1);
        expect(await getFileStorage().exists(stored[0]!.storageKey)).toBe(true);
        throw new Error("transaction failed");
      }),
    ).rejects.toThrow("transaction failed");
    expect(storedFiles()).toEqual(before);
  });

  it("puts photos on announcements", async () => {
    const communicator = await newAuthor(["employee", "communicator"]);
    const written = await createAnnouncement(
      communicator,
      { plainText: "Opening nieuw loket", audience: ["all"] },
      { images: [await jpegUpload(800, 400, "Het nieuwe loket")] },
    );
    const view = await getPostView(await newAuthor(), written.id);
    expect(view.images.map((image) => image.alt)).toEqual(["Het nieuwe loket"]);
  });

  it("shows the original's photos with a share, only to readers who may see the original", async () => {
    const author = await newAuthor();
    const member = await newAuthor();
    const outsider = await newAuthor();
    const secret = await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "secret" });
    const open = await buildPlace({ ownerIds: [member.id], memberIds: [outsider.id], visibility: "open" });
    const original = await createPost(
      author,
      { placeId: secret.id, plainText: "Alleen voor het team" },
      { images: [await jpegUpload(400, 400, "Teamfoto")] },
    );
    const share = await sharePost(member, original.id, { placeId: open.id });

    const memberItem = (await placeStream(member, open.id)).items.find((item) => item.id === share.id);
    expect(memberItem?.shared).toMatchObject({ available: true, images: [{ alt: "Teamfoto" }] });
    const memberView = await getPostView(member, share.id);
    expect(memberView.shared).toMatchObject({ available: true, images: [{ alt: "Teamfoto" }] });
    expect(memberView.images).toEqual([]);

    const outsiderItem = (await placeStream(outsider, open.id)).items.find((item) => item.id === share.id);
    expect(outsiderItem?.shared).toEqual({ available: false });
    expect((await getPostView(outsider, share.id)).shared).toEqual({ available: false });
  });

  it("keeps photos on edit, removes the ones asked for, and needs text or a photo", async () => {
    const author = await newAuthor();
    const written = await createPost(
      author,
      { plainText: "Twee foto's" },
      { images: [await jpegUpload(410, 300, "Eerste"), await jpegUpload(420, 300, "Tweede")] },
    );
    const [first, second] = (await getPostView(author, written.id)).images;

    await editPost(author, written.id, { plainText: "Nog steeds twee foto's" });
    expect((await getPostView(author, written.id)).images).toHaveLength(2);

    // Another post's photo id changes nothing.
    const other = await createPost(author, { plainText: "Ander" }, { images: [await jpegUpload(430, 300)] });
    const otherImage = (await getPostView(author, other.id)).images[0]!;
    const firstKey = (await prisma.postImage.findUniqueOrThrow({ where: { id: first!.id } })).storageKey;
    await editPost(author, written.id, { plainText: "", removeImageIds: [first!.id, otherImage.id] });
    const after = await getPostView(author, written.id);
    expect(after.images.map((image) => image.id)).toEqual([second!.id]);
    expect(after.text).toBe("");
    expect((await getPostView(author, other.id)).images).toHaveLength(1);
    expect(await getFileStorage().exists(firstKey)).toBe(false);

    await expect(
      editPost(author, written.id, { plainText: "", removeImageIds: [second!.id] }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    expect((await getPostView(author, written.id)).images).toHaveLength(1);
  });

  it("deletes the photos, and their files, with the post", async () => {
    const author = await newAuthor();
    const written = await createPost(
      author,
      { plainText: "Even tonen" },
      { images: [await jpegUpload(440, 300), await jpegUpload(450, 300)] },
    );
    const keys = (await prisma.postImage.findMany({ where: { postId: written.id } })).map(
      (row) => row.storageKey,
    );
    await deletePost(author, written.id);
    expect(await prisma.postImage.count({ where: { postId: written.id } })).toBe(0);
    for (const key of keys) expect(await getFileStorage().exists(key)).toBe(false);
  });

  it("keeps a file another post still uses when one of them is deleted", async () => {
    const author = await newAuthor();
    const image = await jpegUpload(460, 300);
    const first = await createPost(author, { plainText: "Een" }, { images: [image] });
    const second = await createPost(author, { plainText: "Twee" }, { images: [image] });
    const [a, b] = await prisma.postImage.findMany({
      where: { postId: { in: [first.id, second.id] } },
      select: { storageKey: true },
    });
    expect(a!.storageKey).toBe(b!.storageKey);
    await deletePost(author, first.id);
    expect(await getFileStorage().exists(a!.storageKey)).toBe(true);
  });
});

describe("reading the composer's form", () => {
  const csrf = createCsrfToken();
  const cookie = `${csrfCookieName()}=${encodeURIComponent(csrf)}`;

  function multipart(form: FormData, headers: Record<string, string> = {}) {
    return new Request("http://localhost:3000/berichten/nieuw", {
      method: "POST",
      headers: { Cookie: cookie, ...headers },
      body: form,
    });
  }

  it("pairs alt texts with files, skipping empty file inputs", async () => {
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("plainText", "Drie inputs, twee foto's");
    const jpeg = await solid(10, 10).jpeg().toBuffer();
    form.append("images", new File([new Uint8Array(jpeg)], "een.jpg", { type: "image/jpeg" }));
    form.append("imageAlt", "Eerste");
    form.append("images", new File([], "", { type: "application/octet-stream" }));
    form.append("imageAlt", "");
    form.append("images", new File([new Uint8Array(jpeg)], "drie.jpg", { type: "image/jpeg" }));
    form.append("imageAlt", "Derde");
    const { fields, images } = await readPostSubmission(multipart(form));
    expect(fields.get("plainText")).toEqual(["Drie inputs, twee foto's"]);
    expect(fields.get("imageAlt")).toEqual(["Eerste", "", "Derde"]);
    expect(images.map((image) => [image.fileName, image.alt, image.declaredType])).toEqual([
      ["een.jpg", "Eerste", "image/jpeg"],
      ["drie.jpg", "Derde", "image/jpeg"],
    ]);
    expect(Buffer.from(images[0]!.bytes).equals(jpeg)).toBe(true);
  });

  it('pairs alt texts the same way in a browser\'s body, where an empty input has filename=""', async () => {
    const boundary = "----WebKitFormBoundaryWerkplek";
    const jpeg = await solid(12, 12).jpeg().toBuffer();
    const text = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const fileHead = (fileName: string, type: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`;
    const body = Buffer.concat([
      Buffer.from(
        text("csrf", csrf) + fileHead("", "application/octet-stream") + "\r\n" + text("imageAlt", "Leeg"),
      ),
      Buffer.from(fileHead("twee.jpg", "image/jpeg")),
      jpeg,
      Buffer.from("\r\n" + text("imageAlt", "Tweede") + `--${boundary}--\r\n`),
    ]);
    const request = new Request("http://localhost:3000/berichten/nieuw", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
    });
    const { images } = await readPostSubmission(request);
    expect(images.map((image) => [image.fileName, image.alt])).toEqual([["twee.jpg", "Tweede"]]);
    expect(Buffer.from(images[0]!.bytes).equals(jpeg)).toBe(true);
  });

  it("reads a long body next to the files", async () => {
    const form = new FormData();
    form.set("csrf", csrf);
    const body = JSON.stringify({ root: { type: "root", children: [], padding: "x".repeat(50_000) } });
    form.set("body", body);
    expect((await readPostSubmission(multipart(form))).fields.get("body")).toEqual([body]);
  });

  it("refuses a form without a valid CSRF token with 403, multipart or not", async () => {
    const form = new FormData();
    form.set("plainText", "Zonder token");
    const missing = await refusal(readPostSubmission(multipart(form)));
    expect(missing).toBeInstanceOf(Response);
    expect((missing as Response).status).toBe(403);

    form.set("csrf", createCsrfToken());
    expect(((await refusal(readPostSubmission(multipart(form)))) as Response).status).toBe(403);

    const urlencoded = new Request("http://localhost:3000/berichten/nieuw", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ plainText: "Geen token" }),
    });
    expect(((await refusal(readPostSubmission(urlencoded))) as Response).status).toBe(403);
  });

  it("reads an urlencoded form with repeated fields and no images", async () => {
    const request = new Request("http://localhost:3000/berichten/nieuw", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([
        ["csrf", csrf],
        ["audience", "all"],
        ["audience", "role:field-worker"],
      ]),
    });
    const { fields, images } = await readPostSubmission(request);
    expect(fields.get("audience")).toEqual(["all", "role:field-worker"]);
    expect(images).toEqual([]);
  });

  it("accepts the token as a header from a script", async () => {
    const form = new FormData();
    form.set("plainText", "Met header");
    const { fields } = await readPostSubmission(multipart(form, { "X-CSRF-Token": csrf }));
    expect(fields.get("plainText")).toEqual(["Met header"]);
  });

  it("refuses a file above the upload limit while reading it", async () => {
    process.env.UPLOAD_MAX_MB = "0.1";
    const { resetEnvCache } = await import("~/env.server");
    resetEnvCache();
    try {
      const form = new FormData();
      form.set("csrf", csrf);
      form.append("images", new File([new Uint8Array(200 * 1024)], "groot.jpg", { type: "image/jpeg" }));
      const error = await refusal(readPostSubmission(multipart(form)));
      expect(error).toBeInstanceOf(FileError);
      expect(error).toMatchObject({ code: "too_large" });
    } finally {
      delete process.env.UPLOAD_MAX_MB;
      resetEnvCache();
    }
  });

  it("refuses files in another field and absurd numbers of files as malformed", async () => {
    const form = new FormData();
    form.set("csrf", csrf);
    form.append("file", new File([new Uint8Array([1])], "a.jpg"));
    expect(await refusal(readPostSubmission(multipart(form)))).toMatchObject({ code: "malformed_upload" });

    const many = new FormData();
    many.set("csrf", csrf);
    for (let n = 0; n < 13; n++) many.append("images", new File([new Uint8Array([n])], `${n}.jpg`));
    expect(await refusal(readPostSubmission(multipart(many)))).toMatchObject({ code: "malformed_upload" });
  });
});
