/**
 * The streams: home (what a person follows, plus announcements for them), a place, a profile and a topic,
 * and the count behind the "nieuwe berichten" indicator.
 *
 * Every stream is read in two steps:
 * 1. one SQL query picks the ids of the page: a UNION ALL of per-source branches, each walking an index in
 *    (createdAt, id) order with its own LIMIT, so the work is "sources × page size" index entries, never
 *    "every post of everyone I follow" (one big OR over authors, places and topics cannot use any index
 *    order and sorts everything it matches). Each branch carries the visibility rule (`visibilitySql`, the
 *    SQL twin of `visiblePostsWhere`), so a LIMIT never counts posts the reader may not see;
 * 2. Prisma loads those ids with `visiblePostsWhere` as the final gate: if the twin ever drifts from the
 *    policy, a page comes out short, never leaky.
 *
 * Pagination is a keyset on (createdAt, id), newest first, in an opaque cursor signed with the session
 * secret and bound to its stream: new posts land above the cursor, so nothing is skipped or repeated while
 * people post. (A post whose transaction started before a page was read but committed after it can sort
 * below that page's cursor: keyset pagination orders by time written, not by commit; such a post shows on
 * the next refresh.)
 *
 * Plan of the home query, EXPLAIN ANALYZE on PGlite 0.5.16 (PostgreSQL 18) with 150,000 posts by 2,000
 * people in 60 places, the reader following 30 people, 6 places and 4 topics and a member of 3 places
 * (9 ms execution; at these sizes "Follow" is one page, hence its Seq Scan; larger, its primary key
 * (followerId, targetType, targetId) serves the same lookup):
 *
 *   Limit (21 rows)
 *     -> Group (de-duplication by id)  -> Sort (22 rows) -> Append (798 rows)
 *        -> Nested Loop                                          authors: self + followed people
 *             -> HashAggregate -> Append: Result (self), Seq Scan on "Follow"  (31 sources)
 *             -> Limit 21 -> Incremental Sort (presorted createdAt)
 *                  -> Index Scan using "Post_authorId_createdAt_idx"    Index Cond: authorId = src.id
 *                       Filter: deletedAt, audience && keys, hidden, keyset, not pinned   (22 rows/loop)
 *        -> Nested Loop                                          places: followed + member
 *             -> HashAggregate -> Append: Seq Scan on "Follow", Seq Scan on "PlaceMembership"
 *             -> Limit 21 -> Incremental Sort -> Index Scan using "Post_placeId_createdAt_idx"
 *        -> Nested Loop                                          topics
 *             -> Seq Scan on "Follow"
 *             -> Limit 21 -> Incremental Sort -> Nested Loop
 *                  -> Index Scan using "PostTopic_topicId_createdAt_idx" -> Index Scan using "Post_pkey"
 *        -> Limit 21 -> Incremental Sort -> Index Scan using "Post_kind_createdAt_idx"     announcements
 *
 * The later pages add `createdAt <= cursor` to each Index Cond.
 * No branch sorts more than its own LIMIT. The 1,000,000-post figures against PostgreSQL belong to the bench.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { prisma } from "~/db.server";
import { sessionSecrets } from "~/env.server";
import { Prisma, type PlaceKind, type PostKind, type ReactionType } from "~/generated/prisma/client";
import { type Reader } from "~/modules/circulars/policy.server";
import {
  normaliseTopicSlug,
  personPath,
  postPath,
  renderBodyHtml,
  storedDocument,
  topicPath,
} from "./content";
import { StreamError } from "./errors";
import { placePath } from "./places.server";
import { postImagesByPost, type PostImageView } from "./post-images.server";
import {
  canReadPlace,
  canSeePlace,
  canSeePost,
  streamKeysOf,
  streamReaderOf,
  visiblePostsWhere,
  type StreamReader,
} from "./policy.server";

/** Posts per page unless the caller asks for another size. */
export const STREAM_PAGE_SIZE = 20;
/** The largest page a caller may ask for. */
export const STREAM_MAX_PAGE_SIZE = 50;
/** Pinned announcements shown on top of the home stream's first page, newest first. */
export const MAX_PINNED = 5;
/** The "nieuwe berichten" indicator counts up to this many, then says "more". */
export const NEW_POSTS_CAP = 99;

// ---------------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------------

/** Paging options as loaders receive them (search parameters are strings, hence the coercion). */
export const StreamPageSchema = z.object({
  /** The `nextCursor` of the previous page; empty or absent for the first page. */
  cursor: z
    .string()
    .max(600, "the cursor is not valid")
    .nullish()
    .transform((value) => value || null),
  limit: z.coerce
    .number()
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(STREAM_MAX_PAGE_SIZE, `limit must be at most ${STREAM_MAX_PAGE_SIZE}`)
    .default(STREAM_PAGE_SIZE),
});
export type StreamPageInput = z.input<typeof StreamPageSchema>;

const IdSchema = z.string().trim().min(1, "an id is required").max(64, "an id has at most 64 characters");
const TopicSlugSchema = z
  .string()
  .trim()
  .transform((value) => normaliseTopicSlug(value))
  .pipe(z.string().min(1, "a topic is required").max(100, "a topic has at most 100 characters"));

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) =>
    issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  );
  throw new StreamError("invalid_input", issues.join("; "), issues);
}

// ---------------------------------------------------------------------------------------------------
// Cursors
// ---------------------------------------------------------------------------------------------------

type Position = { createdAt: Date; id: string };
type CursorData = Position & { scope: string; pinnedAsOf: Date | null };

const CURSOR_VERSION = 1;
const CursorBodySchema = z.tuple([
  z.literal(CURSOR_VERSION),
  z.string().min(1).max(80),
  z.iso.datetime(),
  z.string().min(1).max(64),
  z.iso.datetime().nullable(),
]);

function cursorSignature(body: string, secret: string): Buffer {
  // A purpose prefix keeps these signatures useless as anything else signed with the session secret.
  return createHmac("sha256", `werkplek:stream-cursor:${secret}`).update(body).digest().subarray(0, 16);
}

/** An opaque, signed cursor for a position in one stream. */
function encodeCursor(data: CursorData): string {
  const body = Buffer.from(
    JSON.stringify([
      CURSOR_VERSION,
      data.scope,
      data.createdAt.toISOString(),
      data.id,
      data.pinnedAsOf?.toISOString() ?? null,
    ]),
  ).toString("base64url");
  const [secret] = sessionSecrets();
  return `${body}.${cursorSignature(body, secret!).toString("base64url")}`;
}

/**
 * The position a cursor names, or `invalid_input` when it was altered, made up, or taken from another
 * stream (a place's cursor on the home stream would silently skip posts).
 */
function decodeCursor(cursor: string, scope: string): CursorData {
  const invalid = () =>
    new StreamError("invalid_input", "the cursor is not valid", ["the cursor is not valid"]);
  const [body, signature, ...rest] = cursor.split(".");
  if (!body || !signature || rest.length > 0) throw invalid();
  const given = Buffer.from(signature, "base64url");
  const signed = sessionSecrets().some((secret) => {
    const expected = cursorSignature(body, secret);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!signed) throw invalid();
  let parsed;
  try {
    parsed = CursorBodySchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
  } catch {
    throw invalid();
  }
  if (!parsed.success || parsed.data[1] !== scope) throw invalid();
  const [, , createdAt, id, pinnedAsOf] = parsed.data;
  return { scope, createdAt: new Date(createdAt), id, pinnedAsOf: pinnedAsOf ? new Date(pinnedAsOf) : null };
}

// ---------------------------------------------------------------------------------------------------
// SQL pieces (alias p = "Post")
// ---------------------------------------------------------------------------------------------------

/** A JavaScript Date as the UTC `timestamp(3)` Prisma stores, whatever the session's time zone. */
function timestampSql(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/**
 * The SQL twin of `visiblePostsWhere`: not deleted, sharing a key with the reader, hidden only for its
 * author. Kept beside the branches so their LIMITs count visible posts only; the Prisma gate re-checks.
 */
function visibilitySql(reader: StreamReader): Prisma.Sql {
  return Prisma.sql`p."deletedAt" IS NULL
    AND p."audience" && ${streamKeysOf(reader)}::text[]
    AND (p."hiddenAt" IS NULL OR p."authorId" = ${reader.id})`;
}

type Window = {
  /** Only posts strictly older than this position (the next page). */
  before?: Position | null;
  /** Only posts strictly newer than this position (counting new posts). */
  after?: Position | null;
  /** Leave out announcements pinned at this moment (they are shown on top instead). */
  pinnedAsOf?: Date | null;
  /** Leave out this author's posts (one's own new posts are not "new" to oneself). */
  excludeAuthorId?: string;
};

/**
 * The window conditions on (createdAt, id). The plain `createdAt <=` / `>=` beside the row comparison is
 * what lets PostgreSQL turn it into an index range on the (source, createdAt) indexes.
 */
function windowSql(window: Window, createdAt: Prisma.Sql, id: Prisma.Sql): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (window.before) {
    const at = timestampSql(window.before.createdAt);
    parts.push(Prisma.sql`${createdAt} <= ${at} AND (${createdAt}, ${id}) < (${at}, ${window.before.id})`);
  }
  if (window.after) {
    const at = timestampSql(window.after.createdAt);
    parts.push(Prisma.sql`${createdAt} >= ${at} AND (${createdAt}, ${id}) > (${at}, ${window.after.id})`);
  }
  if (window.pinnedAsOf) {
    parts.push(
      Prisma.sql`NOT COALESCE(p."kind" = 'announcement' AND p."pinnedUntil" > ${timestampSql(window.pinnedAsOf)}, false)`,
    );
  }
  if (window.excludeAuthorId) parts.push(Prisma.sql`p."authorId" <> ${window.excludeAuthorId}`);
  return parts.length ? Prisma.join(parts, " AND ") : Prisma.sql`TRUE`;
}

const POST_ORDER = Prisma.sql`ORDER BY p."createdAt" DESC, p."id" DESC`;

type Branch = (filter: { visible: Prisma.Sql; window: Window; take: number }) => Prisma.Sql;

/** Posts whose author is one of the ids the source query yields, newest first, per author. */
function byAuthors(source: Prisma.Sql): Branch {
  return ({ visible, window, take }) => Prisma.sql`
    SELECT b."id", b."createdAt" FROM (${source}) AS src("id") CROSS JOIN LATERAL (
      SELECT p."id", p."createdAt" FROM "Post" p
      WHERE p."authorId" = src."id" AND ${visible} AND ${windowSql(window, Prisma.sql`p."createdAt"`, Prisma.sql`p."id"`)}
      ${POST_ORDER} LIMIT ${take}
    ) b`;
}

/** Posts in one of the places the source query yields, newest first, per place. */
function byPlaces(source: Prisma.Sql): Branch {
  return ({ visible, window, take }) => Prisma.sql`
    SELECT b."id", b."createdAt" FROM (${source}) AS src("id") CROSS JOIN LATERAL (
      SELECT p."id", p."createdAt" FROM "Post" p
      WHERE p."placeId" = src."id" AND ${visible} AND ${windowSql(window, Prisma.sql`p."createdAt"`, Prisma.sql`p."id"`)}
      ${POST_ORDER} LIMIT ${take}
    ) b`;
}

/** Posts with one of the topics the source query yields, walking PostTopic's (topicId, createdAt) index. */
function byTopics(source: Prisma.Sql): Branch {
  return ({ visible, window, take }) => Prisma.sql`
    SELECT b."id", b."createdAt" FROM (${source}) AS src("id") CROSS JOIN LATERAL (
      SELECT p."id", p."createdAt" FROM "PostTopic" pt JOIN "Post" p ON p."id" = pt."postId"
      WHERE pt."topicId" = src."id" AND ${visible}
        AND ${windowSql(window, Prisma.sql`pt."createdAt"`, Prisma.sql`pt."postId"`)}
      ORDER BY pt."createdAt" DESC, pt."postId" DESC LIMIT ${take}
    ) b`;
}

/** Announcements the reader is in the audience of (the visibility rule does the audience check). */
const announcements: Branch = ({ visible, window, take }) => Prisma.sql`
  SELECT p."id", p."createdAt" FROM "Post" p
  WHERE p."kind" = 'announcement' AND ${visible} AND ${windowSql(window, Prisma.sql`p."createdAt"`, Prisma.sql`p."id"`)}
  ${POST_ORDER} LIMIT ${take}`;

function homeBranches(reader: StreamReader): Branch[] {
  const followed = (type: "user" | "place" | "topic") =>
    Prisma.sql`SELECT f."targetId" FROM "Follow" f WHERE f."followerId" = ${reader.id} AND f."targetType" = ${type}::"FollowTarget"`;
  return [
    byAuthors(Prisma.sql`SELECT ${reader.id}::text UNION ${followed("user")}`),
    byPlaces(
      Prisma.sql`${followed("place")} UNION SELECT m."placeId" FROM "PlaceMembership" m WHERE m."userId" = ${reader.id}`,
    ),
    byTopics(followed("topic")),
    announcements,
  ];
}

type Row = { id: string; at: string };

/**
 * Runs the branches, merges them newest first and removes duplicates (a followed person's post in a
 * followed place comes from two branches). Returns at most `take` rows; `at` is the exact UTC timestamp.
 */
async function pickPostIds(
  reader: StreamReader,
  branches: Branch[],
  window: Window,
  take: number,
): Promise<Row[]> {
  return prisma.$queryRaw<Row[]>(pickPostIdsSql(reader, branches, window, take));
}

function pickPostIdsSql(reader: StreamReader, branches: Branch[], window: Window, take: number): Prisma.Sql {
  const visible = visibilitySql(reader);
  const union = Prisma.join(
    branches.map((branch) => Prisma.sql`(${branch({ visible, window, take })})`),
    " UNION ALL ",
  );
  return Prisma.sql`
    SELECT s."id", to_char(s."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at"
    FROM (${union}) AS s("id", "createdAt")
    GROUP BY s."id", s."createdAt"
    ORDER BY s."createdAt" DESC, s."id" DESC
    LIMIT ${take}`;
}

/** EXPLAIN ANALYZE of the query that picks the home stream's first page, as text (bench and docs). */
export async function explainHomeStream(reader: Reader, limit = STREAM_PAGE_SIZE): Promise<string> {
  const streamReader = await streamReaderOf(reader);
  const sql = pickPostIdsSql(streamReader, homeBranches(streamReader), { pinnedAsOf: new Date() }, limit + 1);
  const rows = await prisma.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN (ANALYZE, BUFFERS) ${sql}`;
  return rows.map((row) => row["QUERY PLAN"]).join("\n");
}

// ---------------------------------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------------------------------

export type StreamPerson = {
  id: string;
  displayName: string;
  jobTitle: string | null;
  avatarUrl: string | null;
  url: string;
};
export type StreamPlace = { id: string; slug: string; name: string; kind: PlaceKind; url: string };

export type StreamSharedPost =
  | { available: false }
  | {
      available: true;
      id: string;
      url: string;
      kind: PostKind;
      author: StreamPerson;
      place: StreamPlace | null;
      createdAt: string;
      editedAt: string | null;
      text: string;
      html: string;
      /** The original's photos, ordered by position. */
      images: PostImageView[];
    };

/** One post as a stream shows it: plain data, with the body already rendered to safe HTML. */
export type StreamItem = {
  id: string;
  url: string;
  kind: PostKind;
  author: StreamPerson;
  place: StreamPlace | null;
  createdAt: string;
  editedAt: string | null;
  /** A pinned announcement on top of the home stream's first page. */
  pinned: boolean;
  pinnedUntil: string | null;
  counts: { comments: number; reactions: number };
  myReaction: ReactionType | null;
  topics: { slug: string; name: string; url: string }[];
  text: string;
  html: string;
  /** The post's photos, ordered by position. */
  images: PostImageView[];
  /** Only on the author's own post that a moderator hid: shown to them with the reason. */
  hidden: { reason: string } | null;
  /** The original of a share; its content only when the reader may see it. */
  shared: StreamSharedPost | null;
};

export type StreamPage = {
  items: StreamItem[];
  /** The cursor of the next page, or null on the last one. */
  nextCursor: string | null;
  /**
   * The newest post on this page (pinned ones included), for `countNewSince`; keep the first page's.
   * Only the home stream has one.
   */
  newestCursor: string | null;
};

const personSelect = {
  id: true,
  displayName: true,
  jobTitle: true,
  avatarUrl: true,
} satisfies Prisma.UserSelect;
const placeSelect = { id: true, slug: true, name: true, kind: true } satisfies Prisma.PlaceSelect;

const itemSelect = {
  id: true,
  kind: true,
  text: true,
  body: true,
  authorId: true,
  audience: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  hiddenAt: true,
  hiddenReason: true,
  pinnedUntil: true,
  commentCount: true,
  reactionCount: true,
  author: { select: personSelect },
  place: { select: placeSelect },
  topics: { select: { topic: { select: { slug: true, name: true } } }, orderBy: { topic: { slug: "asc" } } },
  sharedPostId: true,
  sharedPost: {
    select: {
      id: true,
      kind: true,
      text: true,
      body: true,
      authorId: true,
      audience: true,
      createdAt: true,
      editedAt: true,
      deletedAt: true,
      hiddenAt: true,
      author: { select: personSelect },
      place: { select: placeSelect },
    },
  },
} satisfies Prisma.PostSelect;

type ItemRow = Prisma.PostGetPayload<{ select: typeof itemSelect }>;

function person(user: ItemRow["author"]): StreamPerson {
  return { ...user, url: personPath(user.id) };
}

function placeOf(place: ItemRow["place"]): StreamPlace | null {
  return place ? { ...place, url: placePath(place) } : null;
}

/** The shared original of a row, when the reader may see it (only then are its content and photos loaded). */
function visibleOriginal(row: ItemRow, reader: StreamReader): NonNullable<ItemRow["sharedPost"]> | null {
  return row.sharedPostId && row.sharedPost && canSeePost(reader, row.sharedPost) ? row.sharedPost : null;
}

function toItem(
  row: ItemRow,
  reader: StreamReader,
  myReaction: ReactionType | null,
  images: ReadonlyMap<string, PostImageView[]>,
  now: Date,
): StreamItem {
  const original = visibleOriginal(row, reader);
  const shared: StreamSharedPost | null = !row.sharedPostId
    ? null
    : original
      ? {
          available: true,
          id: original.id,
          url: postPath(original.id),
          kind: original.kind,
          author: person(original.author),
          place: placeOf(original.place),
          createdAt: original.createdAt.toISOString(),
          editedAt: original.editedAt?.toISOString() ?? null,
          text: original.text,
          html: renderBodyHtml(storedDocument(original.body)),
          images: images.get(original.id) ?? [],
        }
      : { available: false };
  return {
    id: row.id,
    url: postPath(row.id),
    kind: row.kind,
    author: person(row.author),
    place: placeOf(row.place),
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    pinned: row.kind === "announcement" && row.pinnedUntil !== null && row.pinnedUntil > now,
    pinnedUntil: row.pinnedUntil?.toISOString() ?? null,
    counts: { comments: row.commentCount, reactions: row.reactionCount },
    myReaction,
    topics: row.topics.map(({ topic }) => ({ ...topic, url: topicPath(topic.slug) })),
    text: row.text,
    html: renderBodyHtml(storedDocument(row.body)),
    images: images.get(row.id) ?? [],
    hidden: row.hiddenAt ? { reason: row.hiddenReason ?? "" } : null,
    shared,
  };
}

/**
 * Loads posts by id in the given order through `visiblePostsWhere` (the policy has the last word) and turns
 * them into items with the reader's own reaction and the photos: three queries per page, whatever its size.
 */
async function loadItems(reader: StreamReader, ids: string[], now: Date): Promise<StreamItem[]> {
  if (ids.length === 0) return [];
  // One after the other, not Promise.all: over the embedded database's socket, two queries at once can
  // trip over each other (electric-sql/pglite#1046).
  const rows = await prisma.post.findMany({
    where: { AND: [visiblePostsWhere(reader), { id: { in: ids } }] },
    select: itemSelect,
  });
  const reactions = await prisma.reaction.findMany({
    where: { userId: reader.id, postId: { in: rows.map((row) => row.id) } },
    select: { postId: true, type: true },
  });
  // The page's photos and those of the originals shown with its shares, in one query.
  const images = await postImagesByPost(
    rows.flatMap((row) => {
      const original = visibleOriginal(row, reader);
      return original ? [row.id, original.id] : [row.id];
    }),
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const mine = new Map(reactions.map((reaction) => [reaction.postId, reaction.type]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toItem(row, reader, mine.get(id) ?? null, images, now)] : [];
  });
}

/** Reads one page of a stream made of the given branches. */
async function readPage(
  reader: StreamReader,
  scope: string,
  branches: Branch[],
  input: unknown,
  { pinned = false }: { pinned?: boolean } = {},
): Promise<StreamPage> {
  const { cursor, limit } = parse(StreamPageSchema, input ?? {});
  const after = cursor ? decodeCursor(cursor, scope) : null;
  const now = new Date();
  // The first page fixes the moment "pinned" is judged at; later pages keep it, so an announcement whose
  // pin expires while someone scrolls is neither shown twice nor lost between pages.
  const pinnedAsOf = pinned ? (after?.pinnedAsOf ?? now) : null;
  const rows = await pickPostIds(reader, branches, { before: after, pinnedAsOf }, limit + 1);
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ scope, createdAt: new Date(last.at), id: last.id, pinnedAsOf })
      : null;

  const pinnedRows =
    pinned && !after
      ? await prisma.post.findMany({
          where: {
            AND: [
              visiblePostsWhere(reader),
              { kind: "announcement", pinnedUntil: { gt: pinnedAsOf ?? now } },
            ],
          },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: MAX_PINNED,
          select: { id: true, createdAt: true },
        })
      : [];
  const items = await loadItems(
    reader,
    [...pinnedRows.map((row) => row.id), ...pageRows.map((row) => row.id)],
    now,
  );

  let newestCursor: string | null = null;
  if (pinned && !after) {
    const positions: Position[] = [
      ...pinnedRows,
      ...pageRows.slice(0, 1).map((row) => ({ id: row.id, createdAt: new Date(row.at) })),
    ];
    const newest = positions.reduce<Position | null>(
      (best, position) => (!best || isNewer(position, best) ? position : best),
      null,
    );
    if (newest) newestCursor = encodeCursor({ scope, ...newest, pinnedAsOf: null });
  }
  return { items, nextCursor, newestCursor };
}

function isNewer(a: Position, b: Position): boolean {
  const diff = a.createdAt.getTime() - b.createdAt.getTime();
  return diff > 0 || (diff === 0 && a.id > b.id);
}

// ---------------------------------------------------------------------------------------------------
// The streams
// ---------------------------------------------------------------------------------------------------

const HOME = "home";

/**
 * The home stream: posts by people the reader follows, in places they follow or belong to, with topics
 * they follow, their own posts and announcements for them; newest first, pinned announcements on top of
 * the first page only.
 */
export async function homeStream(reader: Reader, input: StreamPageInput = {}): Promise<StreamPage> {
  const streamReader = await streamReaderOf(reader);
  return readPage(streamReader, HOME, homeBranches(streamReader), input, { pinned: true });
}

/**
 * A group's or project's stream. A secret place the reader is not in is `not_found`; a closed one they
 * are not in is `forbidden` (its name is public, its posts are not).
 */
export async function placeStream(
  reader: Reader,
  placeId: unknown,
  input: StreamPageInput = {},
): Promise<StreamPage> {
  const id = parse(IdSchema, placeId);
  const streamReader = await streamReaderOf(reader);
  const place = await prisma.place.findUnique({ where: { id }, select: { id: true, visibility: true } });
  if (!place || !canSeePlace(streamReader, place))
    throw new StreamError("not_found", `Place ${id} does not exist`);
  if (!canReadPlace(streamReader, place)) {
    throw new StreamError("forbidden", `Only members may read the posts of place ${id}`);
  }
  return readPage(streamReader, `place:${id}`, [byPlaces(Prisma.sql`SELECT ${id}::text`)], input);
}

/** A person's profile stream: what they posted anywhere, as far as the reader may see it. */
export async function profileStream(
  reader: Reader,
  userId: unknown,
  input: StreamPageInput = {},
): Promise<StreamPage> {
  const id = parse(IdSchema, userId);
  const user = await prisma.user.findUnique({ where: { id }, select: { id: true } });
  if (!user) throw new StreamError("not_found", `Person ${id} does not exist`);
  const streamReader = await streamReaderOf(reader);
  return readPage(streamReader, `user:${id}`, [byAuthors(Prisma.sql`SELECT ${id}::text`)], input);
}

/** A topic's stream by slug (a "#Tag" or differently cased tag finds the same topic). */
export async function topicStream(
  reader: Reader,
  slug: unknown,
  input: StreamPageInput = {},
): Promise<StreamPage> {
  const normalised = parse(TopicSlugSchema, slug);
  const topic = await prisma.topic.findUnique({ where: { slug: normalised }, select: { id: true } });
  if (!topic) throw new StreamError("not_found", `Topic ${normalised} does not exist`);
  const streamReader = await streamReaderOf(reader);
  return readPage(streamReader, `topic:${topic.id}`, [byTopics(Prisma.sql`SELECT ${topic.id}::text`)], input);
}

export type NewPostsCount = {
  /** New posts in the home stream, at most NEW_POSTS_CAP. */
  count: number;
  /** More than NEW_POSTS_CAP ("99+"). */
  more: boolean;
};

/**
 * How many posts arrived in the reader's home stream after `newestSeen` (a home page's `newestCursor`),
 * their own posts left out. Feeds the "nieuwe berichten" indicator after a live `post.created` event.
 */
export async function countNewSince(reader: Reader, newestSeen: unknown): Promise<NewPostsCount> {
  const cursor = parse(
    z.string().min(1, "the cursor is required").max(600, "the cursor is not valid"),
    newestSeen,
  );
  const seen = decodeCursor(cursor, HOME);
  const streamReader = await streamReaderOf(reader);
  const rows = await pickPostIds(
    streamReader,
    homeBranches(streamReader),
    { after: seen, excludeAuthorId: reader.id },
    NEW_POSTS_CAP + 1,
  );
  return { count: Math.min(rows.length, NEW_POSTS_CAP), more: rows.length > NEW_POSTS_CAP };
}
