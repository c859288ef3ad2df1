import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { getFileStorage, storageKeyFor } from "~/modules/files/storage.server";
import { buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { PeopleError } from "./errors";
import { PHOTO_MAX_BYTES, photoDigestOf } from "./photo.server";
import { getEditableProfile, getProfile, updateOwnProfile } from "./profile.server";

process.env.FILE_STORAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-people-files-"));

setupTestDatabase();

const asReader = (user: { id: string }) => ({ id: user.id, roles: ["employee"] as const });

let colour = 0;

/**
 * A photo as a phone makes one: large, with EXIF (camera, a home address). Each call has its own colour,
 * so two tests never produce the same bytes (stored files are shared by identical content).
 */
function cameraPhoto(format: "jpeg" | "png" | "webp" = "jpeg", width = 1200, height = 800) {
  colour += 1;
  const background = { r: (colour * 37) % 256, g: (colour * 91) % 256, b: (colour * 53) % 256 };
  const image = sharp({ create: { width, height, channels: 3, background } }).withExif({
    IFD0: { Make: "Geheim Merk", Model: "Telefoon 9", ImageDescription: "Thuis, Kerkstraat 1" },
  });
  return image[format]().toBuffer();
}

async function storedFiles(): Promise<number> {
  const root = process.env.FILE_STORAGE_DIR!;
  const walk = (dir: string): number =>
    fs.existsSync(dir)
      ? fs.readdirSync(dir, { withFileTypes: true }).reduce((n, entry) => {
          if (entry.name === "tmp") return n;
          return n + (entry.isDirectory() ? walk(path.join(dir, entry.name)) : 1);
        }, 0)
      : 0;
  return walk(root);
}

async function refusal(promise: Promise<unknown>): Promise<PeopleError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PeopleError);
  return error as PeopleError;
}

describe("getProfile", () => {
  let service: { id: string; name: string; code: string };
  let department: { id: string; name: string; code: string };
  beforeAll(async () => {
    department = await buildDepartment({ name: "Departement Publieke Ruimte" });
    service = await buildDepartment({ name: "Groendienst", parentId: department.id });
  });

  it("shows an active colleague with contact links and whether the reader follows them", async () => {
    const reader = await buildUser();
    const person = await buildUser({
      displayName: "Pieter De Smet",
      jobTitle: "Beleidsmedewerker",
      departmentId: service.id,
      email: "pieter.desmet.test@stad.gent",
      workPhone: "+32 9 266 12 34",
      about: "Ik werk aan de parken.",
      expertise: ["GIS", "Bomen"],
    });
    const before = await getProfile(asReader(reader), person.id);
    expect(before).toMatchObject({
      id: person.id,
      displayName: "Pieter De Smet",
      jobTitle: "Beleidsmedewerker",
      initials: "PD",
      unit: { name: "Groendienst", code: service.code },
      department: { name: "Departement Publieke Ruimte", code: department.code },
      email: "pieter.desmet.test@stad.gent",
      workPhone: "+32 9 266 12 34",
      workPhoneHref: "tel:+3292661234",
      about: "Ik werk aan de parken.",
      expertise: ["GIS", "Bomen"],
      contactViaTeamLead: false,
      isSelf: false,
      followedByReader: false,
    });
    await prisma.follow.create({ data: { followerId: reader.id, targetType: "user", targetId: person.id } });
    expect((await getProfile(asReader(reader), person.id)).followedByReader).toBe(true);
    expect((await getProfile(asReader(person), person.id)).isSelf).toBe(true);
  });

  it("sends colleagues of a field worker without e-mail to their team lead", async () => {
    const reader = await buildUser();
    const fieldWorker = await buildUser({ isFieldWorker: true, email: null, departmentId: service.id });
    expect(await getProfile(asReader(reader), fieldWorker.id)).toMatchObject({
      email: null,
      isFieldWorker: true,
      contactViaTeamLead: true,
      unit: { name: "Groendienst" },
    });
  });

  it("answers not_found for an unknown, inactive or malformed id", async () => {
    const reader = await buildUser();
    const leaver = await buildUser({ active: false });
    for (const id of ["onbekend", leaver.id, "../etc/passwd", "", "x".repeat(200), 42]) {
      const error = await refusal(getProfile(asReader(reader), id));
      expect(error.code).toBe("not_found");
      expect(error.status).toBe(404);
    }
  });
});

describe("updateOwnProfile", () => {
  it("saves the introduction, tags and phone in their clean form", async () => {
    const user = await buildUser({ jobTitle: "Uit HR" });
    const result = await updateOwnProfile(asReader(user), {
      about: "  Hallo!\r\n\r\n\r\n\r\nIk ben nieuw.\u0007  ",
      expertise: " GIS ,  openbare   verlichting; gis\nRéseau, Excel ",
      workPhone: "09/266.12.34",
    });
    expect(result).toEqual({ avatarUrl: null });
    const saved = await getEditableProfile(asReader(user));
    expect(saved).toMatchObject({
      about: "Hallo!\n\nIk ben nieuw.",
      expertise: ["GIS", "openbare verlichting", "Réseau", "Excel"],
      workPhone: "+32 9 266 12 34",
      jobTitle: "Uit HR",
    });
  });

  it("clears fields left empty", async () => {
    const user = await buildUser({ about: "Oud", expertise: ["Oud"], workPhone: "+32 9 266 12 34" });
    await updateOwnProfile(asReader(user), { about: "", expertise: "", workPhone: "" });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ about: null, expertise: [], workPhone: null });
  });

  it.each([
    ["an introduction over 1000 characters", { about: "a".repeat(1001) }, "about", "too_long"],
    [
      "16 tags",
      { expertise: Array.from({ length: 16 }, (_, i) => `Tag ${i}`).join(", ") },
      "expertise",
      "too_many",
    ],
    ["a huge tag field", { expertise: "x".repeat(5000) }, "expertise", "too_many"],
    ["a one-letter tag", { expertise: "GIS, A" }, "expertise", "tag_length"],
    ["a 41-character tag", { expertise: `GIS, ${"b".repeat(41)}` }, "expertise", "tag_length"],
    ["markup in a tag", { expertise: "<script>" }, "expertise", "tag_characters"],
    ["a number that is too short", { workPhone: "06 12345678" }, "workPhone", "invalid_phone"],
    ["a foreign number", { workPhone: "+31 20 123 4567" }, "workPhone", "invalid_phone"],
  ] as const)("refuses %s and saves nothing", async (_label, input, field, code) => {
    const user = await buildUser({ about: "Blijft", workPhone: "+32 9 266 12 34" });
    const error = await refusal(
      updateOwnProfile(asReader(user), {
        about: "Nieuw",
        expertise: "Nieuw",
        workPhone: "09 210 10 10",
        ...input,
      }),
    );
    expect(error.code).toBe("invalid_input");
    expect(error.fields[field]?.code).toBe(code);
    expect(Object.keys(error.fields)).toEqual([field]);
    const row = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ about: "Blijft", workPhone: "+32 9 266 12 34", expertise: [] });
  });

  it("counts 15 tags as enough and accepts tags of 2 and 40 characters", async () => {
    const user = await buildUser();
    const tags = Array.from({ length: 13 }, (_, i) => `Onderwerp ${i}`);
    await updateOwnProfile(asReader(user), { expertise: [...tags, "IT", "c".repeat(40)] });
    expect((await getEditableProfile(asReader(user))).expertise).toHaveLength(15);
  });

  it("reports every problem at once", async () => {
    const user = await buildUser();
    const error = await refusal(
      updateOwnProfile(
        asReader(user),
        { about: "a".repeat(2000), workPhone: "geen nummer" },
        { bytes: new TextEncoder().encode("<html>"), fileName: "foto.png" },
      ),
    );
    expect(Object.keys(error.fields).sort()).toEqual(["about", "photo", "workPhone"]);
  });

  describe("photo", () => {
    it("crops to 256×256 WebP without metadata and serves it under a digest path", async () => {
      const user = await buildUser();
      const original = await cameraPhoto("jpeg");
      expect((await sharp(original).metadata()).exif).toBeDefined();
      const { avatarUrl } = await updateOwnProfile(
        asReader(user),
        {},
        { bytes: original, fileName: "IMG_2041.JPG", declaredType: "image/jpeg" },
      );
      const digest = photoDigestOf(user.id, avatarUrl);
      expect(avatarUrl).toBe(`/mensen/${user.id}/foto?v=${digest}`);
      const stored = await getFileStorage().read(storageKeyFor(digest!));
      const meta = await sharp(stored).metadata();
      expect(meta).toMatchObject({ format: "webp", width: 256, height: 256 });
      expect(meta.exif).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(stored.includes(Buffer.from("Kerkstraat"))).toBe(false);
    });

    it.each(["png", "webp"] as const)("accepts %s", async (format) => {
      const user = await buildUser();
      const { avatarUrl } = await updateOwnProfile(
        asReader(user),
        {},
        { bytes: await cameraPhoto(format, 300, 500), fileName: `foto.${format}` },
      );
      expect(avatarUrl).toMatch(/\?v=[0-9a-f]{64}$/);
    });

    it("replaces and removes a photo, deleting the old file", async () => {
      const user = await buildUser();
      const first = await updateOwnProfile(
        asReader(user),
        {},
        { bytes: await cameraPhoto("png", 400, 400), fileName: "a.png" },
      );
      const second = await updateOwnProfile(
        asReader(user),
        {},
        { bytes: await cameraPhoto("jpeg", 500, 400), fileName: "b.jpg" },
      );
      const firstKey = storageKeyFor(photoDigestOf(user.id, first.avatarUrl)!);
      const secondKey = storageKeyFor(photoDigestOf(user.id, second.avatarUrl)!);
      expect(firstKey).not.toBe(secondKey);
      expect(await getFileStorage().exists(firstKey)).toBe(false);
      // Keeping the photo: a save without a new file leaves it in place.
      expect(await updateOwnProfile(asReader(user), { about: "Nieuw" })).toEqual(second);
      expect(await updateOwnProfile(asReader(user), { removePhoto: true })).toEqual({ avatarUrl: null });
      expect(await getFileStorage().exists(secondKey)).toBe(false);
    });

    it("keeps a file another colleague's photo still uses", async () => {
      const [one, two] = [await buildUser(), await buildUser()];
      const bytes = await cameraPhoto("png", 320, 320);
      const shared = await updateOwnProfile(asReader(one), {}, { bytes, fileName: "team.png" });
      await updateOwnProfile(asReader(two), {}, { bytes, fileName: "team.png" });
      await updateOwnProfile(asReader(one), { removePhoto: true });
      expect(await getFileStorage().exists(storageKeyFor(photoDigestOf(one.id, shared.avatarUrl)!))).toBe(
        true,
      );
    });

    it.each([
      [
        "an oversized file",
        async () => ({ bytes: new Uint8Array(PHOTO_MAX_BYTES + 1), fileName: "groot.jpg" }),
        "too_large",
      ],
      [
        "a PNG named .jpg",
        async () => ({ bytes: await cameraPhoto("png", 50, 50), fileName: "foto.jpg" }),
        "mislabelled",
      ],
      [
        "a PNG declared as JPEG",
        async () => ({
          bytes: await cameraPhoto("png", 50, 50),
          fileName: "foto",
          declaredType: "image/jpeg",
        }),
        "mislabelled",
      ],
      [
        "an HTML page named .png",
        async () => ({ bytes: new TextEncoder().encode("<svg onload=alert(1)>"), fileName: "foto.png" }),
        "mislabelled",
      ],
      [
        "a GIF",
        async () => ({
          bytes: await sharp({ create: { width: 5, height: 5, channels: 3, background: "red" } })
            .gif()
            .toBuffer(),
          fileName: "anim.gif",
        }),
        "unsupported_type",
      ],
      [
        "a truncated JPEG",
        async () => ({
          bytes: (await cameraPhoto("jpeg", 400, 400)).subarray(0, 600),
          fileName: "kapot.jpg",
        }),
        "unreadable",
      ],
      ["an empty file", async () => ({ bytes: new Uint8Array(0), fileName: "leeg.png" }), "empty"],
    ])("refuses %s and saves nothing", async (_label, make, code) => {
      const user = await buildUser({ about: "Blijft" });
      const files = await storedFiles();
      const error = await refusal(updateOwnProfile(asReader(user), { about: "Nieuw" }, await make()));
      expect(error.fields.photo?.code).toBe(code);
      expect(await storedFiles()).toBe(files);
      expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).about).toBe("Blijft");
    });

    it("stores no photo when another field is invalid", async () => {
      const user = await buildUser();
      const files = await storedFiles();
      const error = await refusal(
        updateOwnProfile(
          asReader(user),
          { workPhone: "123" },
          { bytes: await cameraPhoto("jpeg", 300, 300), fileName: "goed.jpg" },
        ),
      );
      expect(Object.keys(error.fields)).toEqual(["workPhone"]);
      expect(await storedFiles()).toBe(files);
      expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).avatarUrl).toBeNull();
    });
  });

  it("refuses an inactive person", async () => {
    const leaver = await buildUser({ active: false });
    expect((await refusal(updateOwnProfile(asReader(leaver), { about: "x" }))).code).toBe("not_found");
  });
});
