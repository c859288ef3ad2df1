// The demo posts: written once, consistent with what the stream modules would have stored, and giving the
// demo accounts a home stream, a bell and a moderation queue without leaking secret places.
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "../app/db.server";
import { lexicalToPlainText } from "../app/editor/plain-text";
import { type Reader } from "../app/modules/circulars/policy.server";
import { isRole } from "../app/modules/identity/permissions";
import {
  COMMENT_LIMITS,
  mentionedUserIds,
  normaliseTopicSlug,
  parseBody,
  POST_LIMITS,
} from "../app/modules/stream/content";
import { moderationQueue } from "../app/modules/stream/moderation.server";
import { homeStream } from "../app/modules/stream/stream.server";
import { setupTestDatabase } from "../tests/setup/database";
import { seed } from "./seed";
import { SEED_DEMO_FOLLOWS, SEED_POSTS, SEED_REPORT, seedPosts } from "./seed-posts";
import { SEED_PLACES } from "./seed-stream";

setupTestDatabase();

const postIds = SEED_POSTS.map((post) => post.id);
const commentIds = SEED_POSTS.flatMap((post) =>
  (post.comments ?? []).flatMap((comment) => [
    comment.id,
    ...(comment.replies ?? []).map((reply) => reply.id),
  ]),
);

async function readerOf(employeeNumber: string): Promise<Reader> {
  const user = await prisma.user.findUniqueOrThrow({
    where: { employeeNumber },
    select: {
      id: true,
      isFieldWorker: true,
      department: { select: { id: true, parentId: true } },
      roles: { select: { role: true } },
    },
  });
  return {
    id: user.id,
    isFieldWorker: user.isFieldWorker,
    department: user.department,
    roles: ["employee", ...user.roles.map((r) => r.role).filter(isRole)],
  };
}

async function rowCounts() {
  return {
    posts: await prisma.post.count(),
    comments: await prisma.comment.count(),
    reactions: await prisma.reaction.count(),
    mentions: await prisma.postMention.count(),
    postTopics: await prisma.postTopic.count(),
    topics: await prisma.topic.count(),
    follows: await prisma.follow.count(),
    reports: await prisma.postReport.count(),
    notifications: await prisma.notification.count(),
  };
}

beforeAll(async () => {
  // seed() runs seedStream, which calls seedPosts.
  await seed(prisma);
}, 120_000);

describe("seedPosts", () => {
  it("writes every demo post, comment and the report once; a second run adds nothing", async () => {
    expect(new Set(postIds).size).toBe(postIds.length);
    expect(new Set(commentIds).size).toBe(commentIds.length);
    expect(await prisma.post.count({ where: { id: { in: postIds } } })).toBe(SEED_POSTS.length);
    expect(await prisma.comment.count({ where: { id: { in: commentIds } } })).toBe(commentIds.length);
    expect(await prisma.postReport.count({ where: { id: SEED_REPORT.id, status: "open" } })).toBe(1);

    const before = await rowCounts();
    const again = await prisma.$transaction((tx) => seedPosts(tx), { timeout: 60_000 });
    expect(again).toEqual({ posts: 0, comments: 0, reactions: 0, follows: 0, reports: 0, notifications: 0 });
    expect(await rowCounts()).toEqual(before);
  });

  it("looks like a living stream: many authors, three weeks, a few hundred reactions, three announcements", async () => {
    const posts = await prisma.post.findMany({
      where: { id: { in: postIds } },
      select: { authorId: true, createdAt: true, kind: true, pinnedUntil: true, placeId: true },
    });
    expect(posts.length).toBeGreaterThanOrEqual(55);
    expect(new Set(posts.map((p) => p.authorId)).size).toBeGreaterThanOrEqual(30);
    const now = Date.now();
    const days = new Set(posts.map((p) => Math.floor((now - p.createdAt.getTime()) / 86_400_000)));
    expect(days.size).toBeGreaterThanOrEqual(15);
    for (const post of posts) {
      expect(post.createdAt.getTime()).toBeLessThanOrEqual(now);
      expect(post.createdAt.getTime()).toBeGreaterThan(now - 22 * 86_400_000);
    }
    expect(posts.filter((p) => p.placeId === null && p.kind === "post").length).toBeGreaterThanOrEqual(15);
    const announcements = posts.filter((p) => p.kind === "announcement");
    expect(announcements).toHaveLength(3);
    const pinned = announcements.filter((p) => p.pinnedUntil && p.pinnedUntil.getTime() > now);
    expect(pinned).toHaveLength(1);
    expect(pinned[0]!.pinnedUntil!.getTime()).toBeLessThanOrEqual(now + 7 * 86_400_000);
    const reactions = await prisma.reaction.count({ where: { postId: { in: postIds } } });
    expect(reactions).toBeGreaterThanOrEqual(200);
    expect(reactions).toBeLessThanOrEqual(800);
    const replies = await prisma.comment.count({
      where: { id: { in: commentIds }, parentId: { not: null } },
    });
    expect(replies).toBeGreaterThanOrEqual(5);
  });

  it("keeps the counters equal to the rows", async () => {
    const posts = await prisma.post.findMany({
      where: { id: { in: postIds } },
      select: {
        id: true,
        commentCount: true,
        reactionCount: true,
        _count: {
          select: { reactions: true, comments: { where: { deletedAt: null, hiddenAt: null } } },
        },
      },
    });
    for (const post of posts) {
      expect(post.commentCount, post.id).toBe(post._count.comments);
      expect(post.reactionCount, post.id).toBe(post._count.reactions);
    }
  });

  it("stores bodies the modules accept, with their text, mentions, topics and audiences derived", async () => {
    const posts = await prisma.post.findMany({
      where: { id: { in: postIds } },
      select: {
        id: true,
        body: true,
        text: true,
        audience: true,
        kind: true,
        authorId: true,
        createdAt: true,
        place: { select: { id: true, visibility: true, memberships: { select: { userId: true } } } },
        mentions: { select: { userId: true } },
        topics: { select: { createdAt: true, topic: { select: { slug: true } } } },
      },
    });
    const specs = new Map(SEED_POSTS.map((spec) => [spec.id, spec]));
    for (const post of posts) {
      const parsed = parseBody({ body: post.body }, POST_LIMITS);
      expect(parsed.ok, post.id).toBe(true);
      if (!parsed.ok) continue;
      expect(post.text).toBe(lexicalToPlainText(parsed.document));
      // Every @handle in the seed text became a mention of a real colleague.
      const typed = (specs.get(post.id)!.text.match(/(^|\s)@[a-z]/g) ?? []).length;
      expect(mentionedUserIds(parsed.document).sort(), post.id).toEqual(
        post.mentions.map((m) => m.userId).sort(),
      );
      expect(post.mentions.length, post.id).toBe(typed);
      const tags = [...post.text.matchAll(/(?:^|\s)#([\p{L}_][\p{L}\p{N}_]*)/gu)].map((m) =>
        normaliseTopicSlug(m[1]!),
      );
      expect(post.topics.map((t) => t.topic.slug).sort(), post.id).toEqual([...new Set(tags)].sort());
      for (const topic of post.topics) expect(topic.createdAt).toEqual(post.createdAt);
      if (post.kind === "announcement") {
        expect(post.audience).toContain(`user:${post.authorId}`);
      } else if (!post.place || post.place.visibility === "open") {
        expect(post.audience).toEqual(["all"]);
      } else {
        expect(post.audience).toEqual([`place:${post.place.id}`]);
      }
      if (post.place) expect(post.place.memberships.map((m) => m.userId)).toContain(post.authorId);
    }
    const comments = await prisma.comment.findMany({
      where: { id: { in: commentIds } },
      select: { id: true, body: true, text: true, createdAt: true, post: { select: { createdAt: true } } },
    });
    for (const comment of comments) {
      const parsed = parseBody({ body: comment.body }, COMMENT_LIMITS);
      expect(parsed.ok, comment.id).toBe(true);
      if (parsed.ok) expect(comment.text).toBe(lexicalToPlainText(parsed.document));
      expect(comment.createdAt.getTime()).toBeGreaterThan(comment.post.createdAt.getTime());
    }
  });

  it("gives the demo employee a rich home stream without anything from secret places he is not in", async () => {
    const jonas = await readerOf("GE-109347");
    const page = await homeStream(jonas, { limit: 50 });
    expect(page.items.length).toBeGreaterThanOrEqual(20);
    expect(page.items[0]).toMatchObject({ kind: "announcement", pinned: true });
    const secret = await prisma.place.findMany({
      where: { slug: { in: SEED_PLACES.filter((p) => p.visibility === "secret").map((p) => p.slug) } },
      select: { id: true },
    });
    const secretIds = new Set(secret.map((p) => p.id));
    expect(page.items.filter((item) => item.place && secretIds.has(item.place.id))).toEqual([]);
    // The field workers' announcement is not for an office employee; the field worker does see it.
    expect(page.items.some((item) => item.id === "seedpost0a02")).toBe(false);
    const marc = await homeStream(await readerOf("GE-111058"), { limit: 50 });
    expect(marc.items.some((item) => item.id === "seedpost0a02")).toBe(true);
    expect(marc.items.length).toBeGreaterThanOrEqual(10);
  });

  it("leaves the demo accounts a few unread notifications, topic follows and one report to moderate", async () => {
    for (const entry of SEED_DEMO_FOLLOWS) {
      const reader = await readerOf(entry.follower);
      const unread = await prisma.notification.findMany({
        where: { userId: reader.id, readAt: null },
        select: { type: true, url: true },
      });
      expect(unread.length, entry.follower).toBeGreaterThanOrEqual(1);
      expect(unread.length, entry.follower).toBeLessThanOrEqual(3);
      for (const n of unread)
        expect(["post.mentioned", "comment.mentioned", "comment.replied", "post.reacted"]).toContain(n.type);
      expect(await prisma.follow.count({ where: { followerId: reader.id, targetType: "topic" } })).toBe(
        entry.topics.length,
      );
    }
    const queue = await moderationQueue(await readerOf("GE-106512"));
    expect(queue.map((item) => item.postId)).toContain(SEED_REPORT.post);
  });
});
