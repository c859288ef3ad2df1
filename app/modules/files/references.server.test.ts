/** A stored file stays while any module still refers to it: post photos, circular files and profile photos. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildPost, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { deleteFileIfUnused, storageKeyInUse } from "./references.server";
import { getFileStorage } from "./storage.server";

process.env.FILE_STORAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-references-"));

setupTestDatabase();

describe("deleteFileIfUnused", () => {
  it("keeps a file a post photo or a profile photo still uses, and deletes it once nothing does", async () => {
    const stored = await getFileStorage().put(new TextEncoder().encode(`gedeelde bytes ${Date.now()}`));
    const author = await buildUser();
    const post = await buildPost({ authorId: author.id });
    const image = await prisma.postImage.create({
      data: {
        postId: post.id,
        position: 0,
        storageKey: stored.key,
        sha256: stored.sha256,
        mediaType: "image/webp",
        size: stored.size,
        width: 10,
        height: 10,
      },
    });
    await prisma.user.update({
      where: { id: author.id },
      data: { avatarUrl: `/mensen/${author.id}/foto?v=${stored.sha256}` },
    });

    expect(await storageKeyInUse(stored.key)).toBe(true);
    await prisma.postImage.delete({ where: { id: image.id } });
    // The profile photo alone still holds it.
    expect(await deleteFileIfUnused(stored.key)).toBe(false);
    expect(await getFileStorage().exists(stored.key)).toBe(true);

    await prisma.user.update({ where: { id: author.id }, data: { avatarUrl: null } });
    expect(await deleteFileIfUnused(stored.key)).toBe(true);
    expect(await getFileStorage().exists(stored.key)).toBe(false);
  });
});
