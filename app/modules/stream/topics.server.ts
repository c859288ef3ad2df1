/**
 * Topic pages and popular topics. Topics are created by posts (a #hashtag becomes a Topic whose slug is the
 * normalised tag); this module only reads them. Every count goes through visiblePostsWhere: a topic used
 * only in a secret group must not look popular, or even used, to someone outside that group.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { type Reader } from "~/modules/circulars/policy.server";
import { StreamError } from "./errors";
import { topicPath } from "./follows.server";
import { streamReaderOf, visiblePostsWhere } from "./policy.server";

export const POPULAR_TOPICS_DAYS = 30;
export const POPULAR_TOPICS_LIMIT = 10;

const TopicSlugSchema = z
  .string()
  .trim()
  // Links carry the slug; someone typing "#Gentse Feesten"-style tags in the address bar still arrives.
  .transform((value) => value.replace(/^#/, "").toLowerCase())
  .pipe(z.string().min(1, "a topic is required").max(100, "a topic has at most 100 characters"));

export const PopularTopicsSchema = z.object({
  days: z.number().int().min(1).max(365).default(POPULAR_TOPICS_DAYS),
  limit: z.number().int().min(1).max(50).default(POPULAR_TOPICS_LIMIT),
});

export type TopicView = {
  topic: { id: string; slug: string; name: string; path: string };
  /** Posts with this topic that the reader may see. */
  postCount: number;
  followerCount: number;
  following: boolean;
};

/** A topic page's header: the topic, how many visible posts carry it, its followers; not_found if unknown. */
export async function getTopic(reader: Reader, slug: unknown): Promise<TopicView> {
  const parsed = TopicSlugSchema.safeParse(slug);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => issue.message);
    throw new StreamError("invalid_input", issues.join("; "), issues);
  }
  const topic = await prisma.topic.findUnique({
    where: { slug: parsed.data },
    select: { id: true, slug: true, name: true },
  });
  if (!topic) throw new StreamError("not_found", `No topic ${parsed.data}`);
  const streamReader = await streamReaderOf(reader);
  const [postCount, followerCount, mine] = await Promise.all([
    prisma.post.count({
      where: { AND: [visiblePostsWhere(streamReader), { topics: { some: { topicId: topic.id } } }] },
    }),
    prisma.follow.count({ where: { targetType: "topic", targetId: topic.id, follower: { active: true } } }),
    prisma.follow.count({ where: { followerId: reader.id, targetType: "topic", targetId: topic.id } }),
  ]);
  return {
    topic: { ...topic, path: topicPath(topic.slug) },
    postCount,
    followerCount,
    following: mine > 0,
  };
}

export type PopularTopic = { id: string; slug: string; name: string; path: string; postCount: number };

/**
 * The topics with the most posts in the last `days` days (30 by default) among the posts the reader may
 * see, most used first, ties by name.
 */
export async function popularTopics(
  reader: Reader,
  options: z.input<typeof PopularTopicsSchema> = {},
  now: Date = new Date(),
): Promise<PopularTopic[]> {
  const parsed = PopularTopicsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => issue.message);
    throw new StreamError("invalid_input", issues.join("; "), issues);
  }
  const { days, limit } = parsed.data;
  const since = new Date(now.getTime() - days * 24 * 3600_000);
  const streamReader = await streamReaderOf(reader);
  // PostTopic.createdAt copies the post's, so the time window is one index range on PostTopic.
  const groups = await prisma.postTopic.groupBy({
    by: ["topicId"],
    where: { createdAt: { gte: since, lte: now }, post: visiblePostsWhere(streamReader) },
    _count: { _all: true },
    orderBy: [{ _count: { topicId: "desc" } }, { topicId: "asc" }],
    // A few extra, so ties at the cut are decided by name below, not by id.
    take: limit * 2,
  });
  if (groups.length === 0) return [];
  const topics = await prisma.topic.findMany({
    where: { id: { in: groups.map((group) => group.topicId) } },
    select: { id: true, slug: true, name: true },
  });
  const counts = new Map(groups.map((group) => [group.topicId, group._count._all]));
  return topics
    .map((topic) => ({ ...topic, path: topicPath(topic.slug), postCount: counts.get(topic.id) ?? 0 }))
    .sort((a, b) => b.postCount - a.postCount || a.name.localeCompare(b.name, "nl"))
    .slice(0, limit);
}
