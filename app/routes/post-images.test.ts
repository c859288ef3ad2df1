/**
 * GET /berichten/<id>/fotos/<imageId>: a post's photo only for readers who may see the post (404 for
 * everyone else, exactly like a photo that does not exist), cached privately and for good, with an ETag.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { getFileStorage } from "~/modules/files/storage.server";
import { postImageUrl } from "~/modules/stream/post-images.server";
import { createPost, deletePost } from "~/modules/stream/posts.server";
import { buildPlace } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import {
  getRequest,
  routeContext,
  signIn as signInUser,
  type Visitor as SignedIn,
} from "../../tests/support/routes";
import { loader } from "./berichten.$id.fotos.$imageId";

process.env.FILE_STORAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-post-image-route-"));

setupTestDatabase();

type Visitor = SignedIn & { reader: Reader };

/** Signs in a new employee; `reader` is the same user as the stream modules see them. */
async function signIn(): Promise<Visitor> {
  const visitor = await signInUser();
  return {
    ...visitor,
    reader: { id: visitor.id, roles: ["employee"], isFieldWorker: false, department: null },
  };
}

/** The loader's answer, thrown or returned, as a Response. */
async function fetchPhoto(url: string, who: Visitor | null, headers: Record<string, string> = {}) {
  const [, , postId, , imageId] = url.split("/");
  const request = getRequest(url, who, headers);
  try {
    return await loader({ request, params: { id: postId, imageId }, context: routeContext });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const photo = async (width: number) => ({
  bytes: await sharp({ create: { width, height: 300, channels: 3, background: { r: 10, g: 90, b: 160 } } })
    .jpeg()
    .toBuffer(),
  fileName: "teamfoto.jpg",
  declaredType: "image/jpeg",
  alt: "Het team op de werf",
});

let author: Visitor;
let member: Visitor;
let outsider: Visitor;
let secretPostId: string;
let secretImage: { id: string; sha256: string; storageKey: string };
let openPostId: string;
let openImageId: string;

beforeAll(async () => {
  author = await signIn();
  member = await signIn();
  outsider = await signIn();
  const secret = await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "secret" });
  secretPostId = (
    await createPost(
      author.reader,
      { placeId: secret.id, plainText: "Teamfoto" },
      { images: [await photo(500)] },
    )
  ).id;
  secretImage = await prisma.postImage.findFirstOrThrow({
    where: { postId: secretPostId },
    select: { id: true, sha256: true, storageKey: true },
  });
  openPostId = (await createPost(author.reader, { plainText: "Open" }, { images: [await photo(510)] })).id;
  openImageId = (await prisma.postImage.findFirstOrThrow({ where: { postId: openPostId } })).id;
});

describe("/berichten/<id>/fotos/<imageId>", () => {
  it("serves a secret group's photo to a member as private, immutable WebP with an ETag", async () => {
    const response = await fetchPhoto(postImageUrl(secretPostId, secretImage.id), member);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("image/webp");
    expect(response.headers.get("ETag")).toBe(`"${secretImage.sha256}"`);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Cache-Control")).toBe("private, max-age=31536000, immutable");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals(await getFileStorage().read(secretImage.storageKey))).toBe(true);
    expect((await sharp(bytes).metadata()).format).toBe("webp");
  });

  it("answers 304 when the member's copy is current", async () => {
    const response = await fetchPhoto(postImageUrl(secretPostId, secretImage.id), member, {
      "If-None-Match": `"${secretImage.sha256}"`,
    });
    expect(response.status).toBe(304);
    expect(response.headers.get("ETag")).toBe(`"${secretImage.sha256}"`);
    expect(await response.text()).toBe("");
  });

  it("answers 404, never 403, to a non-member, as for a photo that does not exist", async () => {
    const hidden = await fetchPhoto(postImageUrl(secretPostId, secretImage.id), outsider);
    const missing = await fetchPhoto(postImageUrl(secretPostId, "bestaat-niet"), member);
    for (const response of [hidden, missing]) {
      expect(response.status).toBe(404);
      expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    }
    expect((await fetchPhoto(postImageUrl("bestaat-niet", secretImage.id), member)).status).toBe(404);
  });

  it("does not serve a photo under another post's address", async () => {
    // The open post is visible to the outsider; the secret post's photo must not come through it.
    expect((await fetchPhoto(postImageUrl(openPostId, openImageId), outsider)).status).toBe(200);
    expect((await fetchPhoto(postImageUrl(openPostId, secretImage.id), outsider)).status).toBe(404);
  });

  it("sends visitors without a session to the login page", async () => {
    const response = await fetchPhoto(postImageUrl(openPostId, openImageId), null);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/inloggen\?terug=/);
  });

  it("answers 404 once the post is deleted", async () => {
    const written = await createPost(author.reader, { plainText: "Weg" }, { images: [await photo(520)] });
    const image = await prisma.postImage.findFirstOrThrow({ where: { postId: written.id } });
    expect((await fetchPhoto(postImageUrl(written.id, image.id), author)).status).toBe(200);
    await deletePost(author.reader, written.id);
    expect((await fetchPhoto(postImageUrl(written.id, image.id), author)).status).toBe(404);
  });
});
