import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { buildDepartment, buildPlace, buildPost, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { isStreamError } from "./errors";
import {
  countNewSince,
  explainHomeStream,
  homeStream,
  NEW_POSTS_CAP,
  placeStream,
  profileStream,
  topicStream,
  type StreamPage,
} from "./stream.server";

setupTestDatabase();

type User = Awaited<ReturnType<typeof buildUser>>;

async function readerOf(user: User, roles: Reader["roles"] = ["employee"]): Promise<Reader> {
  const department = user.departmentId
    ? await prisma.department.findUniqueOrThrow({
        where: { id: user.departmentId },
        select: { id: true, parentId: true },
      })
    : null;
  return { id: user.id, roles, isFieldWorker: user.isFieldWorker, department };
}

const ids = (page: StreamPage) => page.items.map((item) => item.id);

async function follow(followerId: string, targetType: "user" | "place" | "topic", targetId: string) {
  await prisma.follow.create({ data: { followerId, targetType, targetId } });
}

async function expectStreamError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(isStreamError(error), `expected a StreamError, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

/** A clock for posts: each call is a millisecond-distinct moment, older calls first. */
let tick = Date.UTC(2025, 0, 1);
const at = () => new Date((tick += 1000));

describe("home stream composition", () => {
  let reader: User;
  let readerDept: string;
  const expected: Record<string, string> = {};
  const excluded: Record<string, string> = {};

  // Announcements for everyone reach every reader of the later tests; they have served their purpose.
  afterAll(async () => {
    await prisma.post.deleteMany({ where: { kind: "announcement" } });
  });

  beforeAll(async () => {
    const department = await buildDepartment();
    const otherDepartment = await buildDepartment();
    readerDept = department.id;
    reader = await buildUser({ departmentId: department.id });
    const followed = await buildUser();
    const stranger = await buildUser();
    const communicator = await buildUser({}, ["communicator"]);
    const followedPlace = await buildPlace({ ownerIds: [stranger.id] });
    const memberPlace = await buildPlace({
      ownerIds: [stranger.id],
      memberIds: [reader.id],
      visibility: "closed",
    });
    const otherPlace = await buildPlace({ ownerIds: [stranger.id] });
    await follow(reader.id, "user", followed.id);
    await follow(reader.id, "place", followedPlace.id);

    expected.followedPerson = (await buildPost({ authorId: followed.id, createdAt: at() })).id;
    expected.followedPlace = (
      await buildPost({ authorId: stranger.id, placeId: followedPlace.id, createdAt: at() })
    ).id;
    expected.memberPlace = (
      await buildPost({ authorId: stranger.id, placeId: memberPlace.id, createdAt: at() })
    ).id;
    expected.topic = (
      await buildPost({ authorId: stranger.id, topicSlugs: ["gentsefeesten"], createdAt: at() })
    ).id;
    expected.own = (await buildPost({ authorId: reader.id, createdAt: at() })).id;
    expected.announcementAll = (
      await buildPost({ authorId: communicator.id, kind: "announcement", createdAt: at() })
    ).id;
    expected.announcementDepartment = (
      await buildPost({
        authorId: communicator.id,
        kind: "announcement",
        audience: [`department:${department.id}`, `user:${communicator.id}`],
        createdAt: at(),
      })
    ).id;
    const topic = await prisma.topic.findUniqueOrThrow({ where: { slug: "gentsefeesten" } });
    await follow(reader.id, "topic", topic.id);

    excluded.stranger = (await buildPost({ authorId: stranger.id, createdAt: at() })).id;
    excluded.otherPlace = (
      await buildPost({ authorId: stranger.id, placeId: otherPlace.id, createdAt: at() })
    ).id;
    excluded.otherTopic = (
      await buildPost({ authorId: stranger.id, topicSlugs: ["anders"], createdAt: at() })
    ).id;
    excluded.announcementOther = (
      await buildPost({
        authorId: communicator.id,
        kind: "announcement",
        audience: [`department:${otherDepartment.id}`, `user:${communicator.id}`],
        createdAt: at(),
      })
    ).id;
    excluded.deleted = (
      await buildPost({ authorId: followed.id, deletedAt: new Date(), createdAt: at() })
    ).id;
    excluded.hiddenOthers = (
      await buildPost({ authorId: followed.id, hiddenAt: new Date(), hiddenReason: "Spam", createdAt: at() })
    ).id;
    expected.hiddenOwn = (
      await buildPost({
        authorId: reader.id,
        hiddenAt: new Date(),
        hiddenReason: "Persoonsgegevens",
        createdAt: at(),
      })
    ).id;
  });

  it("merges follows, memberships, topics, own posts and announcements for the reader, newest first", async () => {
    const page = await homeStream(await readerOf(reader), { limit: 50 });
    expect(new Set(ids(page))).toEqual(new Set(Object.values(expected)));
    for (const id of Object.values(excluded)) expect(ids(page)).not.toContain(id);
    const times = page.items.map((item) => item.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(page.nextCursor).toBeNull();
    expect(readerDept).toBeTruthy();
  });

  it("returns plain data with safe HTML, author, place, counts and the moderator's reason on one's own hidden post", async () => {
    const page = await homeStream(await readerOf(reader), { limit: 50 });
    const inPlace = page.items.find((item) => item.id === expected.memberPlace)!;
    expect(inPlace.place).toMatchObject({ kind: "group", url: expect.stringMatching(/^\/groepen\//) });
    expect(inPlace.author).toMatchObject({ url: `/mensen/${inPlace.author.id}` });
    expect(inPlace.html).toMatch(/^<p>Testbericht/);
    expect(inPlace.counts).toEqual({ comments: 0, reactions: 0 });
    expect(inPlace.hidden).toBeNull();
    const hidden = page.items.find((item) => item.id === expected.hiddenOwn)!;
    expect(hidden.hidden).toEqual({ reason: "Persoonsgegevens" });
    const topical = page.items.find((item) => item.id === expected.topic)!;
    expect(topical.topics).toEqual([
      { slug: "gentsefeesten", name: "gentsefeesten", url: "/onderwerpen/gentsefeesten" },
    ]);
    expect(JSON.parse(JSON.stringify(page))).toEqual(page);
  });

  it("escapes content: a body with markup comes out as text", async () => {
    const author = await buildUser();
    const post = await buildPost({ authorId: author.id, text: '<img src=x onerror="alert(1)">' });
    const page = await profileStream(await readerOf(author), author.id);
    const item = page.items.find((entry) => entry.id === post.id)!;
    expect(item.html).toBe("<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>");
  });
});

describe("pinned announcements", () => {
  // Announcements for everyone reach every reader of the later tests; they have served their purpose.
  afterAll(async () => {
    await prisma.post.deleteMany({ where: { kind: "announcement" } });
  });
  it("sit on top of the first page only, are not repeated below, and drop back into place once expired", async () => {
    const reader = await buildUser();
    const communicator = await buildUser({}, ["communicator"]);
    const followed = await buildUser();
    await follow(reader.id, "user", followed.id);
    const future = new Date(Date.now() + 86_400_000);
    const pinned = await buildPost({
      authorId: communicator.id,
      kind: "announcement",
      pinnedUntil: future,
      createdAt: at(),
    });
    const expiredPin = await buildPost({
      authorId: communicator.id,
      kind: "announcement",
      pinnedUntil: new Date(Date.now() - 1000),
      createdAt: at(),
    });
    const posts = [];
    for (let i = 0; i < 6; i++) posts.push(await buildPost({ authorId: followed.id, createdAt: at() }));

    const first = await homeStream(await readerOf(reader), { limit: 4 });
    expect(first.items[0]).toMatchObject({ id: pinned.id, pinned: true });
    expect(first.items.slice(1).map((item) => item.pinned)).toEqual([false, false, false, false]);
    expect(ids(first).slice(1)).toEqual(
      posts
        .slice(2)
        .reverse()
        .map((post) => post.id),
    );

    const second = await homeStream(await readerOf(reader), { cursor: first.nextCursor });
    expect(ids(second)).toEqual([posts[1]!.id, posts[0]!.id, expiredPin.id]);
    expect(ids(second)).not.toContain(pinned.id);
    expect(second.newestCursor).toBeNull();
  });
});

describe("visibility: a secret place's posts never leak", () => {
  let member: User;
  let outsider: User;
  let author: User;
  let secretId: string;
  let secretPostId: string;
  let topicSlug: string;

  beforeAll(async () => {
    author = await buildUser();
    member = await buildUser();
    outsider = await buildUser();
    const secret = await buildPlace({ ownerIds: [author.id], memberIds: [member.id], visibility: "secret" });
    secretId = secret.id;
    topicSlug = `geheim${secret.id.slice(-6)}`;
    secretPostId = (
      await buildPost({ authorId: author.id, placeId: secret.id, topicSlugs: [topicSlug], createdAt: at() })
    ).id;
    const topic = await prisma.topic.findUniqueOrThrow({ where: { slug: topicSlug } });
    for (const user of [member, outsider]) {
      await follow(user.id, "user", author.id);
      await follow(user.id, "topic", topic.id);
      // A follow left over from before they were removed (or written by hand) must not open the place.
      await follow(user.id, "place", secret.id);
    }
  });

  it("shows them to members in every stream", async () => {
    const reader = await readerOf(member);
    expect(ids(await homeStream(reader))).toContain(secretPostId);
    expect(ids(await profileStream(reader, author.id))).toContain(secretPostId);
    expect(ids(await topicStream(reader, topicSlug))).toContain(secretPostId);
    expect(ids(await placeStream(reader, secretId))).toEqual([secretPostId]);
  });

  it("never shows them to non-members: home, profile, topic, place, new-post count", async () => {
    const reader = await readerOf(outsider);
    const home = await homeStream(reader);
    expect(ids(home)).not.toContain(secretPostId);
    expect(ids(await profileStream(reader, author.id))).not.toContain(secretPostId);
    expect(ids(await topicStream(reader, topicSlug))).not.toContain(secretPostId);
    await expectStreamError(placeStream(reader, secretId), "not_found");

    const mark = await homeStreamCursorAfterOwnPost(outsider);
    await buildPost({ authorId: author.id, placeId: secretId, createdAt: new Date(Date.now() + 60_000) });
    expect(await countNewSince(reader, mark)).toEqual({ count: 0, more: false });
    expect(await countNewSince(await readerOf(member), mark)).toEqual({ count: 1, more: false });
  });

  it("shows a share of a secret post as unavailable to those outside", async () => {
    const open = await buildPlace({ ownerIds: [member.id] });
    const share = await buildPost({ authorId: member.id, placeId: open.id, sharedPostId: secretPostId });
    const outsiders = await placeStream(await readerOf(outsider), open.id);
    expect(outsiders.items.find((item) => item.id === share.id)?.shared).toEqual({ available: false });
    const members = await placeStream(await readerOf(member), open.id);
    expect(members.items.find((item) => item.id === share.id)?.shared).toMatchObject({
      available: true,
      id: secretPostId,
    });
  });
});

/** A home cursor for someone whose stream is empty: their own post gives them one. */
async function homeStreamCursorAfterOwnPost(user: User): Promise<string> {
  await buildPost({ authorId: user.id });
  const page = await homeStream(await readerOf(user));
  return page.newestCursor!;
}

describe("place streams", () => {
  it("answer not_found for an unknown place and forbidden for a closed place one is not in", async () => {
    const owner = await buildUser();
    const outsider = await buildUser();
    const closed = await buildPlace({ ownerIds: [owner.id], visibility: "closed" });
    await buildPost({ authorId: owner.id, placeId: closed.id });
    await expectStreamError(placeStream(await readerOf(outsider), closed.id), "forbidden");
    await expectStreamError(placeStream(await readerOf(outsider), "bestaat-niet"), "not_found");
    expect((await placeStream(await readerOf(owner), closed.id)).items).toHaveLength(1);
  });

  it("finds a topic however the tag is written, and answers not_found for an unknown one", async () => {
    const author = await buildUser();
    const post = await buildPost({ authorId: author.id, topicSlugs: ["wegenwerken"] });
    const reader = await readerOf(await buildUser());
    expect(ids(await topicStream(reader, "#WegenWerken"))).toContain(post.id);
    await expectStreamError(topicStream(reader, "onbekend-onderwerp"), "not_found");
    await expectStreamError(profileStream(reader, "niemand"), "not_found");
  });
});

describe("pagination", () => {
  it("skips and repeats nothing while new posts arrive between pages", async () => {
    const reader = await buildUser();
    const followed = await buildUser();
    await follow(reader.id, "user", followed.id);
    const original: string[] = [];
    // Three posts share one millisecond, at a page boundary: the id breaks the tie.
    const shared = at();
    for (let i = 0; i < 25; i++) {
      const createdAt = i >= 9 && i <= 11 ? shared : at();
      original.push((await buildPost({ authorId: followed.id, createdAt })).id);
    }
    const asReader = await readerOf(reader);
    const seen: string[] = [];
    let page = await homeStream(asReader, { limit: 10 });
    seen.push(...ids(page));
    while (page.nextCursor) {
      // Someone posts while the reader scrolls.
      await buildPost({ authorId: followed.id, createdAt: new Date() });
      page = await homeStream(asReader, { cursor: page.nextCursor, limit: 10 });
      seen.push(...ids(page));
    }
    const expectedOrder = await prisma.post.findMany({
      where: { id: { in: original } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(seen).toEqual(expectedOrder.map((post) => post.id));
    expect(new Set(seen).size).toBe(25);
  });

  it("counts new posts since the newest seen, without one's own and with a cap", async () => {
    const reader = await buildUser();
    const followed = await buildUser();
    await follow(reader.id, "user", followed.id);
    await buildPost({ authorId: followed.id, createdAt: new Date(Date.now() - 60_000) });
    const page = await homeStream(await readerOf(reader));
    expect(page.newestCursor).toBeTruthy();
    expect(await countNewSince(await readerOf(reader), page.newestCursor)).toEqual({ count: 0, more: false });
    await buildPost({ authorId: followed.id });
    await buildPost({ authorId: reader.id });
    expect(await countNewSince(await readerOf(reader), page.newestCursor)).toEqual({ count: 1, more: false });
    await prisma.post.createMany({
      data: Array.from({ length: NEW_POSTS_CAP + 1 }, (_, i) => ({
        authorId: followed.id,
        body: { root: { type: "root", children: [] } },
        text: `bulk ${i}`,
        audience: ["all"],
      })),
    });
    expect(await countNewSince(await readerOf(reader), page.newestCursor)).toEqual({
      count: NEW_POSTS_CAP,
      more: true,
    });
  });

  it("refuses altered cursors, cursors of another stream and bad limits, as invalid_input", async () => {
    const author = await buildUser();
    for (let i = 0; i < 3; i++) await buildPost({ authorId: author.id, createdAt: at() });
    const reader = await readerOf(author);
    const page = await profileStream(reader, author.id, { limit: 1 });
    const cursor = page.nextCursor!;
    const [body, signature] = cursor.split(".");
    const forged = Buffer.from(
      JSON.stringify([1, `user:${author.id}`, "2099-01-01T00:00:00.000Z", "x", null]),
    ).toString("base64url");
    for (const bad of [
      `${forged}.${signature}`,
      `${body}.AAAA${signature!.slice(4)}`,
      `${body}`,
      "niet-een-cursor",
      `${body}.${signature}.extra`,
    ]) {
      await expectStreamError(profileStream(reader, author.id, { cursor: bad }), "invalid_input");
    }
    await expectStreamError(homeStream(reader, { cursor }), "invalid_input");
    await expectStreamError(countNewSince(reader, cursor), "invalid_input");
    await expectStreamError(countNewSince(reader, undefined), "invalid_input");
    await expectStreamError(homeStream(reader, { limit: 0 }), "invalid_input");
    await expectStreamError(homeStream(reader, { limit: 500 }), "invalid_input");
    await expectStreamError(homeStream(reader, { limit: "tien" }), "invalid_input");
    await expectStreamError(profileStream(reader, ""), "invalid_input");
    expect(ids(await profileStream(reader, author.id, { cursor, limit: "5" }))).toHaveLength(2);
  });
});

describe("explainHomeStream", () => {
  it("shows the per-source index scans of the home query", async () => {
    const reader = await buildUser();
    await follow(reader.id, "user", (await buildUser()).id);
    const plan = await explainHomeStream(await readerOf(reader));
    expect(plan).toMatch(/Post_authorId_createdAt_idx/);
    expect(plan).toMatch(/Post_kind_createdAt_idx/);
    expect(plan).toMatch(/Execution Time/);
  });
});
