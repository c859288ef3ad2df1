import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { buildDepartment, buildPlace, buildPublishedCircular, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { addComment, listComments } from "./comments.server";
import { type StreamErrorCode } from "./errors";
import { hidePost } from "./moderation.server";
import {
  createAnnouncement,
  createPost,
  deletePost,
  editPost,
  endOfBrusselsDay,
  getPostView,
  sharePost,
} from "./posts.server";
import { setReaction } from "./reactions.server";

setupTestDatabase();

type User = Awaited<ReturnType<typeof buildUser>>;
const asReader = (user: User, roles: Reader["roles"] = ["employee"]): Reader => ({
  id: user.id,
  roles,
  isFieldWorker: user.isFieldWorker,
  department: user.departmentId ? { id: user.departmentId, parentId: null } : null,
});

const paragraphs = (...texts: string[]) => ({
  root: {
    type: "root",
    children: texts.map((text) => ({ type: "paragraph", children: [{ type: "text", text }] })),
  },
});

async function rejects(promise: Promise<unknown>, code: StreamErrorCode) {
  await expect(promise).rejects.toMatchObject({ name: "StreamError", code });
}

let deptA: string;
let deptB: string;
let authorUser: User;
let author: Reader;
let member: Reader;
let outsider: Reader;
let colleagueA: Reader;
let moderator: Reader;
let openPlace: Awaited<ReturnType<typeof buildPlace>>;
let closedPlace: Awaited<ReturnType<typeof buildPlace>>;
let secretPlace: Awaited<ReturnType<typeof buildPlace>>;

beforeAll(async () => {
  deptA = (await buildDepartment()).id;
  deptB = (await buildDepartment()).id;
  authorUser = await buildUser({
    departmentId: deptA,
    displayName: "Auteur Een",
    email: "auteur.een@stad.gent",
  });
  author = asReader(authorUser);
  member = asReader(
    await buildUser({ departmentId: deptB, displayName: "Lid Twee", email: "lid.twee@stad.gent" }),
  );
  outsider = asReader(await buildUser({ departmentId: deptB, displayName: "Buiten Staander" }));
  colleagueA = asReader(await buildUser({ departmentId: deptA, displayName: "Collega A" }));
  const moderatorUser = await buildUser({ displayName: "Moderator Vier" }, ["communicator"]);
  moderator = asReader(moderatorUser, ["employee", "communicator"]);
  openPlace = await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "open" });
  closedPlace = await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "closed" });
  secretPlace = await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "secret" });
});

describe("visibility matrix: getPostView, comments and reactions", () => {
  type Who = "author" | "member" | "outsider" | "colleagueA" | "moderator";
  const readers = (): Record<Who, Reader> => ({ author, member, outsider, colleagueA, moderator });
  const posts: Record<string, string> = {};
  // Who sees each post; hidden posts only author and moderator, deleted ones nobody.
  const expected: Record<string, Who[]> = {
    profile: ["author", "member", "outsider", "colleagueA", "moderator"],
    open: ["author", "member", "outsider", "colleagueA", "moderator"],
    closed: ["author", "member"],
    secret: ["author", "member"],
    announcementAll: ["author", "member", "outsider", "colleagueA", "moderator"],
    // The communicator wrote it for department A and still sees it (their own key).
    announcementDeptA: ["author", "colleagueA", "moderator"],
    hidden: ["author", "moderator"],
    hiddenSecret: ["author", "moderator"],
    deleted: [],
  };

  beforeAll(async () => {
    posts.profile = (await createPost(author, { plainText: "Op mijn profiel" })).id;
    posts.open = (await createPost(author, { placeId: openPlace.id, plainText: "Open groep" })).id;
    posts.closed = (await createPost(author, { placeId: closedPlace.id, plainText: "Gesloten groep" })).id;
    posts.secret = (await createPost(author, { placeId: secretPlace.id, plainText: "Geheime groep" })).id;
    posts.announcementAll = (
      await createAnnouncement(moderator, { plainText: "Voor iedereen", audience: ["all"] })
    ).id;
    posts.announcementDeptA = (
      await createAnnouncement(moderator, { plainText: "Voor dienst A", audience: [`department:${deptA}`] })
    ).id;
    posts.hidden = (await createPost(author, { plainText: "Wordt verborgen" })).id;
    await hidePost(moderator, posts.hidden, "Persoonsgegevens van een burger");
    posts.hiddenSecret = (
      await createPost(author, { placeId: secretPlace.id, plainText: "Geheim en verborgen" })
    ).id;
    await hidePost(moderator, posts.hiddenSecret, "Niet voor het intranet");
    posts.deleted = (await createPost(author, { plainText: "Wordt gewist" })).id;
    await deletePost(author, posts.deleted);
  });

  it("getPostView answers exactly the readers who may see each post, not_found for the rest", async () => {
    for (const [name, postId] of Object.entries(posts)) {
      for (const [who, reader] of Object.entries(readers()) as [Who, Reader][]) {
        const allowed = expected[name]!.includes(who);
        const result = getPostView(reader, postId);
        if (allowed) await expect(result, `${who} → ${name}`).resolves.toMatchObject({ id: postId });
        else await rejects(result, "not_found");
      }
    }
  });

  it("comments follow the same rule; hidden posts take no new comments", async () => {
    for (const [name, postId] of Object.entries(posts)) {
      for (const [who, reader] of Object.entries(readers()) as [Who, Reader][]) {
        const allowed = expected[name]!.includes(who);
        const hidden = name.startsWith("hidden");
        if (allowed) await expect(listComments(reader, postId)).resolves.toHaveProperty("threads");
        else await rejects(listComments(reader, postId), "not_found");
        const adding = addComment(reader, postId, { plainText: `Reactie van ${who}` });
        if (!allowed) await rejects(adding, "not_found");
        else if (hidden) await rejects(adding, "invalid_state");
        else await expect(adding).resolves.toMatchObject({ postId });
      }
    }
    // Every reader who may see the secret post commented once, and sees all of those comments.
    const { threads } = await listComments(member, posts.secret!);
    expect(threads.map((thread) => thread.html)).toEqual([
      "<p>Reactie van author</p>",
      "<p>Reactie van member</p>",
    ]);
    const row = await prisma.post.findUniqueOrThrow({ where: { id: posts.secret! } });
    expect(row.commentCount).toBe(2);
  });

  it("reactions follow the same rule; hidden posts take no reactions", async () => {
    for (const [name, postId] of Object.entries(posts)) {
      for (const [who, reader] of Object.entries(readers()) as [Who, Reader][]) {
        const allowed = expected[name]!.includes(who);
        const reacting = setReaction(reader, postId, "like");
        if (!allowed) await rejects(reacting, "not_found");
        else if (name.startsWith("hidden")) await rejects(reacting, "invalid_state");
        else await expect(reacting).resolves.toMatchObject({ myReaction: "like" });
      }
    }
    const view = await getPostView(member, posts.secret!);
    expect(view.counts.reactions).toBe(2);
    expect(view.counts.byType.like).toBe(2);
    expect(view.myReaction).toBe("like");
  });

  it("shows the author the moderator's reason on a hidden post, and nothing to others", async () => {
    const view = await getPostView(author, posts.hidden!);
    expect(view.hidden).toMatchObject({ reason: "Persoonsgegevens van een burger" });
    expect(view.can).toMatchObject({ comment: false, react: false, edit: true, delete: true });
  });

  it("shows an announcement's audience only to its author and communicators", async () => {
    const forAuthor = await getPostView(moderator, posts.announcementDeptA!);
    expect(forAuthor.audience).toEqual([`department:${deptA}`]);
    const forColleague = await getPostView(colleagueA, posts.announcementDeptA!);
    expect(forColleague.audience).toBeNull();
  });

  it("answers not_found for ids that are not ids", async () => {
    for (const id of ["", "x".repeat(65), 42, null, undefined, { id: posts.profile }]) {
      await rejects(getPostView(author, id), "not_found");
    }
  });
});

describe("createPost", () => {
  it("posts on the profile and in a place, with safe HTML, topics and the place", async () => {
    const { id } = await createPost(member, {
      placeId: openPlace.id,
      body: paragraphs("Wie fietst mee naar de #GentseFeesten? <script>alert(1)</script> #fiets"),
    });
    const view = await getPostView(outsider, id);
    expect(view.place).toMatchObject({ id: openPlace.id, slug: openPlace.slug });
    expect(view.html).toContain('<a class="hashtag" href="/onderwerpen/gentsefeesten">#GentseFeesten</a>');
    expect(view.html).toContain("&lt;script&gt;");
    expect(view.html).not.toContain("<script>");
    expect(view.topics.map((t) => t.slug)).toEqual(["fiets", "gentsefeesten"]);
    const topics = await prisma.topic.findMany({ where: { slug: { in: ["gentsefeesten", "fiets"] } } });
    expect(topics.find((t) => t.slug === "gentsefeesten")?.name).toBe("GentseFeesten");
    const rows = await prisma.postTopic.findMany({ where: { postId: id } });
    const post = await prisma.post.findUniqueOrThrow({ where: { id } });
    expect(rows.every((row) => row.createdAt.getTime() === post.createdAt.getTime())).toBe(true);
    expect(post.audience).toEqual(["all"]);
    // The second use of a topic reuses the row.
    await createPost(member, { plainText: "Nog eens #fiets" });
    expect(await prisma.topic.count({ where: { slug: "fiets" } })).toBe(1);
  });

  it("gives closed and secret place posts the place's key as audience", async () => {
    const { id } = await createPost(member, { placeId: closedPlace.id, plainText: "Alleen leden" });
    expect((await prisma.post.findUniqueOrThrow({ where: { id } })).audience).toEqual([
      `place:${closedPlace.id}`,
    ]);
  });

  it("refuses bad input and saves nothing", async () => {
    const user = await buildUser({ departmentId: deptB });
    const reader = asReader(user);
    const archived = await buildPlace({ ownerIds: [user.id], archivedAt: new Date() });
    const cases: [unknown, StreamErrorCode][] = [
      [null, "invalid_input"],
      ["tekst", "invalid_input"],
      [{}, "invalid_input"],
      [{ plainText: "" }, "invalid_input"],
      [{ plainText: "   " }, "invalid_input"],
      [{ plainText: "x".repeat(5001) }, "invalid_input"],
      [{ plainText: "a", body: paragraphs("b") }, "invalid_input"],
      [
        { body: { root: { type: "root", children: [{ type: "heading", tag: "h2", children: [] }] } } },
        "invalid_input",
      ],
      [{ body: "{kapot" }, "invalid_input"],
      [{ plainText: "x", placeId: 12 }, "invalid_input"],
      [
        {
          body: {
            root: {
              type: "root",
              children: [{ type: "paragraph", children: [{ type: "mention", userId: "nobody", text: "X" }] }],
            },
          },
        },
        "invalid_input",
      ],
      [{ plainText: "Hallo", placeId: secretPlace.id }, "not_found"],
      [{ plainText: "Hallo", placeId: "bestaat-niet" }, "not_found"],
      [{ plainText: "Hallo", placeId: closedPlace.id }, "forbidden"],
      [{ plainText: "Hallo", placeId: openPlace.id }, "forbidden"],
      [{ plainText: "Hallo", placeId: archived.id }, "invalid_state"],
    ];
    for (const [input, code] of cases) await rejects(createPost(reader, input), code);
    expect(await prisma.post.count({ where: { authorId: user.id } })).toBe(0);
  });

  it("refuses mentions of people who left", async () => {
    const left = await buildUser({ active: false });
    const body = {
      root: {
        type: "root",
        children: [{ type: "paragraph", children: [{ type: "mention", userId: left.id, text: "Weg" }] }],
      },
    };
    await expect(createPost(member, { body })).rejects.toMatchObject({
      code: "invalid_input",
      issues: [`mentioned person ${left.id} does not exist or is no longer active`],
    });
  });

  it("is rate limited per person", async () => {
    const reader = asReader(await buildUser());
    for (let n = 0; n < 30; n += 1) await createPost(reader, { plainText: `Bericht ${n}` });
    const error = await createPost(reader, { plainText: "Eén te veel" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "rate_limited" });
    expect((error as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect(await prisma.post.count({ where: { authorId: reader.id } })).toBe(30);
  });
});

describe("mentions", () => {
  it("notifies people who can see the post and reports back those who cannot", async () => {
    const mentioner = asReader(await buildUser({ departmentId: deptB }));
    await prisma.placeMembership.create({ data: { placeId: secretPlace.id, userId: mentioner.id } });
    const body = {
      root: {
        type: "root",
        children: [
          {
            type: "paragraph",
            children: [
              { type: "mention", userId: member.id, text: "Lid Twee" },
              { type: "text", text: " en " },
              { type: "mention", userId: outsider.id, text: "Buiten Staander" },
              { type: "text", text: " en ikzelf " },
              { type: "mention", userId: mentioner.id, text: "Ik" },
            ],
          },
        ],
      },
    };
    const written = await createPost(mentioner, { placeId: secretPlace.id, body });
    expect(written.unnotifiedMentions).toEqual([{ id: outsider.id, displayName: "Buiten Staander" }]);
    const toMember = await prisma.notification.findMany({
      where: { userId: member.id, type: "post.mentioned" },
    });
    expect(toMember).toHaveLength(1);
    expect(toMember[0]).toMatchObject({
      url: `/berichten/${written.id}`,
      data: { placeName: secretPlace.name },
    });
    // (Earlier announcements in this file did notify them: count only this post's.)
    const aboutThisPost = (userId: string) =>
      prisma.notification.count({ where: { userId, url: `/berichten/${written.id}` } });
    expect(await aboutThisPost(outsider.id)).toBe(0);
    expect(await aboutThisPost(mentioner.id)).toBe(0);
    // The mention is recorded (it is in the text), only the notification is withheld.
    expect(await prisma.postMention.count({ where: { postId: written.id } })).toBe(3);
  });

  it("resolves @handles typed as text by work e-mail, never e-mail addresses themselves", async () => {
    const writer = asReader(await buildUser());
    const { id } = await createPost(writer, {
      plainText: "Vraag het @Auteur.Een of mail lid.twee@stad.gent (@niemand.hier)",
    });
    const mentions = await prisma.postMention.findMany({ where: { postId: id } });
    expect(mentions.map((m) => m.userId)).toEqual([author.id]);
    const view = await getPostView(writer, id);
    expect(view.html).toContain(
      `<a class="mention" data-user-id="${author.id}" href="/mensen/${author.id}">@Auteur.Een</a>`,
    );
    expect(view.html).toContain("lid.twee@stad.gent (@niemand.hier)");
  });

  it("on edit notifies only people newly mentioned, once per post", async () => {
    const writer = asReader(await buildUser());
    const third = await buildUser({ email: "derde.persoon@stad.gent" });
    const { id } = await createPost(writer, { plainText: "Dag @lid.twee" });
    const before = await prisma.notification.count({ where: { userId: member.id, type: "post.mentioned" } });
    await editPost(writer, id, { plainText: "Dag @lid.twee en @derde.persoon" });
    await editPost(writer, id, { plainText: "Dag @derde.persoon" });
    await editPost(writer, id, { plainText: "Dag @lid.twee en @derde.persoon" });
    expect(await prisma.notification.count({ where: { userId: member.id, type: "post.mentioned" } })).toBe(
      before,
    );
    expect(await prisma.notification.count({ where: { userId: third.id, type: "post.mentioned" } })).toBe(1);
  });
});

describe("editPost and deletePost", () => {
  it("edits: marks edited, replaces topics and mentions; only the author", async () => {
    const { id } = await createPost(author, { plainText: "Over #oud en @lid.twee" });
    await rejects(editPost(member, id, { plainText: "Gekaapt" }), "forbidden");
    await rejects(editPost(outsider, "bestaat-niet", { plainText: "x" }), "not_found");
    await rejects(editPost(author, id, { plainText: "" }), "invalid_input");
    await rejects(editPost(author, id, { plainText: "x", audience: ["all"] }), "invalid_input");
    await editPost(author, id, { plainText: "Over #nieuw" });
    const view = await getPostView(outsider, id);
    expect(view.editedAt).not.toBeNull();
    expect(view.text).toBe("Over #nieuw");
    expect(view.topics.map((t) => t.slug)).toEqual(["nieuw"]);
    expect(await prisma.postMention.count({ where: { postId: id } })).toBe(0);
  });

  it("refuses to edit a post in a secret place for someone who cannot see it", async () => {
    const { id } = await createPost(author, { placeId: secretPlace.id, plainText: "Geheim" });
    await rejects(editPost(outsider, id, { plainText: "x" }), "not_found");
  });

  it("deletes softly: content, topics and mentions gone, nobody sees it, the author only", async () => {
    const { id } = await createPost(author, { plainText: "Weg met #wisbaar @lid.twee" });
    await rejects(deletePost(member, id), "forbidden");
    await deletePost(author, id);
    const row = await prisma.post.findUniqueOrThrow({ where: { id } });
    expect(row.deletedAt).not.toBeNull();
    expect(row.text).toBe("");
    expect(await prisma.postTopic.count({ where: { postId: id } })).toBe(0);
    expect(await prisma.postMention.count({ where: { postId: id } })).toBe(0);
    await rejects(getPostView(author, id), "not_found");
    await rejects(deletePost(author, id), "not_found");
    await rejects(editPost(author, id, { plainText: "Terug" }), "not_found");
  });
});

describe("announcements", () => {
  it("only communicators publish, to a valid audience, pinned until a future day", async () => {
    await rejects(createAnnouncement(member, { plainText: "x", audience: ["all"] }), "forbidden");
    const bad: unknown[] = [
      { plainText: "x" },
      { plainText: "x", audience: [] },
      { plainText: "x", audience: ["place:abc"] },
      { plainText: "x", audience: ["role:koning"] },
      { plainText: "x", audience: ["department:bestaatnietxx"] },
      { plainText: "x", audience: ["all"], pinnedUntil: "2020-01-01" },
      { plainText: "x", audience: ["all"], pinnedUntil: "morgen" },
      { plainText: "x", audience: ["all"], pinnedUntil: new Date(Date.now() + 400 * 86_400_000) },
    ];
    for (const input of bad) await rejects(createAnnouncement(moderator, input), "invalid_input");
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const { id } = await createAnnouncement(moderator, {
      plainText: "Sluitingsdagen",
      audience: ["field-workers", `department:${deptB}`],
      pinnedUntil: day,
    });
    const row = await prisma.post.findUniqueOrThrow({ where: { id } });
    expect(row.kind).toBe("announcement");
    expect(row.audience).toEqual(["field-workers", `department:${deptB}`, `user:${moderator.id}`]);
    expect(row.pinnedUntil?.toISOString()).toBe(endOfBrusselsDay(day).toISOString());
    expect((await getPostView(outsider, id)).pinned).toBe(true);
    await rejects(getPostView(colleagueA, id), "not_found");
    // The audience hears of it in the bell; the author and people outside the audience do not.
    const noticesFor = (userId: string) =>
      prisma.notification.findMany({ where: { userId, url: `/berichten/${id}` }, select: { type: true } });
    expect(await noticesFor(outsider.id)).toEqual([{ type: "announcement.published" }]);
    expect(await noticesFor(colleagueA.id)).toEqual([]);
    expect(await noticesFor(moderator.id)).toEqual([]);
  });

  it("notifies a mentioned colleague once (the mention) and nobody who switched announcements off", async () => {
    const quiet = await buildUser({ departmentId: deptB, displayName: "Stille Lezer" });
    await prisma.notificationPreference.create({
      data: { userId: quiet.id, type: "announcement.published", inApp: false, digest: true },
    });
    const { id } = await createAnnouncement(moderator, {
      plainText: "Nieuwe parkeerregeling, vragen aan @lid.twee",
      audience: [`department:${deptB}`],
    });
    const types = async (userId: string) =>
      (await prisma.notification.findMany({ where: { userId, url: `/berichten/${id}` } })).map((n) => n.type);
    expect(await types(member.id)).toEqual(["post.mentioned"]);
    expect(await types(outsider.id)).toEqual(["announcement.published"]);
    expect(await types(quiet.id)).toEqual([]);
  });

  it("ends a pin day at midnight Brussels time, summer and winter", () => {
    expect(endOfBrusselsDay("2026-07-01").toISOString()).toBe("2026-07-01T21:59:59.999Z");
    expect(endOfBrusselsDay("2026-12-01").toISOString()).toBe("2026-12-01T22:59:59.999Z");
  });

  it("the author edits audience and pin, as long as they are a communicator", async () => {
    const { id } = await createAnnouncement(moderator, { plainText: "Eerst", audience: ["all"] });
    await editPost(moderator, id, {
      plainText: "Daarna",
      audience: [`department:${deptA}`],
      pinnedUntil: null,
    });
    const row = await prisma.post.findUniqueOrThrow({ where: { id } });
    expect(row.audience).toEqual([`department:${deptA}`, `user:${moderator.id}`]);
    await rejects(
      editPost({ ...moderator, roles: ["employee"] }, id, { plainText: "Zonder rol" }),
      "forbidden",
    );
  });
});

describe("sharing", () => {
  it("shares into a place; readers of the share see the original only if they may", async () => {
    const original = await createPost(member, { placeId: secretPlace.id, plainText: "Geheim nieuws" });
    const share = await sharePost(author, original.id, { placeId: openPlace.id, plainText: "Kijk hier" });
    const forMember = await getPostView(member, share.id);
    expect(forMember.shared).toMatchObject({ available: true, id: original.id });
    if (forMember.shared?.available) expect(forMember.shared.html).toContain("Geheim nieuws");
    const forOutsider = await getPostView(outsider, share.id);
    expect(forOutsider.shared).toEqual({ available: false });
    expect(JSON.stringify(forOutsider)).not.toContain("Geheim nieuws");
    expect(forOutsider.can.share).toBe(false);
  });

  it("shares of shares point to the original; refuses what the reader cannot see or where they cannot post", async () => {
    const original = await createPost(author, { plainText: "Iedereen mag dit zien" });
    const first = await sharePost(member, original.id, { placeId: openPlace.id });
    const second = await sharePost(author, first.id, { placeId: closedPlace.id });
    expect((await prisma.post.findUniqueOrThrow({ where: { id: second.id } })).sharedPostId).toBe(
      original.id,
    );
    const secret = await createPost(author, { placeId: secretPlace.id, plainText: "Geheim" });
    const sharer = asReader(await buildUser());
    const own = await buildPlace({ ownerIds: [sharer.id] });
    await rejects(sharePost(sharer, secret.id, { placeId: own.id }), "not_found");
    await rejects(sharePost(sharer, original.id, { placeId: closedPlace.id }), "forbidden");
    await rejects(sharePost(sharer, original.id, {}), "invalid_input");
    await rejects(
      sharePost(sharer, original.id, { placeId: own.id, body: { root: { type: "root" } } }),
      "invalid_input",
    );
    expect(await prisma.post.count({ where: { authorId: sharer.id } })).toBe(0);
  });
});

describe("internal link previews", () => {
  it("previews circulars, places and people through their policies, never anything external", async () => {
    const readable = await buildPublishedCircular({ audience: ["all"], versions: [{ title: "Thuiswerk" }] });
    const restricted = await buildPublishedCircular({ audience: [`department:${deptA}`] });
    const link = (url: string) => ({ type: "link", url, children: [{ type: "text", text: "hier" }] });
    const body = {
      root: {
        type: "root",
        children: [
          {
            type: "paragraph",
            children: [
              link(`/circulaires/${readable.number}`),
              // A full URL typed as text becomes an autolink, and counts when it is this app's.
              { type: "text", text: ` en ${getEnv().APP_URL}/circulaires/${restricted.number} en ` },
              link(`/groepen/${openPlace.slug}`),
              link(`/groepen/${secretPlace.slug}`),
              link(`/mensen/${author.id}`),
              { type: "text", text: " https://example.com/groepen/iets" },
            ],
          },
        ],
      },
    };
    const { id } = await createPost(author, { body });
    const forOutsider = await getPostView(outsider, id);
    expect(forOutsider.links).toEqual([
      {
        kind: "circular",
        url: `/circulaires/${readable.number}`,
        number: readable.number,
        title: "Thuiswerk",
      },
      expect.objectContaining({ kind: "place", url: `/groepen/${openPlace.slug}`, name: openPlace.name }),
      expect.objectContaining({ kind: "person", url: `/mensen/${author.id}`, displayName: "Auteur Een" }),
    ]);
    const forAuthor = await getPostView(author, id);
    expect(forAuthor.links.map((link) => link.url)).toEqual([
      `/circulaires/${readable.number}`,
      `/circulaires/${restricted.number}`,
      `/groepen/${openPlace.slug}`,
      `/groepen/${secretPlace.slug}`,
      `/mensen/${author.id}`,
    ]);
  });
});
