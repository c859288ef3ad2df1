/**
 * Reactions: one per person and post, from a small set; setting another type changes it, null removes it.
 * Only on posts the reader can see, not on hidden posts or in archived places. Post.reactionCount changes in
 * the same transaction, counted from what the statements really did, so concurrent clicks keep it exact.
 * The author hears about reactions at most once per post per hour (post.reacted, with the first reactor).
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { type ReactionType } from "~/generated/prisma/client";
import { type Reader } from "~/modules/circulars/policy.server";
import { personPath, postPath } from "./content";
import { streamReaderOf } from "./policy.server";
import {
  notifyAboutPost,
  parseInput,
  REACTION_TYPES,
  requireInteractive,
  requireVisiblePost,
  type PersonRef,
} from "./posts.server";

const ReactionInputSchema = z.enum(REACTION_TYPES, { error: "unknown reaction type" }).nullable();

export type ReactionSummary = {
  total: number;
  byType: Record<ReactionType, number>;
  myReaction: ReactionType | null;
};

const HOUR = 3_600_000;

/**
 * Sets (or with null removes) the reader's reaction on a post; returns the post's counts afterwards.
 * Only a new reaction notifies the author, not a change of type.
 */
export async function setReaction(reader: Reader, postId: unknown, type: unknown): Promise<ReactionSummary> {
  const reaction = parseInput(ReactionInputSchema, type);
  return prisma.$transaction(async (tx) => {
    const streamReader = await streamReaderOf(reader, tx);
    const post = await requireVisiblePost(tx, streamReader, postId);
    requireInteractive(post);
    const key = { postId: post.id, userId: reader.id };
    if (reaction === null) {
      const { count } = await tx.reaction.deleteMany({ where: key });
      if (count > 0)
        await tx.post.update({ where: { id: post.id }, data: { reactionCount: { decrement: count } } });
    } else {
      const { count } = await tx.reaction.createMany({
        data: [{ ...key, type: reaction }],
        skipDuplicates: true,
      });
      if (count === 0) {
        await tx.reaction.updateMany({
          where: { ...key, type: { not: reaction } },
          data: { type: reaction },
        });
      } else {
        await tx.post.update({ where: { id: post.id }, data: { reactionCount: { increment: 1 } } });
        const actor = await tx.user.findUnique({ where: { id: reader.id }, select: { displayName: true } });
        const hour = Math.floor(Date.now() / HOUR);
        await notifyAboutPost(tx, post, reader.id, [post.authorId], (userId) => ({
          userId,
          type: "post.reacted",
          data: {
            actorName: actor?.displayName ?? "",
            reaction,
            ...(post.place ? { placeName: post.place.name } : {}),
          },
          url: postPath(post.id),
          // At most one per post per clock hour, whoever reacts.
          dedupeKey: `post.reacted:${post.id}:${hour}`,
        }));
      }
    }
    return summarise(tx, post.id, reader.id);
  });
}

/** Removes the reader's reaction, if any. */
export async function removeReaction(reader: Reader, postId: unknown): Promise<ReactionSummary> {
  return setReaction(reader, postId, null);
}

async function summarise(
  db: Pick<typeof prisma, "reaction">,
  postId: string,
  userId: string,
): Promise<ReactionSummary> {
  // One after the other: inside a transaction both run on the same connection.
  const rows = await db.reaction.groupBy({ by: ["type"], where: { postId }, _count: { _all: true } });
  const mine = await db.reaction.findUnique({
    where: { postId_userId: { postId, userId } },
    select: { type: true },
  });
  const byType = Object.fromEntries(REACTION_TYPES.map((t) => [t, 0])) as Record<ReactionType, number>;
  for (const row of rows) byType[row.type] = row._count._all;
  return {
    total: Object.values(byType).reduce((sum, n) => sum + n, 0),
    byType,
    myReaction: mine?.type ?? null,
  };
}

/** The reaction counts of a post the reader can see, and their own reaction. */
export async function reactionSummary(reader: Reader, postId: unknown): Promise<ReactionSummary> {
  const streamReader = await streamReaderOf(reader);
  const post = await requireVisiblePost(prisma, streamReader, postId);
  return summarise(prisma, post.id, reader.id);
}

/** Who reacted to a post the reader can see (newest first, at most `limit`), optionally of one type. */
export async function listReactors(
  reader: Reader,
  postId: unknown,
  { type, limit = 100 }: { type?: unknown; limit?: number } = {},
): Promise<{ person: PersonRef; type: ReactionType }[]> {
  const only = type === undefined ? undefined : parseInput(z.enum(REACTION_TYPES), type);
  const streamReader = await streamReaderOf(reader);
  const post = await requireVisiblePost(prisma, streamReader, postId);
  const rows = await prisma.reaction.findMany({
    where: { postId: post.id, ...(only ? { type: only } : {}), user: { active: true } },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(1, Math.trunc(limit)), 500),
    select: {
      type: true,
      user: { select: { id: true, displayName: true, jobTitle: true, avatarUrl: true } },
    },
  });
  return rows.map((row) => ({ type: row.type, person: { ...row.user, url: personPath(row.user.id) } }));
}
