/**
 * The people pages' loaders and the profile form's action: who may see what, 404s for leavers, the photo's
 * caching, and the form's CSRF check and validation (multipart, as the browser sends it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { PHOTO_MAX_BYTES } from "~/modules/people/photo.server";
import { buildDepartment, buildPlace, buildPost, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import {
  formPost,
  getRequest,
  ROUTE_CSRF,
  routeContext,
  settle,
  signIn,
  type Visitor,
} from "../../tests/support/routes";
import { loader as directoryLoader } from "./mensen._index";
import { loader as profileLoader } from "./mensen.$id";
import { loader as photoLoader } from "./mensen.$id.foto";
import { action as editAction, loader as editLoader } from "./profiel_.bewerken";

process.env.FILE_STORAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-people-routes-"));

setupTestDatabase();

/** Posts the edit form as a browser does: multipart, with the token unless told otherwise. */
function postProfile(
  who: Visitor,
  fields: Record<string, string>,
  photo?: { bytes: Uint8Array; name: string; type: string },
  token: string | null = ROUTE_CSRF,
) {
  const form = new FormData();
  if (token) form.set("csrf", token);
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (photo) form.set("photo", new File([new Uint8Array(photo.bytes)], photo.name, { type: photo.type }));
  return editAction({
    request: new Request("http://localhost:3000/profiel/bewerken", {
      method: "POST",
      headers: { Cookie: who.cookie },
      body: form,
    }),
    params: {},
    context: routeContext,
  });
}

const jpeg = (seed: number) =>
  sharp({ create: { width: 400, height: 300, channels: 3, background: { r: seed, g: 120, b: 200 } } })
    .jpeg()
    .toBuffer();

let reader: Visitor;
let colleague: string;
let leaver: string;

beforeAll(async () => {
  reader = await signIn();
  const service = await buildDepartment({ name: "Routedienst" });
  colleague = (
    await buildUser({
      displayName: "Routina Verbeke",
      departmentId: service.id,
      workPhone: "+32 9 266 12 34",
      expertise: ["Routes"],
    })
  ).id;
  leaver = (await buildUser({ displayName: "Routina Vertrokken", active: false })).id;
});

describe("/mensen", () => {
  it("sends visitors without a session to the login page", async () => {
    const result = await settle(
      directoryLoader({ request: getRequest("/mensen?q=rout", null), params: {}, context: routeContext }),
    );
    expect(result.status).toBe(302);
    expect(result.response?.headers.get("Location")).toBe("/inloggen?terug=%2Fmensen%3Fq%3Drout");
  });

  it("lists matching active colleagues", async () => {
    const result = await settle(
      directoryLoader({
        request: getRequest("/mensen?q=routina", reader),
        params: {},
        context: routeContext,
      }),
    );
    expect(result.status).toBe(200);
    const body = result.body as { result: { total: number; people: { id: string }[] } };
    expect(body.result.total).toBe(1);
    expect(body.result.people.map((p) => p.id)).toEqual([colleague]);
  });

  it("answers 400 to parameters it cannot read", async () => {
    const result = await settle(
      directoryLoader({
        request: getRequest("/mensen?pagina=-3", reader),
        params: {},
        context: routeContext,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ params: null, result: null });
  });
});

describe("/mensen/<id>", () => {
  it("shows an active colleague", async () => {
    const result = await settle(
      profileLoader({
        request: getRequest(`/mensen/${colleague}`, reader),
        params: { id: colleague },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      title: "Routina Verbeke · Werkplek",
      profile: { displayName: "Routina Verbeke", workPhoneHref: "tel:+3292661234", isSelf: false },
      saved: false,
    });
  });

  it.each([
    ["an unknown id", "bestaat-niet"],
    ["a malformed id", "%00<script>"],
  ])("answers 404 for %s", async (_label, id) => {
    const result = await settle(
      profileLoader({ request: getRequest(`/mensen/x`, reader), params: { id }, context: routeContext }),
    );
    expect(result.status).toBe(404);
  });

  it("answers 404 for a colleague who left", async () => {
    const result = await settle(
      profileLoader({
        request: getRequest(`/mensen/${leaver}`, reader),
        params: { id: leaver },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(404);
  });
});

describe("/profiel/bewerken and /mensen/<id>/foto", () => {
  it("refuses a post without a valid CSRF token, multipart or not, and saves nothing", async () => {
    const me = await signIn({ about: "Ongewijzigd" });
    for (const token of [null, "vervalst.token"]) {
      const result = await settle(postProfile(me, { about: "Gekaapt" }, undefined, token));
      expect(result.status).toBe(403);
    }
    const plain = await settle(
      editAction({
        request: formPost("/profiel/bewerken", me, { about: "Gekaapt" }, null),
        params: {},
        context: routeContext,
      }),
    );
    expect(plain.status).toBe(403);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: me.id } })).about).toBe("Ongewijzigd");
  });

  it("saves a valid form with a photo, then serves the photo with long caching", async () => {
    const me = await signIn();
    const editPage = await settle(
      editLoader({ request: getRequest("/profiel/bewerken", me), params: {}, context: routeContext }),
    );
    expect(editPage.body).toMatchObject({ profile: { id: me.id, about: "", expertise: [] } });

    const saved = await settle(
      postProfile(
        me,
        { about: "Hallo", expertise: "GIS, Bomen", workPhone: "0478 12 34 56" },
        { bytes: await jpeg(10), name: "ik.jpg", type: "image/jpeg" },
      ),
    );
    expect(saved.status).toBe(303);
    expect(saved.response?.headers.get("Location")).toBe(`/mensen/${me.id}?bewaard=1`);
    const row = await prisma.user.findUniqueOrThrow({ where: { id: me.id } });
    expect(row).toMatchObject({ about: "Hallo", expertise: ["GIS", "Bomen"], workPhone: "+32 478 12 34 56" });
    const photoUrl = row.avatarUrl!;
    expect(photoUrl).toMatch(new RegExp(`^/mensen/${me.id}/foto\\?v=[0-9a-f]{64}$`));

    const photo = await settle(
      photoLoader({ request: getRequest(photoUrl, reader), params: { id: me.id }, context: routeContext }),
    );
    expect(photo.status).toBe(200);
    expect(photo.response?.headers.get("Content-Type")).toBe("image/webp");
    expect(photo.response?.headers.get("Cache-Control")).toBe("private, max-age=31536000, immutable");
    const bytes = Buffer.from(await photo.response!.arrayBuffer());
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 256, height: 256, format: "webp" });

    const etag = photo.response!.headers.get("ETag")!;
    const again = await settle(
      photoLoader({
        request: getRequest(photoUrl, reader, { "If-None-Match": etag }),
        params: { id: me.id },
        context: routeContext,
      }),
    );
    expect(again.status).toBe(304);

    // An old or bare link still shows the current photo, but only for a few minutes.
    const bare = await settle(
      photoLoader({
        request: getRequest(`/mensen/${me.id}/foto`, reader),
        params: { id: me.id },
        context: routeContext,
      }),
    );
    expect(bare.status).toBe(200);
    expect(bare.response?.headers.get("Cache-Control")).toBe("private, max-age=300");

    const ownProfile = await settle(
      profileLoader({
        request: getRequest(`/mensen/${me.id}?bewaard=1`, me),
        params: { id: me.id },
        context: routeContext,
      }),
    );
    expect(ownProfile.body).toMatchObject({ saved: true, profile: { isSelf: true, avatarUrl: photoUrl } });
  });

  it("answers 404 for the photo of someone without one, of a leaver, and without a session redirects", async () => {
    for (const id of [colleague, leaver, "onbekend"]) {
      const result = await settle(
        photoLoader({
          request: getRequest(`/mensen/${id}/foto`, reader),
          params: { id },
          context: routeContext,
        }),
      );
      expect(result.status).toBe(404);
    }
    const anonymous = await settle(
      photoLoader({
        request: getRequest(`/mensen/${colleague}/foto`, null),
        params: { id: colleague },
        context: routeContext,
      }),
    );
    expect(anonymous.status).toBe(302);
  });

  it("returns the field errors and the typed values, and saves nothing", async () => {
    const me = await signIn({ workPhone: "+32 9 266 12 34" });
    const tags = Array.from({ length: 16 }, (_, i) => `Thema ${i}`).join(", ");
    const result = await settle(postProfile(me, { about: "Nieuw", expertise: tags, workPhone: "12345" }));
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      errors: {
        expertise: { code: "too_many", params: { max: 15 } },
        workPhone: { code: "invalid_phone" },
      },
      values: { about: "Nieuw", expertise: tags, workPhone: "12345" },
    });
    const row = await prisma.user.findUniqueOrThrow({ where: { id: me.id } });
    expect(row).toMatchObject({ about: null, workPhone: "+32 9 266 12 34" });
  });

  it("refuses a mislabelled photo and an oversized one", async () => {
    const me = await signIn();
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: "blue" } })
      .png()
      .toBuffer();
    const mislabelled = await settle(
      postProfile(me, {}, { bytes: png, name: "foto.jpg", type: "image/jpeg" }),
    );
    expect(mislabelled.status).toBe(400);
    expect(mislabelled.body).toMatchObject({ errors: { photo: { code: "mislabelled" } } });

    const oversized = await settle(
      postProfile(
        me,
        {},
        { bytes: new Uint8Array(PHOTO_MAX_BYTES + 1024), name: "groot.jpg", type: "image/jpeg" },
      ),
    );
    expect(oversized.status).toBe(413);
    expect(oversized.body).toMatchObject({ errors: { photo: { code: "too_large" } }, values: null });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: me.id } })).avatarUrl).toBeNull();
  });
});

describe("/mensen/<id>: follow counts and the profile stream", () => {
  it("shows follower counts and the posts the reader may see, newest first", async () => {
    const author = await signIn({ displayName: "Stroomina Peeters" });
    const secret = await buildPlace({ ownerIds: [author.id], visibility: "secret" });
    const older = await buildPost({ authorId: author.id, createdAt: new Date(Date.now() - 60_000) });
    const newer = await buildPost({ authorId: author.id });
    const hidden = await buildPost({ authorId: author.id, placeId: secret.id });
    await prisma.follow.create({ data: { followerId: reader.id, targetType: "user", targetId: author.id } });
    await prisma.follow.create({ data: { followerId: author.id, targetType: "user", targetId: colleague } });

    const result = await settle(
      profileLoader({
        request: getRequest(`/mensen/${author.id}`, reader),
        params: { id: author.id },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(200);
    const body = result.body as {
      follow: { followers: number; following: number; byMe: boolean };
      stream: { items: { id: string }[]; nextCursor: string | null };
      returnTo: string;
    };
    expect(body.follow).toEqual({ followers: 1, following: 1, byMe: true });
    expect(body.stream.items.map((item) => item.id)).toEqual([newer.id, older.id]);
    expect(body.stream.items.map((item) => item.id)).not.toContain(hidden.id);
    expect(body.returnTo).toBe(`/mensen/${author.id}`);

    // The author sees their own post in the secret place.
    const own = await settle(
      profileLoader({
        request: getRequest(`/mensen/${author.id}`, author),
        params: { id: author.id },
        context: routeContext,
      }),
    );
    expect(
      (own.body as { stream: { items: { id: string }[] } }).stream.items.map((item) => item.id),
    ).toContain(hidden.id);
    expect(own.body).toMatchObject({ profile: { isSelf: true }, follow: { byMe: false } });
  });

  it("pages with ?na= and keeps the page as the place to return to", async () => {
    const author = await signIn();
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 22; i += 1) {
      await buildPost({ authorId: author.id, createdAt: new Date(base + i * 1000) });
    }
    const first = await settle(
      profileLoader({
        request: getRequest(`/mensen/${author.id}`, reader),
        params: { id: author.id },
        context: routeContext,
      }),
    );
    const firstPage = (first.body as { stream: { items: unknown[]; nextCursor: string } }).stream;
    expect(firstPage.items).toHaveLength(20);
    const url = `/mensen/${author.id}?na=${encodeURIComponent(firstPage.nextCursor)}`;
    const second = await settle(
      profileLoader({ request: getRequest(url, reader), params: { id: author.id }, context: routeContext }),
    );
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ stream: { nextCursor: null }, returnTo: url });
    expect((second.body as { stream: { items: unknown[] } }).stream.items).toHaveLength(2);
  });

  it("answers 400 to a cursor it cannot read, still showing the profile", async () => {
    const result = await settle(
      profileLoader({
        request: getRequest(`/mensen/${colleague}?na=kapot`, reader),
        params: { id: colleague },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ stream: null, profile: { id: colleague } });
  });
});
