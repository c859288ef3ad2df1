/**
 * The composer's action and pages: creating posts as the browser sends them (multipart with or without
 * JavaScript, urlencoded), the editor's Lexical body with a mention, places and announcements with who may
 * use them, the refusals (CSRF, empty, too long, unsafe link, rate limit) that save nothing, and editing a
 * post (its author only, 404 for anyone else).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { COMPOSER_MAX_IMAGES, composerFieldErrors } from "~/components/stream/composer";
import { prisma } from "~/db.server";
import { MAX_POST_IMAGES } from "~/modules/stream/post-images.server";
import { consumeRateLimit, RATE_LIMITS } from "~/utils/rate-limit.server";
import { buildDepartment, buildPlace, buildPost, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import {
  getRequest,
  ROUTE_CSRF,
  routeContext,
  settle,
  signIn,
  type Visitor,
} from "../../tests/support/routes";
import { action as editAction, loader as editLoader } from "./berichten.$id_.bewerken";
import { action, loader } from "./berichten._index";

process.env.FILE_STORAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "werkplek-composer-routes-"));

setupTestDatabase();

type Fields = Record<string, string | string[]>;
type Photo = { bytes: Uint8Array; name: string; type: string };

/** Posts the composer as a browser does: multipart by default, with the token unless told otherwise. */
function submit(
  who: Visitor,
  fields: Fields,
  {
    multipart = true,
    token = ROUTE_CSRF,
    photos = [],
    url = "/berichten?index",
  }: { multipart?: boolean; token?: string | null; photos?: Photo[]; url?: string } = {},
) {
  const entries: [string, string][] = Object.entries({ intent: "create", ...fields }).flatMap(
    ([key, value]) => (Array.isArray(value) ? value : [value]).map((one): [string, string] => [key, one]),
  );
  if (token) entries.unshift(["csrf", token]);
  let body: FormData | URLSearchParams;
  if (multipart) {
    const form = new FormData();
    for (const [key, value] of entries) form.append(key, value);
    for (const photo of photos) {
      form.append("images", new File([new Uint8Array(photo.bytes)], photo.name, { type: photo.type }));
    }
    body = form;
  } else {
    body = new URLSearchParams(entries);
  }
  return action({
    request: new Request(`http://localhost:3000${url}`, {
      method: "POST",
      headers: { Cookie: who.cookie },
      body,
    }),
    params: {},
    context: routeContext,
  });
}

const lexical = (...inlines: object[]) =>
  JSON.stringify({ root: { type: "root", children: [{ type: "paragraph", children: inlines }] } });

const postsBy = (authorId: string) => prisma.post.findMany({ where: { authorId } });

type Refusal = {
  ok: false;
  error: { key: string; params?: Record<string, unknown> } | null;
  fieldErrors: Record<string, { key: string }>;
  values: { plainText: string };
};

let colleague: { id: string; displayName: string };

beforeAll(async () => {
  colleague = await buildUser({ displayName: "Mira Vermeulen" });
});

describe("creating a post", () => {
  it("accepts the textarea's text as multipart and redirects back to the new post", async () => {
    const author = await signIn();
    const result = await settle(submit(author, { plainText: "Goeiemorgen iedereen", returnTo: "/" }));
    const [post] = await postsBy(author.id);
    expect(post?.text).toBe("Goeiemorgen iedereen");
    expect(result.status).toBe(303);
    expect(result.response?.headers.get("Location")).toBe(`/#bericht-${post!.id}`);
  });

  it("accepts an urlencoded form the same way", async () => {
    const author = await signIn();
    const result = await settle(
      submit(author, { plainText: "Zonder foto's", returnTo: "/groepen" }, { multipart: false }),
    );
    const [post] = await postsBy(author.id);
    expect(result.status).toBe(303);
    expect(result.response?.headers.get("Location")).toBe(`/groepen#bericht-${post!.id}`);
  });

  it("never redirects to another site: an unsafe return path falls back to the post", async () => {
    const author = await signIn();
    const result = await settle(submit(author, { plainText: "Veilig terug", returnTo: "//evil.example/x" }));
    const [post] = await postsBy(author.id);
    expect(result.response?.headers.get("Location")).toBe(`/berichten/${post!.id}#bericht-${post!.id}`);
  });

  it("saves the editor's body with a mention and notifies the mentioned colleague", async () => {
    const author = await signIn();
    const body = lexical(
      { type: "text", text: "Bedankt " },
      { type: "mention", userId: colleague.id, text: "@Mira Vermeulen" },
      { type: "text", text: " voor #teamwerk", format: 1 },
    );
    const result = await settle(submit(author, { body, returnTo: "/" }));
    expect(result.status).toBe(303);
    const [post] = await postsBy(author.id);
    expect(post?.text).toBe("Bedankt @Mira Vermeulen voor #teamwerk");
    const notification = await prisma.notification.findFirst({
      where: { userId: colleague.id, type: "post.mentioned", url: `/berichten/${post!.id}` },
    });
    expect(notification).not.toBeNull();
    expect(await prisma.postTopic.count({ where: { postId: post!.id } })).toBe(1);
  });

  it("answers a script-driven submission with the post instead of a redirect", async () => {
    const author = await signIn();
    const result = await settle(
      submit(author, { plainText: "Met JavaScript", returnTo: "/", enhanced: "1" }),
    );
    const [post] = await postsBy(author.id);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      form: "composer",
      ok: true,
      postId: post!.id,
      url: `/berichten/${post!.id}`,
    });
  });

  it("stores a photo with its description", async () => {
    const author = await signIn();
    const bytes = await sharp({
      create: { width: 60, height: 40, channels: 3, background: { r: 20, g: 120, b: 200 } },
    })
      .jpeg()
      .toBuffer();
    const result = await settle(
      submit(
        author,
        { plainText: "De nieuwe fietsenstalling", imageAlt: "Fietsen onder een afdak", returnTo: "/" },
        { photos: [{ bytes, name: "stalling.jpg", type: "image/jpeg" }] },
      ),
    );
    expect(result.status).toBe(303);
    const [post] = await postsBy(author.id);
    const images = await prisma.postImage.findMany({ where: { postId: post!.id } });
    expect(images.map((image) => image.alt)).toEqual(["Fietsen onder een afdak"]);
  });

  it("offers as many photo fields as the server accepts", () => {
    expect(COMPOSER_MAX_IMAGES).toBe(MAX_POST_IMAGES);
  });
});

describe("posting in a place", () => {
  it("lets a member post in a closed group", async () => {
    const owner = await buildUser();
    const member = await signIn();
    const place = await buildPlace({ ownerIds: [owner.id], memberIds: [member.id], visibility: "closed" });
    const result = await settle(
      submit(member, {
        plainText: "Vergadering om tien uur",
        place: place.slug,
        returnTo: `/groepen/${place.slug}`,
      }),
    );
    expect(result.status).toBe(303);
    const [post] = await postsBy(member.id);
    expect(post?.placeId).toBe(place.id);
    expect(post?.audience).toEqual([`place:${place.id}`]);
  });

  it("refuses a non-member of a closed group with a message at the field, saving nothing", async () => {
    const owner = await buildUser();
    const outsider = await signIn();
    const place = await buildPlace({ ownerIds: [owner.id], visibility: "closed" });
    const result = await settle(submit(outsider, { plainText: "Mag ik meedoen?", place: place.slug }));
    expect(result.status).toBe(403);
    expect((result.body as Refusal).fieldErrors.place).toEqual({ key: "notMember" });
    expect((result.body as Refusal).values.plainText).toBe("Mag ik meedoen?");
    expect(await postsBy(outsider.id)).toEqual([]);
  });

  it.each([
    ["a secret group one is not in", "secret"],
    ["a place that does not exist", null],
  ])("answers 404 for %s", async (_label, visibility) => {
    const owner = await buildUser();
    const outsider = await signIn();
    const slug =
      visibility === "secret"
        ? (await buildPlace({ ownerIds: [owner.id], visibility: "secret" })).slug
        : "bestaat-niet-123";
    const result = await settle(submit(outsider, { plainText: "Hallo?", place: slug }));
    expect(result.status).toBe(404);
    expect((result.body as Refusal).fieldErrors.place).toEqual({ key: "placeNotFound" });
    expect(await postsBy(outsider.id)).toEqual([]);
  });
});

describe("announcements", () => {
  it("lets a communicator announce to field workers and a department, pinned", async () => {
    const communicator = await signIn({}, ["communicator"]);
    const department = await buildDepartment();
    const pinDay = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const result = await settle(
      submit(communicator, {
        plainText: "Nieuwe veiligheidsschoenen",
        announcement: "on",
        audienceMode: "groups",
        audienceFieldWorkers: "on",
        audienceDepartments: [department.id],
        pinnedUntil: pinDay,
        returnTo: "/",
      }),
    );
    expect(result.status).toBe(303);
    const [post] = await postsBy(communicator.id);
    expect(post?.kind).toBe("announcement");
    expect(post?.audience).toEqual(
      expect.arrayContaining(["field-workers", `department:${department.id}`, `user:${communicator.id}`]),
    );
    expect(post?.pinnedUntil?.getTime()).toBeGreaterThan(Date.now());
  });

  it("asks a communicator who chose no audience to choose one", async () => {
    const communicator = await signIn({}, ["communicator"]);
    const result = await settle(
      submit(communicator, { plainText: "Voor wie?", announcement: "on", audienceMode: "groups" }),
    );
    expect(result.status).toBe(400);
    expect((result.body as Refusal).fieldErrors.audience).toEqual({ key: "audienceRequired" });
    expect(await postsBy(communicator.id)).toEqual([]);
  });

  it("refuses an announcement by an employee, saving nothing", async () => {
    const employee = await signIn();
    const result = await settle(
      submit(employee, { plainText: "Iedereen luisteren!", announcement: "on", audienceMode: "all" }),
    );
    expect(result.status).toBe(403);
    expect((result.body as Refusal).error).toEqual({ key: "announcementForbidden" });
    expect(await postsBy(employee.id)).toEqual([]);
  });
});

describe("refusals", () => {
  it("refuses a form without a valid CSRF token", async () => {
    const author = await signIn();
    for (const token of [null, "vervalst-token"]) {
      const result = await settle(submit(author, { plainText: "Zonder token" }, { token }));
      expect(result.status).toBe(403);
    }
    const urlencoded = await settle(
      submit(author, { plainText: "Zonder token" }, { token: null, multipart: false }),
    );
    expect(urlencoded.status).toBe(403);
    expect(await postsBy(author.id)).toEqual([]);
  });

  it.each([
    ["empty text", { plainText: "   \n  " }, "empty"],
    ["an empty editor", { body: JSON.stringify({ root: { type: "root", children: [] } }) }, "empty"],
    ["too long text", { plainText: "x".repeat(5001) }, "tooLong"],
    [
      "a javascript: link",
      {
        body: lexical({
          type: "link",
          url: "javascript:alert(document.cookie)",
          children: [{ type: "text", text: "klik" }],
        }),
      },
      "badLink",
    ],
    ["both a body and plain text", { plainText: "a", body: lexical({ type: "text", text: "b" }) }, "invalid"],
  ])("answers 400 to %s, with a Dutch message key and nothing saved", async (_label, fields, key) => {
    const author = await signIn();
    const result = await settle(submit(author, fields));
    expect(result.status).toBe(400);
    expect((result.body as Refusal).fieldErrors.body).toMatchObject({ key });
    expect(await postsBy(author.id)).toEqual([]);
  });

  it("says when to try again after too many posts", async () => {
    const author = await signIn();
    for (let i = 0; i < RATE_LIMITS.streamPost.limit; i += 1)
      await consumeRateLimit(RATE_LIMITS.streamPost, author.id);
    const result = await settle(submit(author, { plainText: "Nog eentje" }));
    expect(result.status).toBe(429);
    const body = result.body as Refusal;
    expect(body.error?.key).toBe("rateLimited");
    expect(body.error?.params?.count).toBeGreaterThanOrEqual(1);
    expect(await postsBy(author.id)).toEqual([]);
  });

  it("refuses an unknown intent", async () => {
    const author = await signIn();
    const result = await settle(submit(author, { intent: "share", plainText: "x" }));
    expect(result.status).toBe(400);
    expect((result.body as Refusal).error).toEqual({ key: "unknownIntent" });
  });

  it("maps the server's English issues to message keys per field", () => {
    expect(
      composerFieldErrors([
        "the text is empty",
        "pinnedUntil: pinnedUntil must be in the future",
        "images.0.alt: an alt text has at most 300 characters (301)",
        "something nobody expected",
      ]),
    ).toEqual({
      body: { key: "empty" },
      pinnedUntil: { key: "pinnedPast" },
      imageAlt: { key: "imageAltTooLong" },
    });
  });
});

describe("the Nieuw bericht page", () => {
  it("offers communicators announcements with the departments to choose from", async () => {
    const communicator = await signIn({}, ["communicator"]);
    await buildDepartment({ name: "Departement Composer" });
    const result = await settle(
      loader({
        request: getRequest("/berichten?terug=%2Fgroepen", communicator),
        params: {},
        context: routeContext,
      }),
    );
    const body = result.body as {
      canAnnounce: boolean;
      returnTo: string;
      composerDepartments: { name: string }[];
    };
    expect(body.canAnnounce).toBe(true);
    expect(body.returnTo).toBe("/groepen");
    expect(body.composerDepartments.map((d) => d.name)).toContain("Departement Composer");
  });

  it("writes into a place the reader may see, and 404s for a secret one", async () => {
    const owner = await buildUser();
    const reader = await signIn();
    const open = await buildPlace({ ownerIds: [owner.id], visibility: "open", name: "Open Fietsgroep" });
    const secret = await buildPlace({ ownerIds: [owner.id], visibility: "secret" });
    const shown = await settle(
      loader({
        request: getRequest(`/berichten?plaats=${open.slug}`, reader),
        params: {},
        context: routeContext,
      }),
    );
    expect(shown.body).toMatchObject({
      place: { slug: open.slug, name: "Open Fietsgroep", canPost: false },
      canAnnounce: false,
      composerDepartments: [],
    });
    const hidden = await settle(
      loader({
        request: getRequest(`/berichten?plaats=${secret.slug}`, reader),
        params: {},
        context: routeContext,
      }),
    );
    expect(hidden.status).toBe(404);
  });
});

describe("editing a post", () => {
  function edit(who: Visitor, postId: string, fields: Fields, token: string | null = ROUTE_CSRF) {
    const form = new URLSearchParams();
    if (token) form.set("csrf", token);
    for (const [key, value] of Object.entries({ intent: "edit", ...fields }))
      for (const one of Array.isArray(value) ? value : [value]) form.append(key, one);
    return editAction({
      request: new Request(`http://localhost:3000/berichten/${postId}/bewerken`, {
        method: "POST",
        headers: { Cookie: who.cookie },
        body: form,
      }),
      params: { id: postId },
      context: routeContext,
    });
  }

  it("prefills the author's post, mentions as @handles for the textarea", async () => {
    const author = await signIn();
    const mentioned = await buildUser({ email: "mira.claes@stad.gent", displayName: "Mira Claes" });
    const created = await settle(
      submit(author, {
        body: lexical(
          { type: "text", text: "Met " },
          { type: "mention", userId: mentioned.id, text: "@Mira Claes" },
        ),
      }),
    );
    expect(created.status).toBe(303);
    const [post] = await postsBy(author.id);
    const result = await settle(
      editLoader({
        request: getRequest(`/berichten/${post!.id}/bewerken`, author),
        params: { id: post!.id },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      post: { id: post!.id, isAnnouncement: false, plainText: "Met @mira.claes" },
      returnTo: `/berichten/${post!.id}`,
    });
  });

  it("saves the author's edit, marked as edited, and returns to the post", async () => {
    const author = await signIn();
    const post = await buildPost({ authorId: author.id, text: "Eerste versie" });
    const result = await settle(edit(author, post.id, { plainText: "Tweede versie", returnTo: "/" }));
    expect(result.status).toBe(303);
    expect(result.response?.headers.get("Location")).toBe(`/#bericht-${post.id}`);
    const saved = await prisma.post.findUniqueOrThrow({ where: { id: post.id } });
    expect(saved.text).toBe("Tweede versie");
    expect(saved.editedAt).not.toBeNull();
  });

  it("answers 404 to anyone but the author, on the page and for the action", async () => {
    const author = await buildUser();
    const other = await signIn();
    const post = await buildPost({ authorId: author.id, text: "Van iemand anders" });
    const page = await settle(
      editLoader({
        request: getRequest(`/berichten/${post.id}/bewerken`, other),
        params: { id: post.id },
        context: routeContext,
      }),
    );
    expect(page.status).toBe(404);
    const saved = await settle(edit(other, post.id, { plainText: "Gekaapt" }));
    expect(saved.status).toBe(404);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: post.id } })).text).toBe("Van iemand anders");
  });

  it("keeps the edit form filled when the new text is refused", async () => {
    const author = await signIn();
    const post = await buildPost({ authorId: author.id, text: "Kort" });
    const result = await settle(edit(author, post.id, { plainText: "y".repeat(5001) }));
    expect(result.status).toBe(400);
    expect((result.body as Refusal).fieldErrors.body).toMatchObject({ key: "tooLong" });
    const missingToken = await settle(edit(author, post.id, { plainText: "Zonder token" }, null));
    expect(missingToken.status).toBe(403);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: post.id } })).text).toBe("Kort");
  });
});
