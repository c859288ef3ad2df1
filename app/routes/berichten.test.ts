/**
 * The post page's loader and action against a real database: 404 for what the reader may not see (a
 * secret group's post, a deleted one), every intent's happy path and redirect, and the refusals: missing
 * CSRF, unknown reaction, empty comment, comment on a hidden post, non-moderators hiding, sharing into a
 * place one cannot post in, and return paths to other sites.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type PostActionResult } from "~/components/stream/types";
import { prisma } from "~/db.server";
import { buildPlace, buildPost } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import {
  getRequest,
  ROUTE_CSRF,
  routeContext,
  settle,
  signIn,
  type Visitor,
} from "../../tests/support/routes";
import { action, loader } from "./berichten.$id";

setupTestDatabase();

function view(who: Visitor | null, postId: string, search = "") {
  return settle(
    loader({
      request: getRequest(`/berichten/${postId}${search}`, who),
      params: { id: postId },
      context: routeContext,
    }),
  );
}

function submit(
  who: Visitor,
  postId: string,
  fields: Record<string, string>,
  token: string | null = ROUTE_CSRF,
) {
  const form = new FormData();
  if (token) form.set("csrf", token);
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  return settle(
    action({
      request: new Request(`http://localhost:3000/berichten/${postId}`, {
        method: "POST",
        headers: { Cookie: who.cookie },
        body: form,
      }),
      params: { id: postId },
      context: routeContext,
    }),
  );
}

const failureOf = (body: unknown) => body as Extract<PostActionResult, { ok: false }>;

let author: Visitor;
let reader: Visitor;
let moderator: Visitor;
let openPost: string;
let secretPost: string;
let deletedPost: string;
let hiddenPost: string;
let memberGroup: { id: string; slug: string };
let closedGroup: { slug: string };
let secretGroup: { slug: string };

beforeAll(async () => {
  author = await signIn();
  reader = await signIn();
  moderator = await signIn({}, ["communicator"]);
  const secret = await buildPlace({ ownerIds: [author.id], visibility: "secret" });
  secretGroup = secret;
  memberGroup = await buildPlace({ ownerIds: [author.id], memberIds: [reader.id], visibility: "open" });
  closedGroup = await buildPlace({ ownerIds: [author.id], visibility: "closed" });
  openPost = (
    await buildPost({
      authorId: author.id,
      text: "Open bericht over #mobiliteit",
      topicSlugs: ["mobiliteit"],
    })
  ).id;
  secretPost = (await buildPost({ authorId: author.id, placeId: secret.id, text: "Geheim bericht" })).id;
  deletedPost = (await buildPost({ authorId: author.id, deletedAt: new Date() })).id;
  hiddenPost = (
    await buildPost({ authorId: author.id, hiddenAt: new Date(), hiddenReason: "Persoonsgegevens zichtbaar" })
  ).id;
});

describe("GET /berichten/<id>", () => {
  it("shows a visible post with its flags, comments and share targets", async () => {
    const result = await view(reader, openPost);
    expect(result.status).toBe(200);
    const body = result.body as {
      post: { id: string; can: { react: boolean; edit: boolean; share: boolean; report: boolean } };
      comments: { threads: unknown[] };
      shareTargets: { slug: string }[];
    };
    expect(body.post.id).toBe(openPost);
    expect(body.post.can).toMatchObject({ react: true, edit: false, share: true, report: true });
    expect(body.shareTargets.map((place) => place.slug)).toContain(memberGroup.slug);
    expect(body.shareTargets.map((place) => place.slug)).not.toContain(closedGroup.slug);
  });

  it("answers 404 for a secret group's post, a deleted post and an unknown id", async () => {
    expect((await view(reader, secretPost)).status).toBe(404);
    expect((await view(author, deletedPost)).status).toBe(404);
    expect((await view(reader, "bestaat-niet")).status).toBe(404);
    // The member of the secret group does see it.
    expect((await view(author, secretPost)).status).toBe(200);
  });

  it("shows a hidden post only to its author and moderators", async () => {
    expect((await view(reader, hiddenPost)).status).toBe(404);
    expect((await view(author, hiddenPost)).status).toBe(200);
    expect((await view(moderator, hiddenPost)).status).toBe(200);
  });

  it("sends visitors without a session to the login page", async () => {
    const result = await view(null, openPost);
    expect(result.status).toBe(302);
    expect(result.location).toContain("/inloggen");
  });

  it("refuses a damaged comments cursor with 400", async () => {
    expect((await view(reader, openPost, "?reacties=kapot")).status).toBe(400);
  });
});

describe("POST /berichten/<id>", () => {
  it("refuses a form without the CSRF token (403) and saves nothing", async () => {
    const result = await submit(reader, openPost, { intent: "react", type: "like" }, null);
    expect(result.status).toBe(403);
    expect(await prisma.reaction.count({ where: { postId: openPost } })).toBe(0);
  });

  it("reacts and takes the reaction back, redirecting to the post's card", async () => {
    const reacted = await submit(reader, openPost, { intent: "react", type: "celebrate", returnTo: "/" });
    expect(reacted.status).toBe(303);
    expect(reacted.location).toBe(`/#bericht-${openPost}`);
    expect(await prisma.reaction.findFirst({ where: { postId: openPost, userId: reader.id } })).toMatchObject(
      {
        type: "celebrate",
      },
    );
    const undone = await submit(reader, openPost, { intent: "unreact" });
    expect(undone.status).toBe(303);
    expect(undone.location).toBe(`/berichten/${openPost}#bericht-${openPost}`);
    expect(await prisma.reaction.count({ where: { postId: openPost, userId: reader.id } })).toBe(0);
  });

  it("answers the enhanced reactions bar with the new counts instead of a redirect", async () => {
    const result = await submit(reader, openPost, { intent: "react", type: "thanks", via: "fetcher" });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      ok: true,
      intent: "react",
      reactions: { total: 1, myReaction: "thanks", byType: { thanks: 1 } },
    });
    await submit(reader, openPost, { intent: "unreact", via: "fetcher" });
  });

  it("refuses an unknown reaction type with 400", async () => {
    const result = await submit(reader, openPost, { intent: "react", type: "angry" });
    expect(result.status).toBe(400);
    expect(failureOf(result.body)).toMatchObject({
      intent: "react",
      error: "stream.reactions.errors.unknownType",
    });
  });

  it("refuses an unknown intent with 400", async () => {
    const result = await submit(reader, openPost, { intent: "explode" });
    expect(result.status).toBe(400);
    expect(failureOf(result.body).intent).toBeNull();
  });

  it("comments and replies (one level), landing on the new comment", async () => {
    const first = await submit(reader, openPost, { intent: "comment", plainText: "Goed idee!" });
    expect(first.status).toBe(303);
    const comment = await prisma.comment.findFirstOrThrow({
      where: { postId: openPost, authorId: reader.id },
      orderBy: { createdAt: "desc" },
    });
    expect(first.location).toBe(`/berichten/${openPost}#reactie-${comment.id}`);
    const reply = await submit(author, openPost, {
      intent: "comment",
      plainText: "Dank je",
      parentId: comment.id,
    });
    expect(reply.status).toBe(303);
    const written = await prisma.comment.findFirstOrThrow({
      where: { postId: openPost, authorId: author.id },
    });
    expect(written.parentId).toBe(comment.id);

    const page = await view(reader, openPost);
    const threads = (page.body as { comments: { threads: { id: string; replies: { id: string }[] }[] } })
      .comments.threads;
    expect(threads.find((thread) => thread.id === comment.id)?.replies.map((r) => r.id)).toEqual([
      written.id,
    ]);
    expect((page.body as { ownTexts: Record<string, string> }).ownTexts[comment.id]).toBe("Goed idee!");
  });

  it("refuses an empty comment with a message on the field and keeps nothing", async () => {
    const before = await prisma.comment.count({ where: { postId: openPost } });
    const result = await submit(reader, openPost, { intent: "comment", plainText: "   " });
    expect(result.status).toBe(400);
    expect(failureOf(result.body)).toMatchObject({
      intent: "comment",
      target: null,
      fieldErrors: { plainText: "stream.comments.errors.empty" },
    });
    expect(await prisma.comment.count({ where: { postId: openPost } })).toBe(before);
  });

  it("refuses a comment on a hidden post (409 for its author, 404 for others)", async () => {
    const own = await submit(author, hiddenPost, { intent: "comment", plainText: "Waarom?" });
    expect(own.status).toBe(409);
    expect(failureOf(own.body).error).toBe("stream.errors.notInteractive");
    expect((await submit(reader, hiddenPost, { intent: "comment", plainText: "Hallo" })).status).toBe(404);
  });

  it("refuses every action on a secret group's post with 404", async () => {
    expect((await submit(reader, secretPost, { intent: "react", type: "like" })).status).toBe(404);
    expect((await submit(reader, secretPost, { intent: "comment", plainText: "Hallo" })).status).toBe(404);
  });

  it("edits and deletes one's own comment, but not someone else's", async () => {
    await submit(reader, openPost, { intent: "comment", plainText: "Eerste versie" });
    const comment = await prisma.comment.findFirstOrThrow({
      where: { postId: openPost, authorId: reader.id, text: "Eerste versie" },
    });
    const edited = await submit(reader, openPost, {
      intent: "editComment",
      commentId: comment.id,
      plainText: "Tweede versie",
    });
    expect(edited.status).toBe(303);
    expect(edited.location).toBe(`/berichten/${openPost}#reactie-${comment.id}`);
    expect(await prisma.comment.findUniqueOrThrow({ where: { id: comment.id } })).toMatchObject({
      text: "Tweede versie",
    });

    const foreign = await submit(author, openPost, { intent: "deleteComment", commentId: comment.id });
    expect(foreign.status).toBe(403);

    const deleted = await submit(reader, openPost, { intent: "deleteComment", commentId: comment.id });
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe(`/berichten/${openPost}#reacties`);
    expect((await prisma.comment.findUniqueOrThrow({ where: { id: comment.id } })).deletedAt).not.toBeNull();
  });

  it("reports a post once, thanks the reader, and refuses a second report and one's own post", async () => {
    const reported = await submit(reader, openPost, { intent: "report", reason: "Dit klopt niet" });
    expect(reported.status).toBe(303);
    expect(reported.location).toBe(`/berichten/${openPost}?gemeld=1#bericht-${openPost}`);
    expect(await prisma.postReport.count({ where: { postId: openPost, reporterId: reader.id } })).toBe(1);

    const again = await submit(reader, openPost, { intent: "report", reason: "Nog steeds fout" });
    expect(again.status).toBe(409);
    expect(failureOf(again.body).fieldErrors.reason).toBe("stream.report.errors.already");

    const own = await submit(author, openPost, { intent: "report", reason: "Mijn eigen bericht" });
    expect(own.status).toBe(403);

    const tooShort = await submit(moderator, openPost, { intent: "report", reason: "kort" });
    expect(tooShort.status).toBe(400);
    expect(failureOf(tooShort.body).fieldErrors.reason).toBe("stream.errors.reasonTooShort");
  });

  it("shares into a group the reader belongs to and opens the new post", async () => {
    const result = await submit(reader, openPost, {
      intent: "share",
      placeSlug: memberGroup.slug,
      plainText: "Interessant voor jullie",
    });
    expect(result.status).toBe(303);
    const share = await prisma.post.findFirstOrThrow({
      where: { sharedPostId: openPost, authorId: reader.id },
    });
    expect(share.placeId).toBe(memberGroup.id);
    expect(result.location).toBe(`/berichten/${share.id}#bericht-${share.id}`);
  });

  it("refuses sharing into a place the reader cannot post in, without revealing secret ones", async () => {
    const closed = await submit(reader, openPost, { intent: "share", placeSlug: closedGroup.slug });
    expect(closed.status).toBe(403);
    expect(failureOf(closed.body).fieldErrors.placeSlug).toBe("stream.share.errors.place");

    const secret = await submit(reader, openPost, { intent: "share", placeSlug: secretGroup.slug });
    expect(secret.status).toBe(404);
    expect(failureOf(secret.body).error).toBe("stream.share.errors.place");
    expect(
      await prisma.post.count({ where: { sharedPostId: openPost, placeId: { not: memberGroup.id } } }),
    ).toBe(0);
  });

  it("lets only moderators hide and restore a post, with a reason", async () => {
    const target = (await buildPost({ authorId: author.id, text: "Te verbergen" })).id;
    const byReader = await submit(reader, target, { intent: "hide", reason: "Ik vind dit niets" });
    expect(byReader.status).toBe(403);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: target } })).hiddenAt).toBeNull();

    const noReason = await submit(moderator, target, { intent: "hide", reason: "" });
    expect(noReason.status).toBe(400);

    const hidden = await submit(moderator, target, {
      intent: "hide",
      reason: "Bevat een telefoonnummer",
      returnTo: `/berichten/${target}?modereren=1`,
    });
    expect(hidden.status).toBe(303);
    expect(hidden.location).toBe(`/berichten/${target}#bericht-${target}`);
    expect(await prisma.post.findUniqueOrThrow({ where: { id: target } })).toMatchObject({
      hiddenReason: "Bevat een telefoonnummer",
    });

    const restored = await submit(moderator, target, { intent: "restore", reason: "Nummer was publiek" });
    expect(restored.status).toBe(303);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: target } })).hiddenAt).toBeNull();
  });

  it("lets moderators hide and restore a comment; others get 403", async () => {
    await submit(reader, openPost, { intent: "comment", plainText: "Ongepaste opmerking" });
    const comment = await prisma.comment.findFirstOrThrow({ where: { text: "Ongepaste opmerking" } });
    const byAuthor = await submit(author, openPost, {
      intent: "hideComment",
      commentId: comment.id,
      reason: "Weg ermee alstublieft",
    });
    expect(byAuthor.status).toBe(403);
    const hidden = await submit(moderator, openPost, {
      intent: "hideComment",
      commentId: comment.id,
      reason: "Niet respectvol",
    });
    expect(hidden.status).toBe(303);
    expect(hidden.location).toBe(`/berichten/${openPost}#reactie-${comment.id}`);
    expect((await prisma.comment.findUniqueOrThrow({ where: { id: comment.id } })).hiddenAt).not.toBeNull();
    const restored = await submit(moderator, openPost, {
      intent: "restoreComment",
      commentId: comment.id,
      reason: "Toch in orde",
    });
    expect(restored.status).toBe(303);
    expect((await prisma.comment.findUniqueOrThrow({ where: { id: comment.id } })).hiddenAt).toBeNull();
  });

  it("never redirects to another site, whatever returnTo says", async () => {
    for (const returnTo of [
      "//evil.example/",
      "https://evil.example/",
      "/\\evil.example",
      "javascript:alert(1)",
    ]) {
      const result = await submit(reader, openPost, { intent: "react", type: "like", returnTo });
      expect(result.status).toBe(303);
      expect(result.location).toBe(`/berichten/${openPost}#bericht-${openPost}`);
    }
    await submit(reader, openPost, { intent: "unreact" });
  });

  it("deletes one's own post (others get 403) and goes home instead of to the gone page", async () => {
    const target = (await buildPost({ authorId: author.id, text: "Weg ermee" })).id;
    expect((await submit(reader, target, { intent: "deletePost" })).status).toBe(403);
    const result = await submit(author, target, { intent: "deletePost", returnTo: `/berichten/${target}` });
    expect(result.status).toBe(303);
    expect(result.location).toBe("/");
    expect((await prisma.post.findUniqueOrThrow({ where: { id: target } })).deletedAt).not.toBeNull();
    expect((await view(author, target)).status).toBe(404);
  });
});
