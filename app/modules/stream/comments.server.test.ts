import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { consumeRateLimit, RATE_LIMITS } from "~/utils/rate-limit.server";
import { buildPlace, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { addComment, deleteComment, editComment, listComments } from "./comments.server";
import { type StreamErrorCode } from "./errors";
import { hideComment } from "./moderation.server";
import { createPost, getPostView } from "./posts.server";

setupTestDatabase();

type User = Awaited<ReturnType<typeof buildUser>>;
const asReader = (user: User, roles: Reader["roles"] = ["employee"]): Reader => ({
  id: user.id,
  roles,
  isFieldWorker: false,
  department: null,
});

async function rejects(promise: Promise<unknown>, code: StreamErrorCode) {
  await expect(promise).rejects.toMatchObject({ name: "StreamError", code });
}

const notifications = (userId: string, type: string) =>
  prisma.notification.findMany({ where: { userId, type } });

let author: Reader;
let commenter: Reader;
let replier: Reader;
let outsider: Reader;
let moderator: Reader;
let secretPlace: Awaited<ReturnType<typeof buildPlace>>;

beforeAll(async () => {
  author = asReader(await buildUser({ displayName: "Auteur", email: "auteur@stad.gent" }));
  commenter = asReader(await buildUser({ displayName: "Commentator", email: "commentator@stad.gent" }));
  replier = asReader(await buildUser({ displayName: "Antwoorder" }));
  outsider = asReader(await buildUser({ displayName: "Buitenstaander", email: "buiten@stad.gent" }));
  moderator = asReader(await buildUser({}, ["communicator"]), ["employee", "communicator"]);
  secretPlace = await buildPlace({
    ownerIds: [author.id],
    memberIds: [commenter.id, replier.id],
    visibility: "secret",
    name: "Geheime werkgroep",
  });
});

describe("addComment", () => {
  it("comments and replies one level deep, counted on the post, notifying author and answered person", async () => {
    const post = await createPost(author, { placeId: secretPlace.id, plainText: "Wat denken jullie?" });
    const first = await addComment(commenter, post.id, { plainText: "Goed idee" });
    const reply = await addComment(replier, post.id, { parentId: first.id, plainText: "Akkoord" });
    // Answering a reply joins the thread of its top-level comment.
    const replyToReply = await addComment(author, post.id, { parentId: reply.id, plainText: "Dank je" });
    const rows = await prisma.comment.findMany({ where: { postId: post.id }, orderBy: { createdAt: "asc" } });
    expect(rows.map((row) => row.parentId)).toEqual([null, first.id, first.id]);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: post.id } })).commentCount).toBe(3);

    const toAuthor = await notifications(author.id, "post.commented");
    expect(toAuthor).toHaveLength(2);
    expect(toAuthor[0]).toMatchObject({
      url: `/berichten/${post.id}#reactie-${first.id}`,
      data: { actorName: "Commentator", placeName: "Geheime werkgroep" },
    });
    expect(await notifications(commenter.id, "comment.replied")).toHaveLength(1);
    // The author answered the replier's reply: the replier hears it as a reply, the author not about themselves.
    expect(await notifications(replier.id, "comment.replied")).toHaveLength(1);
    expect((await notifications(replier.id, "comment.replied"))[0]!.url).toContain(replyToReply.id);

    const { threads } = await listComments(commenter, post.id);
    expect(threads).toHaveLength(1);
    expect(threads[0]!.replies.map((r) => r.html)).toEqual(["<p>Akkoord</p>", "<p>Dank je</p>"]);
    expect(threads[0]!.can).toMatchObject({ reply: true, edit: true, report: false });
    expect(threads[0]!.replies[0]!.can.reply).toBe(false);
  });

  it("a reply to the post's author's own comment notifies them once, as a reply", async () => {
    const post = await createPost(author, { plainText: "Vraag" });
    const own = await addComment(author, post.id, { plainText: "Aanvulling" });
    await addComment(commenter, post.id, { parentId: own.id, plainText: "Antwoord" });
    const toAuthor = await prisma.notification.findMany({
      where: { userId: author.id, url: { startsWith: `/berichten/${post.id}` } },
    });
    expect(toAuthor.map((n) => n.type)).toEqual(["comment.replied"]);
  });

  it("notifies mentioned people who can see the post, once, and reports the others back", async () => {
    const post = await createPost(author, { placeId: secretPlace.id, plainText: "Overleg" });
    const comment = await addComment(commenter, post.id, {
      plainText: "Wat vindt @auteur ervan? En @buiten?",
    });
    // The author gets post.commented, not also comment.mentioned.
    expect(
      await prisma.notification.count({ where: { userId: author.id, url: { contains: comment.id } } }),
    ).toBe(1);
    expect(comment.unnotifiedMentions).toEqual([{ id: outsider.id, displayName: "Buitenstaander" }]);
    expect(await prisma.notification.count({ where: { userId: outsider.id } })).toBe(0);
  });

  it("refuses bad input, replies across posts, and saves nothing", async () => {
    const post = await createPost(author, { plainText: "Iets" });
    const other = await createPost(author, { plainText: "Iets anders" });
    const elsewhere = await addComment(commenter, other.id, { plainText: "Elders" });
    const cases: [unknown, StreamErrorCode][] = [
      [null, "invalid_input"],
      [{}, "invalid_input"],
      [{ plainText: "" }, "invalid_input"],
      [{ plainText: "x".repeat(2001) }, "invalid_input"],
      [{ body: { root: { type: "root", children: [{ type: "quote", children: [] }] } } }, "invalid_input"],
      [{ plainText: "x", parentId: 5 }, "invalid_input"],
      [{ plainText: "x", parentId: "bestaat-niet" }, "not_found"],
      [{ plainText: "x", parentId: elsewhere.id }, "not_found"],
    ];
    for (const [input, code] of cases) await rejects(addComment(replier, post.id, input), code);
    expect(await prisma.comment.count({ where: { postId: post.id } })).toBe(0);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: post.id } })).commentCount).toBe(0);
  });

  it("refuses comments in archived places and on invisible posts", async () => {
    const archived = await buildPlace({ ownerIds: [author.id], visibility: "open" });
    const post = await createPost(author, { placeId: archived.id, plainText: "Oud" });
    await prisma.place.update({ where: { id: archived.id }, data: { archivedAt: new Date() } });
    await rejects(addComment(commenter, post.id, { plainText: "Te laat" }), "invalid_state");
    const secret = await createPost(author, { placeId: secretPlace.id, plainText: "Geheim" });
    await rejects(addComment(outsider, secret.id, { plainText: "Ik ook" }), "not_found");
    await rejects(listComments(outsider, secret.id), "not_found");
  });

  it("is rate limited per person", async () => {
    const post = await createPost(author, { plainText: "Druk gesprek" });
    const chatty = asReader(await buildUser());
    // Fill the window directly: 120 real comments would only slow the suite down.
    for (let n = 0; n < RATE_LIMITS.streamComment.limit; n += 1)
      await consumeRateLimit(RATE_LIMITS.streamComment, chatty.id);
    await rejects(addComment(chatty, post.id, { plainText: "Nog één" }), "rate_limited");
    expect(await prisma.comment.count({ where: { authorId: chatty.id } })).toBe(0);
  });
});

describe("editComment and deleteComment", () => {
  it("only the author edits (marked edited) and deletes; deleted comments keep their replies as placeholders", async () => {
    const post = await createPost(author, { plainText: "Onderwerp" });
    const comment = await addComment(commenter, post.id, { plainText: "Eerste versie" });
    await addComment(replier, post.id, { parentId: comment.id, plainText: "Antwoord" });
    await rejects(editComment(replier, comment.id, { plainText: "Gekaapt" }), "forbidden");
    await rejects(editComment(commenter, comment.id, { plainText: "" }), "invalid_input");
    await editComment(commenter, comment.id, { plainText: "Tweede versie" });
    let [thread] = (await listComments(replier, post.id)).threads;
    expect(thread).toMatchObject({ html: "<p>Tweede versie</p>", state: "visible" });
    expect(thread!.editedAt).not.toBeNull();

    await rejects(deleteComment(replier, comment.id), "forbidden");
    await deleteComment(commenter, comment.id);
    [thread] = (await listComments(replier, post.id)).threads;
    expect(thread).toMatchObject({ state: "deleted", html: "", author: null });
    expect(thread!.replies.map((r) => r.html)).toEqual(["<p>Antwoord</p>"]);
    expect((await prisma.post.findUniqueOrThrow({ where: { id: post.id } })).commentCount).toBe(1);
    await rejects(deleteComment(commenter, comment.id), "not_found");
    await rejects(editComment(commenter, comment.id, { plainText: "Terug" }), "not_found");
  });

  it("drops deleted comments without replies, and shows hidden ones only to author and moderators", async () => {
    const post = await createPost(author, { plainText: "Nog een onderwerp" });
    const gone = await addComment(commenter, post.id, { plainText: "Weg" });
    await deleteComment(commenter, gone.id);
    const rude = await addComment(commenter, post.id, { plainText: "Onbeleefd" });
    await hideComment(moderator, rude.id, "Niet respectvol");
    expect((await listComments(replier, post.id)).threads).toEqual([]);
    const [forAuthor] = (await listComments(commenter, post.id)).threads;
    expect(forAuthor).toMatchObject({
      state: "hidden",
      hiddenReason: "Niet respectvol",
      html: "<p>Onbeleefd</p>",
    });
    const [forModerator] = (await listComments(moderator, post.id)).threads;
    expect(forModerator).toMatchObject({ state: "hidden", html: "<p>Onbeleefd</p>" });
    expect((await prisma.post.findUniqueOrThrow({ where: { id: post.id } })).commentCount).toBe(0);
    await rejects(addComment(replier, post.id, { parentId: rude.id, plainText: "Re" }), "not_found");
  });
});

describe("listComments pagination", () => {
  it("pages with an opaque cursor that stays stable while comments arrive, and refuses crafted cursors", async () => {
    const post = await createPost(author, { plainText: "Veel reacties" });
    for (let n = 1; n <= 5; n += 1) await addComment(commenter, post.id, { plainText: `Reactie ${n}` });
    const first = await listComments(replier, post.id, { limit: 2 });
    expect(first.threads.map((t) => t.html)).toEqual(["<p>Reactie 1</p>", "<p>Reactie 2</p>"]);
    await addComment(commenter, post.id, { plainText: "Reactie 6" });
    const second = await listComments(replier, post.id, { limit: 2, cursor: first.nextCursor });
    expect(second.threads.map((t) => t.html)).toEqual(["<p>Reactie 3</p>", "<p>Reactie 4</p>"]);
    const third = await listComments(replier, post.id, { limit: 10, cursor: second.nextCursor });
    expect(third.threads.map((t) => t.html)).toEqual(["<p>Reactie 5</p>", "<p>Reactie 6</p>"]);
    expect(third.nextCursor).toBeNull();
    for (const cursor of ["kapot", Buffer.from('["gisteren","x"]').toString("base64url")]) {
      await rejects(listComments(replier, post.id, { cursor }), "invalid_input");
    }
    const view = await getPostView(replier, post.id, { commentLimit: 4 });
    expect(view.comments).toHaveLength(4);
    expect(view.moreCommentsCursor).not.toBeNull();
  });
});
