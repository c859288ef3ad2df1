/**
 * The home page's loader and GET /api/stream/nieuw against a real database: the stream shows what the
 * reader follows and the announcements for them but never a secret group's post (not even one by a
 * followed colleague), older pages through `?na=`, and the new-posts count with its 401 and 400 answers
 * and without the reader's own posts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildPlace, buildPost, buildUser } from "../../tests/factories";
import { setupTestDatabase } from "../../tests/setup/database";
import { routeContext, settle, signIn, type Visitor } from "../../tests/support/routes";
import { loader as homeLoader } from "./_index";
import { loader as newPostsLoader } from "./api.stream.nieuw";

setupTestDatabase();

type HomeData = {
  stream: { items: { id: string; kind: string }[]; nextCursor: string | null };
  newestSeen: string | null;
  olderPage: boolean;
  canAnnounce: boolean;
  topics: { slug: string }[];
  following: { users: { id: string }[]; places: { slug: string }[]; topics: { slug: string }[] };
};

async function home(who: Visitor, search = ""): Promise<{ status: number; data: HomeData }> {
  const result = await settle(
    homeLoader({
      request: new Request(`http://localhost:3000/${search}`, { headers: { Cookie: who.cookie } }),
      params: {},
      context: routeContext,
    }),
  );
  return { status: result.status, data: result.body as HomeData };
}

async function newPosts(who: Visitor | null, search: string) {
  const response = (await newPostsLoader({
    request: new Request(`http://localhost:3000/api/stream/nieuw${search}`, {
      headers: who ? { Cookie: who.cookie } : {},
    }),
    params: {},
    context: routeContext,
  })) as Response;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

let reader: Visitor;
let colleague: string;
let stranger: string;
let communicator: string;
let followedPost: string;
let strangerPost: string;
let secretPost: string;
let announcement: string;
let followedGroupPost: string;
let ownPost: string;
let group: { id: string; slug: string };

beforeAll(async () => {
  reader = await signIn();
  colleague = (await buildUser({ displayName: "Colette Collega" })).id;
  stranger = (await buildUser()).id;
  communicator = (await buildUser({}, ["communicator"])).id;
  const secret = await buildPlace({ ownerIds: [colleague], visibility: "secret" });
  group = await buildPlace({ ownerIds: [stranger], visibility: "open", name: "Fietsgroep Gent" });
  await prisma.follow.createMany({
    data: [
      { followerId: reader.id, targetType: "user", targetId: colleague },
      { followerId: reader.id, targetType: "place", targetId: group.id },
    ],
  });
  followedPost = (
    await buildPost({
      authorId: colleague,
      text: "Nieuws over #fietsen",
      topicSlugs: ["fietsen"],
      createdAt: minutesAgo(50),
    })
  ).id;
  secretPost = (await buildPost({ authorId: colleague, placeId: secret.id, createdAt: minutesAgo(40) })).id;
  strangerPost = (await buildPost({ authorId: stranger, createdAt: minutesAgo(30) })).id;
  followedGroupPost = (await buildPost({ authorId: stranger, placeId: group.id, createdAt: minutesAgo(25) }))
    .id;
  announcement = (
    await buildPost({ authorId: communicator, kind: "announcement", createdAt: minutesAgo(20) })
  ).id;
  ownPost = (await buildPost({ authorId: reader.id, createdAt: minutesAgo(10) })).id;
});

describe("the home page", () => {
  it("shows followed people and places, announcements and the reader's own posts, newest first", async () => {
    const { status, data } = await home(reader);
    expect(status).toBe(200);
    expect(data.stream.items.map((item) => item.id)).toEqual([
      ownPost,
      announcement,
      followedGroupPost,
      followedPost,
    ]);
    expect(data.stream.items.find((item) => item.id === announcement)?.kind).toBe("announcement");
    expect(data.newestSeen).toEqual(expect.any(String));
    expect(data.olderPage).toBe(false);
    expect(data.canAnnounce).toBe(false);
  });

  it("never shows a secret group's post, not even by a followed colleague, nor an unfollowed stranger's", async () => {
    const { data } = await home(reader);
    const ids = data.stream.items.map((item) => item.id);
    expect(ids).not.toContain(secretPost);
    expect(ids).not.toContain(strangerPost);
  });

  it("lists what the reader follows and the popular topics they may see", async () => {
    const { data } = await home(reader);
    expect(data.following.users.map((user) => user.id)).toEqual([colleague]);
    expect(data.following.places.map((place) => place.slug)).toEqual([group.slug]);
    expect(data.topics.map((topic) => topic.slug)).toContain("fietsen");
  });

  it("pages back through ?na= and refuses a damaged cursor", async () => {
    const many = await signIn();
    await prisma.follow.create({ data: { followerId: many.id, targetType: "user", targetId: colleague } });
    for (let index = 0; index < 21; index += 1) {
      await buildPost({ authorId: many.id, createdAt: minutesAgo(100 + index) });
    }
    const first = await home(many);
    expect(first.data.stream.items).toHaveLength(20);
    expect(first.data.stream.nextCursor).toEqual(expect.any(String));
    const second = await home(many, `?na=${encodeURIComponent(first.data.stream.nextCursor!)}`);
    expect(second.status).toBe(200);
    expect(second.data.olderPage).toBe(true);
    expect(second.data.newestSeen).toBeNull();
    const firstIds = new Set(first.data.stream.items.map((item) => item.id));
    expect(second.data.stream.items.length).toBeGreaterThan(0);
    expect(second.data.stream.items.every((item) => !firstIds.has(item.id))).toBe(true);

    expect((await home(many, "?na=kapot")).status).toBe(400);
  });
});

describe("GET /api/stream/nieuw", () => {
  it("answers 401 without a session", async () => {
    const result = await newPosts(null, "?sinds=x");
    expect(result.status).toBe(401);
    expect(result.body.error).toEqual(expect.any(String));
  });

  it("answers 400 without a cursor or with a damaged one", async () => {
    expect((await newPosts(reader, "")).status).toBe(400);
    const damaged = await newPosts(reader, "?sinds=niet-geldig");
    expect(damaged.status).toBe(400);
    expect(damaged.body.error).toBe("The cursor in 'sinds' is not valid");
  });

  it("counts posts that arrived since the page was loaded, without the reader's own or secret ones", async () => {
    const { data } = await home(reader);
    const since = `?sinds=${encodeURIComponent(data.newestSeen!)}`;
    expect((await newPosts(reader, since)).body).toEqual({ count: 0, more: false });

    await buildPost({ authorId: colleague });
    await buildPost({ authorId: stranger, placeId: group.id });
    await buildPost({ authorId: reader.id });
    const secret = await prisma.place.findFirstOrThrow({
      where: { visibility: "secret", createdById: colleague },
    });
    await buildPost({ authorId: colleague, placeId: secret.id });
    await buildPost({ authorId: stranger });

    const result = await newPosts(reader, since);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ count: 2, more: false });
  });
});
