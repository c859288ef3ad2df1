/**
 * What the moderation page and the navigation need beside the queue itself (moderation.server.ts): the
 * number of items waiting (the badge), the decision history of handled reports, and which links on the
 * page the moderator can actually open.
 *
 * Moderators see reported content from any place, as in the queue: they already decided on it, and a
 * history without the content would not let a second moderator check the decision. Everything else (the
 * post's page, the place's page) stays behind the ordinary policy, so links are only offered when
 * canSeePost / canSeePlace say the moderator may follow them.
 */
import { prisma } from "~/db.server";
import { type Prisma, type ReportStatus } from "~/generated/prisma/client";
import { type Reader } from "~/modules/circulars/policy.server";
import { commentPath, personPath, placePath, postPath, renderBodyHtml, storedDocument } from "./content";
import { canModerate, canSeePlace, canSeePost, streamReaderOf } from "./policy.server";
import { decodeCursor, encodeCursor, type PersonRef } from "./posts.server";

/** Handled reports per page of the history. */
export const HISTORY_PAGE_SIZE = 25;

/**
 * How many items (posts or comments, not reports: three reports on one post are one item to judge) wait
 * in the moderation queue. Deleted items do not count, as the queue leaves them out. Zero for anyone who
 * does not moderate, so the navigation can ask for every signed-in person.
 */
export async function openReportCount(reader: Pick<Reader, "roles">): Promise<number> {
  if (!canModerate(reader)) return 0;
  const [row] = await prisma.$queryRaw<[{ count: number }]>`
    SELECT COUNT(DISTINCT (r."postId", COALESCE(r."commentId", '')))::int AS "count"
    FROM "PostReport" r
    JOIN "Post" p ON p."id" = r."postId" AND p."deletedAt" IS NULL
    LEFT JOIN "Comment" c ON c."id" = r."commentId"
    WHERE r."status" = 'open'::"ReportStatus"
      AND (r."commentId" IS NULL OR c."deletedAt" IS NULL)`;
  return row?.count ?? 0;
}

export type DecidedStatus = Exclude<ReportStatus, "open">;

/** One decision: the reports it settled together, the item and who decided what, and why. */
export type Decision = {
  /** Stable for the page: the first report's id. */
  key: string;
  status: DecidedStatus;
  decidedAt: string;
  decidedBy: { id: string; displayName: string; url: string } | null;
  /** The reason a hide or restore gave (shown to the author of a hidden item), or a dismissal's note. */
  reason: string | null;
  target: "post" | "comment";
  postId: string;
  commentId: string | null;
  author: PersonRef;
  place: { slug: string; name: string; url: string } | null;
  /** Null once the author deleted the item: nothing left to show. */
  html: string | null;
  deleted: boolean;
  /** The item is hidden now (whatever this decision was), so it can be restored. */
  hiddenNow: boolean;
  reports: { id: string; reason: string; reporter: { id: string; displayName: string }; createdAt: string }[];
};

export type DecisionPage = { items: Decision[]; nextCursor: string | null };

const authorSelect = {
  id: true,
  displayName: true,
  jobTitle: true,
  avatarUrl: true,
} satisfies Prisma.UserSelect;

const decidedSelect = {
  id: true,
  reason: true,
  status: true,
  createdAt: true,
  decidedAt: true,
  decisionReason: true,
  reporter: { select: { id: true, displayName: true } },
  decidedBy: { select: { id: true, displayName: true } },
  post: {
    select: {
      id: true,
      body: true,
      deletedAt: true,
      hiddenAt: true,
      author: { select: authorSelect },
      place: { select: { slug: true, name: true, kind: true } },
    },
  },
  comment: {
    select: { id: true, body: true, deletedAt: true, hiddenAt: true, author: { select: authorSelect } },
  },
} satisfies Prisma.PostReportSelect;

type DecidedRow = Prisma.PostReportGetPayload<{ select: typeof decidedSelect }>;

// Neighbouring rows with the same item, outcome, moderator and reason read as one decision: a hide or
// restore settles all reports of an item in one call, and the page dismisses an item's reports one by one
// with the same note. Neighbours only (the rows are in decision order), so a later, separate decision on the
// same item stays an entry of its own.
function decisionKey(row: DecidedRow): string {
  return JSON.stringify([
    row.comment ? `comment:${row.comment.id}` : `post:${row.post.id}`,
    row.status,
    row.decidedBy?.id ?? "",
    row.decisionReason ?? "",
  ]);
}

function toDecision(row: DecidedRow): Decision {
  const source = row.comment ?? row.post;
  const deleted = Boolean(source.deletedAt) || Boolean(row.post.deletedAt);
  return {
    key: row.id,
    status: row.status as DecidedStatus,
    decidedAt: (row.decidedAt ?? row.createdAt).toISOString(),
    decidedBy: row.decidedBy ? { ...row.decidedBy, url: personPath(row.decidedBy.id) } : null,
    reason: row.decisionReason,
    target: row.comment ? "comment" : "post",
    postId: row.post.id,
    commentId: row.comment?.id ?? null,
    author: { ...source.author, url: personPath(source.author.id) },
    place: row.post.place ? { ...row.post.place, url: placePath(row.post.place) } : null,
    html: deleted ? null : renderBodyHtml(storedDocument(source.body), { linkHashtags: !row.comment }),
    deleted,
    hiddenNow: !deleted && Boolean(source.hiddenAt),
    reports: [],
  };
}

/**
 * The decision history, the latest decision first, a page at a time (keyset on decidedAt, id). The reports
 * one decision settled form one entry (see decisionKey); a page never splits an entry unless one decision
 * alone settled more reports than fit on a page.
 */
export async function decidedReports(
  reader: Reader,
  { cursor = null, limit = HISTORY_PAGE_SIZE }: { cursor?: string | null; limit?: number } = {},
): Promise<DecisionPage> {
  if (!canModerate(reader)) return { items: [], nextCursor: null };
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await prisma.postReport.findMany({
    where: {
      status: { not: "open" },
      decidedAt: { not: null },
      ...(after
        ? {
            OR: [
              { decidedAt: { lt: after.createdAt } },
              { decidedAt: after.createdAt, id: { lt: after.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ decidedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: decidedSelect,
  });
  let page = rows.slice(0, limit);
  const next = rows[limit];
  if (next && page.length > 0 && decisionKey(next) === decisionKey(page.at(-1)!)) {
    // The next page would start inside this page's last decision: end the page before that decision.
    const cut = decisionKey(next);
    const whole = page.filter((row) => decisionKey(row) !== cut);
    if (whole.length > 0) page = whole;
  }
  const decisions: Decision[] = [];
  let currentKey: string | null = null;
  for (const row of page) {
    const key = decisionKey(row);
    if (currentKey !== key) {
      currentKey = key;
      decisions.push(toDecision(row));
    }
    decisions.at(-1)!.reports.push({
      id: row.id,
      reason: row.reason,
      reporter: row.reporter,
      createdAt: row.createdAt.toISOString(),
    });
  }
  const last = page.at(-1);
  const hasMore = rows.length > page.length;
  return {
    items: decisions,
    nextCursor: hasMore && last?.decidedAt ? encodeCursor(last.decidedAt, last.id) : null,
  };
}

/**
 * Of the given posts and place slugs, those whose page the moderator may open under the ordinary policy
 * (a post in a secret place they are not in stays closed to them, even while it is in the queue).
 */
export async function openableLinks(
  reader: Reader,
  postIds: readonly string[],
): Promise<{ postIds: Set<string>; placeSlugs: Set<string> }> {
  const result = { postIds: new Set<string>(), placeSlugs: new Set<string>() };
  if (postIds.length === 0) return result;
  const streamReader = await streamReaderOf(reader);
  const posts = await prisma.post.findMany({
    where: { id: { in: [...new Set(postIds)] } },
    select: {
      id: true,
      authorId: true,
      audience: true,
      deletedAt: true,
      hiddenAt: true,
      place: { select: { id: true, slug: true, visibility: true } },
    },
  });
  for (const post of posts) {
    if (canSeePost(streamReader, post)) result.postIds.add(post.id);
    if (post.place && canSeePlace(streamReader, post.place)) result.placeSlugs.add(post.place.slug);
  }
  return result;
}

/** The link of an item in the history or queue: the comment's anchor on its post, or the post. */
export function itemPath(postId: string, commentId: string | null): string {
  return commentId ? commentPath(postId, commentId) : postPath(postId);
}
