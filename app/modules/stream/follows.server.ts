/**
 * Following people, places (groups and projects) and topics. A follow decides what reaches someone's home
 * stream; it never widens what they may read: the stream still filters every post with visiblePostsWhere.
 *
 * Rules:
 * - a person: any active colleague except yourself; they get a "user.followed" notification (once per pair,
 *   so unfollowing and following again does not notify twice);
 * - a place: only one whose posts you may read (canReadPlace): open places, or places you are a member of.
 *   Following a closed place from outside would show nothing until you join, so we refuse it and let the
 *   join request do the work (approval follows the place). A secret place you are not in answers not_found;
 * - a topic: an existing topic, by slug.
 * Joining a place follows it and leaving unfollows it (places.server.ts uses addFollow/removeFollow), so a
 * member can still unfollow a busy place without leaving it.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { type FollowTarget, type Prisma } from "~/generated/prisma/client";
import { type Reader } from "~/modules/circulars/policy.server";
import { notify } from "~/modules/notifications/notify.server";
import { personPath, topicPath } from "./content";
import { StreamError } from "./errors";
import { canReadPlace, canSeePlace, streamReaderOf } from "./policy.server";

// One set of paths for the whole module (content.ts); these names stay for the callers that use them.

export { personPath as profilePath, topicPath };

const IdSchema = z.string().trim().min(1, "an id is required").max(64, "an id has at most 64 characters");
const SlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "a slug is required")
  .max(120, "a slug has at most 120 characters");

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => issue.message);
  throw new StreamError("invalid_input", issues.join("; "), issues);
}

/** Records a follow inside the caller's transaction; returns whether it is new. */
export async function addFollow(
  tx: Prisma.TransactionClient,
  followerId: string,
  targetType: FollowTarget,
  targetId: string,
): Promise<boolean> {
  const { count } = await tx.follow.createMany({
    data: [{ followerId, targetType, targetId }],
    skipDuplicates: true,
  });
  return count > 0;
}

/** Removes a follow inside the caller's transaction; returns whether there was one. */
export async function removeFollow(
  tx: Prisma.TransactionClient,
  followerId: string,
  targetType: FollowTarget,
  targetId: string,
): Promise<boolean> {
  const { count } = await tx.follow.deleteMany({ where: { followerId, targetType, targetId } });
  return count > 0;
}

type FollowResult = { following: boolean };

/** Follows an active colleague and tells them (once per pair); following twice is harmless. */
export async function followUser(reader: Reader, userId: unknown): Promise<FollowResult> {
  const targetId = parseOrThrow(IdSchema, userId);
  if (targetId === reader.id) throw new StreamError("invalid_input", "You cannot follow yourself");
  return prisma.$transaction(async (tx) => {
    const target = await tx.user.findFirst({
      where: { id: targetId, active: true },
      select: { id: true },
    });
    if (!target) throw new StreamError("not_found", `No active colleague ${targetId}`);
    const created = await addFollow(tx, reader.id, "user", target.id);
    if (created) {
      const follower = await tx.user.findUniqueOrThrow({
        where: { id: reader.id },
        select: { displayName: true },
      });
      await notify(
        {
          userId: target.id,
          type: "user.followed",
          // Shape of "user.followed" in app/modules/notifications/types.ts.
          data: { actorName: follower.displayName, followerId: reader.id },
          url: personPath(reader.id),
          // One notification per pair, ever: unfollow + follow again must not become a way to nag someone.
          dedupeKey: `user.followed:${reader.id}:${target.id}`,
        },
        tx,
      );
    }
    return { following: true };
  });
}

/** Stops following a colleague (also one who has left); unfollowing twice is harmless. */
export async function unfollowUser(reader: Reader, userId: unknown): Promise<FollowResult> {
  const targetId = parseOrThrow(IdSchema, userId);
  await prisma.$transaction((tx) => removeFollow(tx, reader.id, "user", targetId));
  return { following: false };
}

async function visiblePlaceBySlug(tx: Prisma.TransactionClient, reader: Reader, slug: string) {
  const streamReader = await streamReaderOf(reader, tx);
  const place = await tx.place.findUnique({
    where: { slug },
    select: { id: true, visibility: true },
  });
  if (!place || !canSeePlace(streamReader, place)) {
    throw new StreamError("not_found", `No place ${slug}`);
  }
  return { place, streamReader };
}

/** Follows a place whose posts the reader may read (open, or a member); see the module comment. */
export async function followPlace(reader: Reader, slug: unknown): Promise<FollowResult> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const { place, streamReader } = await visiblePlaceBySlug(tx, reader, placeSlug);
    if (!canReadPlace(streamReader, place)) {
      throw new StreamError("forbidden", `Join place ${placeSlug} to follow it: it is ${place.visibility}`);
    }
    await addFollow(tx, reader.id, "place", place.id);
    return { following: true };
  });
}

/** Stops following a place without leaving it. */
export async function unfollowPlace(reader: Reader, slug: unknown): Promise<FollowResult> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const { place } = await visiblePlaceBySlug(tx, reader, placeSlug);
    await removeFollow(tx, reader.id, "place", place.id);
    return { following: false };
  });
}

/** Follows an existing topic by its slug. */
export async function followTopic(reader: Reader, slug: unknown): Promise<FollowResult> {
  const topicSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const topic = await tx.topic.findUnique({ where: { slug: topicSlug }, select: { id: true } });
    if (!topic) throw new StreamError("not_found", `No topic ${topicSlug}`);
    await addFollow(tx, reader.id, "topic", topic.id);
    return { following: true };
  });
}

/** Stops following a topic. */
export async function unfollowTopic(reader: Reader, slug: unknown): Promise<FollowResult> {
  const topicSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const topic = await tx.topic.findUnique({ where: { slug: topicSlug }, select: { id: true } });
    if (!topic) throw new StreamError("not_found", `No topic ${topicSlug}`);
    await removeFollow(tx, reader.id, "topic", topic.id);
    return { following: false };
  });
}

export type FollowingList = {
  users: { id: string; displayName: string; jobTitle: string | null; avatarUrl: string | null }[];
  places: { id: string; slug: string; kind: "group" | "project"; name: string; archived: boolean }[];
  topics: { id: string; slug: string; name: string }[];
};

/** What the reader follows, each list sorted by name; places the reader may no longer see are left out. */
export async function listFollowing(reader: Reader): Promise<FollowingList> {
  const streamReader = await streamReaderOf(reader);
  const follows = await prisma.follow.findMany({
    where: { followerId: reader.id },
    select: { targetType: true, targetId: true },
  });
  const idsOf = (type: FollowTarget) => follows.filter((f) => f.targetType === type).map((f) => f.targetId);
  const [users, places, topics] = await Promise.all([
    prisma.user.findMany({
      where: { id: { in: idsOf("user") }, active: true },
      orderBy: [{ displayName: "asc" }, { id: "asc" }],
      select: { id: true, displayName: true, jobTitle: true, avatarUrl: true },
    }),
    prisma.place.findMany({
      where: { id: { in: idsOf("place") } },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, slug: true, kind: true, name: true, visibility: true, archivedAt: true },
    }),
    prisma.topic.findMany({
      where: { id: { in: idsOf("topic") } },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      select: { id: true, slug: true, name: true },
    }),
  ]);
  return {
    users,
    // A follow row of a place that turned secret is removed with the change; this filter is the safety net.
    places: places
      .filter((place) => canSeePlace(streamReader, place))
      .map((place) => ({
        id: place.id,
        slug: place.slug,
        kind: place.kind,
        name: place.name,
        archived: place.archivedAt !== null,
      })),
    topics,
  };
}

export type FollowTargetRef =
  { type: "user"; id: string } | { type: "place"; slug: string } | { type: "topic"; slug: string };

export type FollowCounts = {
  /** How many people follow the target. */
  followers: number;
  /** For a person: how many colleagues they follow (places and topics are not counted: secret places). */
  followingUsers?: number;
  /** Whether the reader follows the target. */
  followedByReader: boolean;
};

/** Follower counts of a person, place or topic, and whether the reader follows it. */
export async function followCounts(reader: Reader, target: FollowTargetRef): Promise<FollowCounts> {
  if (target.type === "user") {
    const id = parseOrThrow(IdSchema, target.id);
    const user = await prisma.user.findUnique({ where: { id }, select: { id: true } });
    if (!user) throw new StreamError("not_found", `No colleague ${id}`);
    const [followers, followingUsers, mine] = await Promise.all([
      prisma.follow.count({ where: { targetType: "user", targetId: id, follower: { active: true } } }),
      prisma.follow.count({ where: { followerId: id, targetType: "user" } }),
      prisma.follow.count({ where: { followerId: reader.id, targetType: "user", targetId: id } }),
    ]);
    return { followers, followingUsers, followedByReader: mine > 0 };
  }
  const slug = parseOrThrow(SlugSchema, target.slug);
  let targetId: string;
  if (target.type === "place") {
    const streamReader = await streamReaderOf(reader);
    const place = await prisma.place.findUnique({ where: { slug }, select: { id: true, visibility: true } });
    if (!place || !canSeePlace(streamReader, place)) throw new StreamError("not_found", `No place ${slug}`);
    targetId = place.id;
  } else {
    const topic = await prisma.topic.findUnique({ where: { slug }, select: { id: true } });
    if (!topic) throw new StreamError("not_found", `No topic ${slug}`);
    targetId = topic.id;
  }
  const [followers, mine] = await Promise.all([
    prisma.follow.count({ where: { targetType: target.type, targetId, follower: { active: true } } }),
    prisma.follow.count({ where: { followerId: reader.id, targetType: target.type, targetId } }),
  ]);
  return { followers, followedByReader: mine > 0 };
}

/** Which of these ids the reader follows, to draw follow buttons in a list in one query. */
export async function followedAmong(
  reader: Reader,
  targetType: FollowTarget,
  targetIds: readonly string[],
): Promise<Set<string>> {
  if (targetIds.length === 0) return new Set();
  const rows = await prisma.follow.findMany({
    where: { followerId: reader.id, targetType, targetId: { in: [...new Set(targetIds)] } },
    select: { targetId: true },
  });
  return new Set(rows.map((row) => row.targetId));
}
