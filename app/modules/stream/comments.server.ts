/**
 * Comments on posts, with one reply level: answering a reply joins the same thread (the database refuses a
 * reply to a reply anyway). Only on posts the reader can see, not on hidden posts or in archived places;
 * rate limited per person. Post.commentCount counts the comments readers see (neither deleted nor hidden)
 * and changes in the same transaction as the comment.
 *
 * Notifications, each only to people who can see the post: the post's author (post.commented), the author
 * of the comment answered (comment.replied, instead of post.commented when they are the same person), and
 * people mentioned (comment.mentioned, unless they already got one of the other two).
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { type Reader } from "~/modules/circulars/policy.server";
import { type KnownNotificationInput } from "~/modules/notifications/notify.server";
import { RATE_LIMITS } from "~/utils/rate-limit.server";
import { COMMENT_LIMITS, commentPath, EMPTY_DOCUMENT, mentionedUserIds, storedDocument } from "./content";
import { StreamError } from "./errors";
import { canModerate, streamReaderOf, type StreamReader } from "./policy.server";
import {
  commentThreads,
  DEFAULT_COMMENT_LIMIT,
  idOrNotFound,
  notifyAboutPost,
  parseInput,
  prepareBody,
  requireInteractive,
  requireRateLimit,
  requireVisiblePost,
  type CommentThread,
  type Db,
  type PostAccess,
  type Recipient,
} from "./posts.server";

const BodyFields = { body: z.unknown().optional(), plainText: z.unknown().optional() };
const CommentInputSchema = z.object({ parentId: z.string().min(1).max(64).nullish(), ...BodyFields });
const EditCommentSchema = z.object(BodyFields);

export type WrittenComment = {
  id: string;
  postId: string;
  url: string;
  /** People mentioned who were not notified because they cannot see the post. */
  unnotifiedMentions: Recipient[];
};

const commentAccessSelect = {
  id: true,
  postId: true,
  parentId: true,
  authorId: true,
  body: true,
  deletedAt: true,
  hiddenAt: true,
} satisfies Prisma.CommentSelect;

type CommentAccess = Prisma.CommentGetPayload<{ select: typeof commentAccessSelect }>;

/**
 * Loads a comment the reader may see on a post they may see, or `not_found`: deleted comments, and hidden
 * ones that are not theirs (unless they moderate), do not exist for them.
 */
export async function requireVisibleComment(
  db: Db,
  reader: StreamReader,
  commentId: unknown,
): Promise<{ comment: CommentAccess; post: PostAccess }> {
  const id = idOrNotFound(commentId, "Comment");
  const comment = await db.comment.findUnique({ where: { id }, select: commentAccessSelect });
  const hiddenFromReader = comment?.hiddenAt && comment.authorId !== reader.id && !canModerate(reader);
  if (!comment || comment.deletedAt || hiddenFromReader) {
    throw new StreamError("not_found", `Comment ${id} does not exist`);
  }
  try {
    return { comment, post: await requireVisiblePost(db, reader, comment.postId) };
  } catch (error) {
    if (error instanceof StreamError) throw new StreamError("not_found", `Comment ${id} does not exist`);
    throw error;
  }
}

async function actor(db: Db, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { displayName: true } });
  return user?.displayName ?? "";
}

function placeData(post: PostAccess): { placeName?: string } {
  return post.place ? { placeName: post.place.name } : {};
}

/**
 * Comments on a post, or answers a comment (`parentId`): input `{ parentId?, body | plainText }`.
 * Answering a reply answers its thread.
 */
export async function addComment(reader: Reader, postId: unknown, input: unknown): Promise<WrittenComment> {
  const { parentId, ...bodyInput } = parseInput(CommentInputSchema, input);
  const body = await prepareBody(bodyInput, { limits: COMMENT_LIMITS });
  await requireRateLimit(RATE_LIMITS.streamComment, reader.id, "comments");
  return prisma.$transaction(async (tx) => {
    const streamReader = await streamReaderOf(reader, tx);
    const post = await requireVisiblePost(tx, streamReader, postId);
    requireInteractive(post);
    let answered: CommentAccess | null = null;
    if (parentId) {
      answered = (await requireVisibleComment(tx, streamReader, parentId)).comment;
      if (answered.postId !== post.id)
        throw new StreamError("not_found", `Comment ${parentId} does not exist`);
      if (answered.hiddenAt) throw new StreamError("invalid_state", `Comment ${parentId} is hidden`);
    }
    const comment = await tx.comment.create({
      data: {
        postId: post.id,
        authorId: reader.id,
        // One reply level: a reply to a reply joins the thread of the comment it answers.
        parentId: answered ? (answered.parentId ?? answered.id) : null,
        body: body.document as unknown as Prisma.InputJsonObject,
        text: body.text,
      },
      select: { id: true },
    });
    await tx.post.update({ where: { id: post.id }, data: { commentCount: { increment: 1 } } });

    const actorName = await actor(tx, reader.id);
    const url = commentPath(post.id, comment.id);
    const build =
      (type: "post.commented" | "comment.replied" | "comment.mentioned") =>
      (userId: string): KnownNotificationInput => ({
        userId,
        type,
        data: { actorName, ...placeData(post) },
        url,
        dedupeKey: `${type}:${comment.id}:${userId}`,
      });
    const alreadyTold = new Set<string>();
    if (answered) {
      const { notified } = await notifyAboutPost(
        tx,
        post,
        reader.id,
        [answered.authorId],
        build("comment.replied"),
      );
      notified.forEach((id) => alreadyTold.add(id));
    }
    if (!answered || answered.authorId !== post.authorId) {
      const { notified } = await notifyAboutPost(
        tx,
        post,
        reader.id,
        [post.authorId],
        build("post.commented"),
      );
      notified.forEach((id) => alreadyTold.add(id));
    }
    const { unreachable } = await notifyAboutPost(
      tx,
      post,
      reader.id,
      body.mentioned.map((user) => user.id).filter((id) => !alreadyTold.has(id)),
      build("comment.mentioned"),
    );
    return { id: comment.id, postId: post.id, url, unnotifiedMentions: unreachable };
  });
}

/** Loads the reader's own comment for a change: not_found when invisible, forbidden when someone else's. */
async function requireOwnComment(db: Db, reader: Reader, commentId: unknown) {
  const streamReader = await streamReaderOf(reader, db);
  const found = await requireVisibleComment(db, streamReader, commentId);
  if (found.comment.authorId !== reader.id) {
    throw new StreamError("forbidden", `Only the author changes comment ${found.comment.id}`);
  }
  // Serialises concurrent edits and deletes of this comment.
  await db.$queryRaw`SELECT 1 FROM "Comment" WHERE "id" = ${found.comment.id} FOR UPDATE`;
  return found;
}

/** Edits the reader's own comment (marked edited); only people newly mentioned are notified. */
export async function editComment(
  reader: Reader,
  commentId: unknown,
  input: unknown,
): Promise<WrittenComment> {
  const bodyInput = parseInput(EditCommentSchema, input);
  const body = await prepareBody(bodyInput, { limits: COMMENT_LIMITS });
  return prisma.$transaction(async (tx) => {
    const { comment, post } = await requireOwnComment(tx, reader, commentId);
    requireInteractive(post);
    await tx.comment.update({
      where: { id: comment.id },
      data: {
        body: body.document as unknown as Prisma.InputJsonObject,
        text: body.text,
        editedAt: new Date(),
      },
    });
    const before = new Set(mentionedUserIds(storedDocument(comment.body)));
    const actorName = await actor(tx, reader.id);
    const url = commentPath(post.id, comment.id);
    const { unreachable } = await notifyAboutPost(
      tx,
      post,
      reader.id,
      body.mentioned.map((user) => user.id).filter((id) => !before.has(id)),
      (userId) => ({
        userId,
        type: "comment.mentioned",
        data: { actorName, ...placeData(post) },
        url,
        dedupeKey: `comment.mentioned:${comment.id}:${userId}`,
      }),
    );
    return { id: comment.id, postId: post.id, url, unnotifiedMentions: unreachable };
  });
}

/**
 * Deletes the reader's own comment: the row stays (replies keep their thread) but its content is removed.
 * Allowed in archived places too: taking back what one wrote stays possible on every post one can see.
 */
export async function deleteComment(reader: Reader, commentId: unknown): Promise<{ deleted: true }> {
  return prisma.$transaction(async (tx) => {
    const { comment, post } = await requireOwnComment(tx, reader, commentId);
    await tx.comment.update({
      where: { id: comment.id },
      data: { deletedAt: new Date(), body: EMPTY_DOCUMENT as unknown as Prisma.InputJsonObject, text: "" },
    });
    // A hidden comment was already taken out of the count when it was hidden.
    if (!comment.hiddenAt) {
      await tx.post.update({ where: { id: post.id }, data: { commentCount: { decrement: 1 } } });
    }
    return { deleted: true as const };
  });
}

/** A page of a post's comment threads after `cursor` (from getPostView or a previous page). */
export async function listComments(
  reader: Reader,
  postId: unknown,
  { cursor, limit = DEFAULT_COMMENT_LIMIT }: { cursor?: string | null; limit?: number } = {},
): Promise<{ threads: CommentThread[]; nextCursor: string | null }> {
  const streamReader = await streamReaderOf(reader);
  const post = await requireVisiblePost(prisma, streamReader, postId);
  return commentThreads(streamReader, post, { cursor, limit });
}
