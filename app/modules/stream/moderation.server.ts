/**
 * Moderation: anyone reports a post or comment they can see (a reason of 5-500 characters, one open report
 * per reporter and item); moderators (canModerate: communicators) work through the queue, hide or restore
 * an item with a reason (the author sees it on their post and gets a notification), or dismiss a report.
 *
 * The queue shows moderators the reported content even from closed or secret places they are not in: a
 * member who reports brings it to the moderators on purpose, and nobody can judge what they cannot read.
 * Nothing else widens: the post itself stays invisible to them in streams and on its page unless hidden.
 */
import { z } from "zod";
import { prisma } from "~/db.server";
import { type Prisma, type ReportStatus } from "~/generated/prisma/client";
import { type Reader } from "~/modules/circulars/policy.server";
import { notify } from "~/modules/notifications/notify.server";
import { RATE_LIMITS } from "~/utils/rate-limit.server";
import { commentPath, personPath, placePath, postPath, renderBodyHtml, storedDocument } from "./content";
import { requireVisibleComment } from "./comments.server";
import { enqueueSearchIndex } from "../../../search/queue.server";
import { StreamError } from "./errors";
import { canModerate, streamReaderOf } from "./policy.server";
import {
  idOrNotFound,
  lockPost,
  parseInput,
  requireRateLimit,
  requireVisiblePost,
  type Db,
  type PersonRef,
} from "./posts.server";

export const REASON_MIN = 5;
export const REASON_MAX = 500;

const ReasonSchema = z
  .string({ error: "a reason is required" })
  .trim()
  .min(REASON_MIN, `a reason has at least ${REASON_MIN} characters`)
  .max(REASON_MAX, `a reason has at most ${REASON_MAX} characters`);

const ReportInputSchema = z.object({
  postId: z.string().min(1).max(64),
  commentId: z.string().min(1).max(64).nullish(),
  reason: ReasonSchema,
});

function requireModerator(reader: Reader): void {
  if (!canModerate(reader)) throw new StreamError("forbidden", "Only moderators do this");
}

/**
 * Reports a post, or a comment on it, that the reader can see and did not write. A second open report by
 * the same person on the same item is a `conflict`; rate limited per person.
 */
export async function reportContent(reader: Reader, input: unknown): Promise<{ id: string }> {
  const { postId, commentId, reason } = parseInput(ReportInputSchema, input);
  await requireRateLimit(RATE_LIMITS.streamReport, reader.id, "reports");
  return prisma.$transaction(async (tx) => {
    const streamReader = await streamReaderOf(reader, tx);
    const post = await requireVisiblePost(tx, streamReader, postId);
    let authorId = post.authorId;
    if (commentId) {
      const { comment } = await requireVisibleComment(tx, streamReader, commentId);
      if (comment.postId !== post.id)
        throw new StreamError("not_found", `Comment ${commentId} does not exist`);
      if (comment.hiddenAt) throw new StreamError("invalid_state", `Comment ${commentId} is already hidden`);
      authorId = comment.authorId;
    } else if (post.hiddenAt) {
      throw new StreamError("invalid_state", `Post ${post.id} is already hidden`);
    }
    if (authorId === reader.id) throw new StreamError("forbidden", "You cannot report what you wrote");
    // No unique index can say "one *open* report": serialise this reporter's reports on this item instead.
    const lockKey = `stream.report:${reader.id}:${post.id}:${commentId ?? ""}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`;
    const open = await tx.postReport.findFirst({
      where: { reporterId: reader.id, postId: post.id, commentId: commentId ?? null, status: "open" },
      select: { id: true },
    });
    if (open) throw new StreamError("conflict", "You already reported this; a moderator will look at it");
    return tx.postReport.create({
      data: { postId: post.id, commentId: commentId ?? null, reporterId: reader.id, reason },
      select: { id: true },
    });
  });
}

export type QueueItem = {
  /** "post:<id>" or "comment:<id>", stable for the page. */
  key: string;
  target: "post" | "comment";
  postId: string;
  commentId: string | null;
  url: string;
  author: PersonRef;
  place: { slug: string; name: string; url: string } | null;
  html: string;
  createdAt: string;
  hidden: { at: string; reason: string } | null;
  reports: { id: string; reason: string; reporter: { id: string; displayName: string }; createdAt: string }[];
  firstReportedAt: string;
};

const personSelect = {
  id: true,
  displayName: true,
  jobTitle: true,
  avatarUrl: true,
} satisfies Prisma.UserSelect;
const QUEUE_SCAN = 500;

/**
 * The moderation queue: items with open reports, the longest-waiting first, each with all its open
 * reports. Deleted items drop out (their authors took them back). At most `limit` items.
 */
export async function moderationQueue(
  reader: Reader,
  { limit = 50 }: { limit?: number } = {},
): Promise<QueueItem[]> {
  requireModerator(reader);
  const reports = await prisma.postReport.findMany({
    where: {
      status: "open",
      post: { deletedAt: null },
      OR: [{ commentId: null }, { comment: { deletedAt: null } }],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: QUEUE_SCAN,
    select: {
      id: true,
      reason: true,
      createdAt: true,
      reporter: { select: { id: true, displayName: true } },
      post: {
        select: {
          id: true,
          body: true,
          createdAt: true,
          hiddenAt: true,
          hiddenReason: true,
          author: { select: personSelect },
          place: { select: { slug: true, name: true, kind: true } },
        },
      },
      comment: {
        select: {
          id: true,
          body: true,
          createdAt: true,
          hiddenAt: true,
          hiddenReason: true,
          author: { select: personSelect },
        },
      },
    },
  });
  const items = new Map<string, QueueItem>();
  for (const report of reports) {
    const { post, comment } = report;
    const key = comment ? `comment:${comment.id}` : `post:${post.id}`;
    let item = items.get(key);
    if (!item) {
      if (items.size >= limit) continue;
      const source = comment ?? post;
      item = {
        key,
        target: comment ? "comment" : "post",
        postId: post.id,
        commentId: comment?.id ?? null,
        url: comment ? commentPath(post.id, comment.id) : postPath(post.id),
        author: { ...source.author, url: personPath(source.author.id) },
        place: post.place ? { ...post.place, url: placePath(post.place) } : null,
        html: renderBodyHtml(storedDocument(source.body), { linkHashtags: !comment }),
        createdAt: source.createdAt.toISOString(),
        hidden: source.hiddenAt
          ? { at: source.hiddenAt.toISOString(), reason: source.hiddenReason ?? "" }
          : null,
        reports: [],
        firstReportedAt: report.createdAt.toISOString(),
      };
      items.set(key, item);
    }
    item.reports.push({
      id: report.id,
      reason: report.reason,
      reporter: report.reporter,
      createdAt: report.createdAt.toISOString(),
    });
  }
  return [...items.values()];
}

async function decideReports(
  db: Db,
  where: Prisma.PostReportWhereInput,
  statuses: ReportStatus[],
  decision: { status: ReportStatus; reason: string | null; moderatorId: string },
): Promise<number> {
  const { count } = await db.postReport.updateMany({
    where: { ...where, status: { in: statuses } },
    data: {
      status: decision.status,
      decisionReason: decision.reason,
      decidedById: decision.moderatorId,
      decidedAt: new Date(),
    },
  });
  return count;
}

async function requireExistingPost(db: Db, postId: unknown) {
  const id = idOrNotFound(postId, "Post");
  const post = await db.post.findUnique({
    where: { id },
    select: { id: true, authorId: true, audience: true, deletedAt: true, hiddenAt: true },
  });
  if (!post || post.deletedAt) throw new StreamError("not_found", `Post ${id} does not exist`);
  await lockPost(db, post.id);
  return post;
}

/** Hides a post with a reason (moderators); its open reports are decided, its author is told why. */
export async function hidePost(reader: Reader, postId: unknown, reason: unknown): Promise<{ hidden: true }> {
  requireModerator(reader);
  const why = parseInput(ReasonSchema, reason);
  return prisma.$transaction(async (tx) => {
    const post = await requireExistingPost(tx, postId);
    if (post.hiddenAt) throw new StreamError("invalid_state", `Post ${post.id} is already hidden`);
    const hiddenAt = new Date();
    await tx.post.update({
      where: { id: post.id },
      data: { hiddenAt, hiddenById: reader.id, hiddenReason: why },
    });
    await enqueueSearchIndex(tx, "post", [post.id]);
    await decideReports(tx, { postId: post.id, commentId: null }, ["open"], {
      status: "hidden",
      reason: why,
      moderatorId: reader.id,
    });
    // The author still sees a hidden post (with the reason), so the link works for them.
    await notify(
      {
        userId: post.authorId,
        type: "post.hidden",
        data: { reason: why },
        url: postPath(post.id),
        dedupeKey: `post.hidden:${post.id}:${hiddenAt.getTime()}`,
      },
      tx,
    );
    return { hidden: true as const };
  });
}

/** Restores a hidden post with a reason (moderators); its reports are marked restored with that reason. */
export async function restorePost(
  reader: Reader,
  postId: unknown,
  reason: unknown,
): Promise<{ restored: true }> {
  requireModerator(reader);
  const why = parseInput(ReasonSchema, reason);
  return prisma.$transaction(async (tx) => {
    const post = await requireExistingPost(tx, postId);
    if (!post.hiddenAt) throw new StreamError("invalid_state", `Post ${post.id} is not hidden`);
    await tx.post.update({
      where: { id: post.id },
      data: { hiddenAt: null, hiddenById: null, hiddenReason: null },
    });
    await enqueueSearchIndex(tx, "post", [post.id]);
    await decideReports(tx, { postId: post.id, commentId: null }, ["open", "hidden"], {
      status: "restored",
      reason: why,
      moderatorId: reader.id,
    });
    return { restored: true as const };
  });
}

async function requireExistingComment(db: Db, commentId: unknown) {
  const id = idOrNotFound(commentId, "Comment");
  const comment = await db.comment.findUnique({
    where: { id },
    select: {
      id: true,
      postId: true,
      authorId: true,
      deletedAt: true,
      hiddenAt: true,
      post: { select: { authorId: true, audience: true, deletedAt: true, hiddenAt: true } },
    },
  });
  if (!comment || comment.deletedAt || comment.post.deletedAt) {
    throw new StreamError("not_found", `Comment ${id} does not exist`);
  }
  // The post's row lock serialises this with commentCount changes by comments on the same post.
  await lockPost(db, comment.postId);
  return comment;
}

/** Hides a comment with a reason (moderators): out of the post's count, its author told why. */
export async function hideComment(
  reader: Reader,
  commentId: unknown,
  reason: unknown,
): Promise<{ hidden: true }> {
  requireModerator(reader);
  const why = parseInput(ReasonSchema, reason);
  return prisma.$transaction(async (tx) => {
    const comment = await requireExistingComment(tx, commentId);
    if (comment.hiddenAt) throw new StreamError("invalid_state", `Comment ${comment.id} is already hidden`);
    const hiddenAt = new Date();
    await tx.comment.update({
      where: { id: comment.id },
      data: { hiddenAt, hiddenById: reader.id, hiddenReason: why },
    });
    await tx.post.update({ where: { id: comment.postId }, data: { commentCount: { decrement: 1 } } });
    await decideReports(tx, { commentId: comment.id }, ["open"], {
      status: "hidden",
      reason: why,
      moderatorId: reader.id,
    });
    await notify(
      {
        userId: comment.authorId,
        type: "comment.hidden",
        data: { reason: why },
        url: commentPath(comment.postId, comment.id),
        dedupeKey: `comment.hidden:${comment.id}:${hiddenAt.getTime()}`,
      },
      tx,
    );
    return { hidden: true as const };
  });
}

/** Restores a hidden comment with a reason (moderators). */
export async function restoreComment(
  reader: Reader,
  commentId: unknown,
  reason: unknown,
): Promise<{ restored: true }> {
  requireModerator(reader);
  const why = parseInput(ReasonSchema, reason);
  return prisma.$transaction(async (tx) => {
    const comment = await requireExistingComment(tx, commentId);
    if (!comment.hiddenAt) throw new StreamError("invalid_state", `Comment ${comment.id} is not hidden`);
    await tx.comment.update({
      where: { id: comment.id },
      data: { hiddenAt: null, hiddenById: null, hiddenReason: null },
    });
    await tx.post.update({ where: { id: comment.postId }, data: { commentCount: { increment: 1 } } });
    await decideReports(tx, { commentId: comment.id }, ["open", "hidden"], {
      status: "restored",
      reason: why,
      moderatorId: reader.id,
    });
    return { restored: true as const };
  });
}

/** Dismisses an open report (moderators): the item stays as it is; an optional note is kept. */
export async function dismissReport(
  reader: Reader,
  reportId: unknown,
  note?: unknown,
): Promise<{ dismissed: true }> {
  requireModerator(reader);
  const why = note === undefined || note === null || note === "" ? null : parseInput(ReasonSchema, note);
  const id = idOrNotFound(reportId, "Report");
  const count = await decideReports(prisma, { id }, ["open"], {
    status: "dismissed",
    reason: why,
    moderatorId: reader.id,
  });
  if (count === 0) {
    const exists = await prisma.postReport.findUnique({ where: { id }, select: { id: true } });
    if (!exists) throw new StreamError("not_found", `Report ${id} does not exist`);
    throw new StreamError("invalid_state", `Report ${id} was already decided`);
  }
  return { dismissed: true as const };
}
