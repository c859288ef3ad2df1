/**
 * What goes into a person's digest: what is new and relevant for them since their previous one, read through
 * the same policy helpers as every page (circulars: audience and reading rights; posts: visibility keys), so a
 * digest never tells anyone about something they could not open.
 *
 * Sources, in the order the digest shows them (./items.ts):
 * - circulars newly published or substantially changed for the person's audience (those waiting for their
 *   "gelezen en begrepen" flagged, urgent ones first: ./urgency.ts);
 * - announcements visible to them (pinned ones are urgent);
 * - campaign messages: CAMPAIGN_SOURCES, an extension point the campaigns module (issue 6) fills (its
 *   "campaign.message" DigestEntry rows, which the personal items therefore skip);
 * - personal items: DigestEntry rows notify() queued for them (mentions, replies, decisions …);
 * - at most three top posts (reactions + comments) of their groups and followed topics.
 *
 * The planner composes for hundreds of people at once, so everything is loaded per batch with set-based
 * queries (one per source, not one per person and source); `composeDigestItems` is the one-person form.
 */
import { prisma } from "~/db.server";
import { type DigestCategory, Prisma } from "~/generated/prisma/client";
import { type Locale } from "~/i18n/config";
import { circularPath } from "~/modules/circulars/paths";
import { canReadCircular, isInAudience, type Reader } from "~/modules/circulars/policy.server";
import { brusselsDay } from "~/modules/circulars/validity";
import { isRole, type Role } from "~/modules/identity/permissions";
import { renderNotificationText } from "~/modules/notifications/types";
import { postPath } from "~/modules/stream/content";
import { canSeePost, type StreamReader } from "~/modules/stream/policy.server";
import { CAMPAIGN_MESSAGE_ENTRY_TYPE, campaignEntrySource } from "~/modules/campaigns/reach.server";
import { digestLocale, digestTranslator } from "./i18n.server";
import {
  clipText,
  type DigestItem,
  digestItemKey,
  MAX_SUMMARY_LENGTH,
  MAX_TITLE_LENGTH,
  orderDigestItems,
} from "./items";
import { isUrgentCircularVersion } from "./urgency";

type Db = Prisma.TransactionClient;

/** Without a previous digest, a digest looks back this far. */
export const DEFAULT_LOOKBACK_DAYS = 7;
/** The most top posts of groups and topics in one digest. */
export const MAX_TOP_POSTS = 3;
/** The most personal items in one digest (the newest); the rest are in the bell anyway. */
export const MAX_PERSONAL_ITEMS = 20;
/** A personal item that waited longer than this (the person had no channel) is no longer news. */
export const PERSONAL_MAX_AGE_DAYS = 30;
/** Digests this far back are checked so an item (an urgent one above all) is never sent twice. */
const SENT_LOOKBACK_DAYS = 14;
const DAY = 24 * 3600_000;

export const ALL_DIGEST_CATEGORIES: readonly DigestCategory[] = [
  "circulars",
  "announcements",
  "campaigns",
  "groups",
  "topics",
  "personal",
];

/** One person to compose for. */
export type ComposeRequest = {
  userId: string;
  /** End of the period the previous digest covered; null: the last DEFAULT_LOOKBACK_DAYS. */
  since: Date | null;
  categories: readonly DigestCategory[];
};

export type ComposedDigest = {
  items: DigestItem[];
  /** DigestEntry rows the digest carries (to be marked with its id). */
  entryIds: string[];
  /** Whether any item is urgent. */
  urgent: boolean;
  coversFrom: Date;
};

/** A person as the sources need them: their reading keys and what they follow. */
export type DigestRecipient = {
  id: string;
  locale: Locale;
  reader: StreamReader;
  since: Date;
  categories: ReadonlySet<DigestCategory>;
  /** "kind:id" of the items recent digests already carried. */
  alreadySent: ReadonlySet<string>;
};

/**
 * A source of campaign messages (issue 6, campaigns): given the people of a batch and the moment, the items
 * each of them should get, already filtered by the campaign's audience. Register one in CAMPAIGN_SOURCES.
 */
export type DigestItemSource = (
  recipients: readonly DigestRecipient[],
  now: Date,
  db: Db,
) => Promise<Map<string, DigestItem[] | SourcedDigestItems>>;

/**
 * What a source found for one person when its items come from DigestEntry rows: the items, and every entry
 * the digest carries (marked with the digest like personal entries; also those whose item was already sent,
 * so they do not wait forever).
 */
export type SourcedDigestItems = { items: DigestItem[]; entryIds: string[] };

/**
 * Extension point for the campaigns module (issue 6): its sources go here and their items (kind "campaign")
 * are filtered by the "campaigns" category and ordered with the others.
 */
export const CAMPAIGN_SOURCES: DigestItemSource[] = [campaignEntrySource];

/** DigestEntry types a source above turns into its own items: the personal items leave them alone. */
const SOURCED_ENTRY_TYPES = [CAMPAIGN_MESSAGE_ENTRY_TYPE];

/**
 * Composes the digests of many people in a few queries. With `urgentOnly`, only urgent items (for the
 * hourly urgent digests and the "urgent only" rhythm). People with nothing new are absent from the result.
 */
export async function composeDigests(
  requests: readonly ComposeRequest[],
  now: Date,
  options: { urgentOnly?: boolean; db?: Db } = {},
): Promise<Map<string, ComposedDigest>> {
  const db = options.db ?? prisma;
  const urgentOnly = options.urgentOnly ?? false;
  const recipients = await loadRecipients(requests, now, db);
  const result = new Map<string, ComposedDigest>();
  if (recipients.length === 0) return result;

  const byUser = new Map<string, DigestItem[]>(recipients.map((r) => [r.id, []]));
  const add = (userId: string, items: readonly DigestItem[]) => byUser.get(userId)?.push(...items);
  const wants = (category: DigestCategory) => recipients.filter((r) => r.categories.has(category));

  for (const [userId, items] of await circularItems(wants("circulars"), now, db)) add(userId, items);
  for (const [userId, items] of await announcementItems(wants("announcements"), now, db)) add(userId, items);
  const sourcedEntries = new Map<string, string[]>();
  for (const source of CAMPAIGN_SOURCES) {
    for (const [userId, found] of await source(wants("campaigns"), now, db)) {
      const items = Array.isArray(found) ? found : found.items;
      add(
        userId,
        items.filter((item) => item.kind === "campaign"),
      );
      // Urgent digests carry urgent items only: the entries wait for the person's regular digest.
      if (!Array.isArray(found) && !urgentOnly) {
        sourcedEntries.set(userId, [...(sourcedEntries.get(userId) ?? []), ...found.entryIds]);
      }
    }
  }
  const entries = new Map<string, { items: DigestItem[]; ids: string[] }>();
  if (!urgentOnly) {
    for (const [userId, found] of await personalItems(wants("personal"), now, db)) entries.set(userId, found);
    const postReaders = recipients.filter((r) => r.categories.has("groups") || r.categories.has("topics"));
    for (const [userId, items] of await topPostItems(postReaders, now, db)) add(userId, items);
  }

  for (const recipient of recipients) {
    const seen = new Set<string>();
    const urls = new Set<string>();
    const items: DigestItem[] = [];
    for (const item of orderDigestItems(byUser.get(recipient.id) ?? [])) {
      if (urgentOnly && !item.urgent) continue;
      const key = digestItemKey(item);
      if (recipient.alreadySent.has(key) || seen.has(key)) continue;
      seen.add(key);
      urls.add(item.url);
      items.push(item);
    }
    // A personal item about something the digest already shows (the notification of an announcement that
    // is listed itself) is carried silently: marked as sent, not listed twice.
    const personal = entries.get(recipient.id);
    const entryIds = [...(personal?.ids ?? []), ...(sourcedEntries.get(recipient.id) ?? [])];
    for (const item of personal?.items ?? []) if (!urls.has(item.url)) items.push(item);
    if (items.length === 0) continue;
    const ordered = orderDigestItems(items);
    result.set(recipient.id, {
      items: ordered,
      entryIds,
      urgent: ordered.some((item) => item.urgent),
      coversFrom: recipient.since,
    });
  }
  return result;
}

/**
 * One person's digest items since `since` (null: the last seven days), most important first; empty when
 * there is nothing new. For the kiosk and tests; the planner composes in batches with `composeDigests`.
 */
export async function composeDigestItems(
  user: { id: string },
  since: Date | null,
  now: Date,
  categories: readonly DigestCategory[] = ALL_DIGEST_CATEGORIES,
): Promise<DigestItem[]> {
  const composed = await composeDigests([{ userId: user.id, since, categories }], now);
  return composed.get(user.id)?.items ?? [];
}

// ---------------------------------------------------------------------------------------------------------
// Recipients

async function loadRecipients(
  requests: readonly ComposeRequest[],
  now: Date,
  db: Db,
): Promise<DigestRecipient[]> {
  const ids = [...new Set(requests.map((r) => r.userId))];
  if (ids.length === 0) return [];
  const [users, sent] = await Promise.all([
    db.user.findMany({
      where: { id: { in: ids }, active: true },
      select: {
        id: true,
        locale: true,
        isFieldWorker: true,
        department: { select: { id: true, parentId: true } },
        roles: { select: { role: true } },
        memberships: { select: { placeId: true } },
      },
    }),
    alreadySentKeys(ids, now, db),
  ]);
  const byId = new Map(requests.map((r) => [r.userId, r]));
  const lookback = new Date(now.getTime() - DEFAULT_LOOKBACK_DAYS * DAY);
  return users.map((user) => {
    const request = byId.get(user.id)!;
    // Every active person is an employee without a stored assignment (as session.server.ts reads roles).
    const roles: Role[] = [
      "employee",
      ...user.roles.map((r) => r.role).filter((role): role is Role => isRole(role) && role !== "employee"),
    ];
    const reader: Reader = {
      id: user.id,
      roles,
      isFieldWorker: user.isFieldWorker,
      department: user.department,
    };
    return {
      id: user.id,
      locale: digestLocale(user.locale),
      reader: { ...reader, placeIds: user.memberships.map((m) => m.placeId) },
      since: request.since ?? lookback,
      categories: new Set(request.categories),
      alreadySent: sent.get(user.id) ?? new Set(),
    };
  });
}

/** "kind:id" of every item the recent digests of these people carried. */
async function alreadySentKeys(userIds: string[], now: Date, db: Db): Promise<Map<string, Set<string>>> {
  const rows = await db.$queryRaw<{ userId: string; key: string }[]>`
    SELECT DISTINCT d."userId", (item->>'kind') || ':' || (item->>'id') AS "key"
    FROM "Digest" d CROSS JOIN LATERAL jsonb_array_elements(d."items") AS item
    WHERE d."userId" = ANY(${userIds}::text[])
      AND d."createdAt" > (${new Date(now.getTime() - SENT_LOOKBACK_DAYS * DAY).toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const result = new Map<string, Set<string>>();
  for (const row of rows) {
    const keys = result.get(row.userId) ?? new Set<string>();
    keys.add(row.key);
    result.set(row.userId, keys);
  }
  return result;
}

function earliest(recipients: readonly DigestRecipient[]): Date {
  return new Date(Math.min(...recipients.map((r) => r.since.getTime())));
}

function utc(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

// ---------------------------------------------------------------------------------------------------------
// Circulars

type CircularRow = {
  id: string;
  number: string;
  requiresAcknowledgement: boolean;
  publishedVersion: number;
  publishedAudience: string[];
  title: string;
  summary: string;
  eventVersion: number;
  eventAt: Date;
  substantial: boolean;
  eventValidFrom: Date | null;
};

async function circularItems(
  recipients: readonly DigestRecipient[],
  now: Date,
  db: Db,
): Promise<Map<string, DigestItem[]>> {
  const result = new Map<string, DigestItem[]>();
  if (recipients.length === 0) return result;
  // The latest publication that matters to readers (the first, or a substantial change) in the window, with
  // the current title and summary; non-substantial edits are not news. Expired and archived ones are not.
  const rows = await db.$queryRaw<CircularRow[]>`
    SELECT c."id", c."number", c."requiresAcknowledgement", c."publishedVersion", c."publishedAudience",
           l."title", l."summary", e."version" AS "eventVersion", e."publishedAt" AS "eventAt",
           e."substantial", e."validFrom" AS "eventValidFrom"
    FROM "Circular" c
    JOIN "CircularVersion" l ON l."circularId" = c."id" AND l."version" = c."publishedVersion"
    JOIN LATERAL (
      SELECT v."version", v."publishedAt", v."substantial", v."validFrom" FROM "CircularVersion" v
      WHERE v."circularId" = c."id" AND (v."substantial" OR v."version" = 1)
        AND v."publishedAt" > ${utc(earliest(recipients))} AND v."publishedAt" <= ${utc(now)}
      ORDER BY v."version" DESC LIMIT 1
    ) e ON TRUE
    WHERE c."publishedVersion" > 0 AND c."status" <> 'archived'
      AND (l."validUntil" IS NULL OR l."validUntil" >= ${brusselsDay(now).toISOString().slice(0, 10)}::date)
    ORDER BY e."publishedAt" DESC
    LIMIT 200`;
  if (rows.length === 0) return result;
  const acknowledged = await acknowledgedPairs(rows, recipients, db);
  for (const recipient of recipients) {
    const items: DigestItem[] = [];
    for (const row of rows) {
      if (row.eventAt.getTime() <= recipient.since.getTime()) continue;
      // Their audience, not just reading rights: an editor reads every circular but is not its audience.
      if (!isInAudience(recipient.reader, row.publishedAudience)) continue;
      if (!canReadCircular(recipient.reader, row)) continue;
      const needsAcknowledgement =
        row.requiresAcknowledgement && !acknowledged.has(`${row.id}:${recipient.id}`);
      const urgent =
        needsAcknowledgement &&
        isUrgentCircularVersion(
          {
            version: row.eventVersion,
            substantial: row.substantial,
            validFrom: row.eventValidFrom,
            publishedAt: row.eventAt,
          },
          row.requiresAcknowledgement,
        );
      items.push({
        kind: "circular",
        id: row.id,
        title: clipText(`${row.number} ${row.title}`, MAX_TITLE_LENGTH),
        summary: clipText(row.summary, MAX_SUMMARY_LENGTH),
        url: circularPath(row.number),
        priority: 0,
        urgent,
        needsAcknowledgement,
        date: row.eventAt.toISOString(),
      });
    }
    if (items.length > 0) result.set(recipient.id, items);
  }
  return result;
}

/** "circularId:userId" for people who confirmed the version a circular's news is about (or a later one). */
async function acknowledgedPairs(
  rows: readonly CircularRow[],
  recipients: readonly DigestRecipient[],
  db: Db,
): Promise<Set<string>> {
  const found = await db.$queryRaw<{ circularId: string; userId: string }[]>`
    SELECT DISTINCT a."circularId", a."userId"
    FROM "CircularAcknowledgement" a
    JOIN unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.eventVersion)}::int[]) AS x("id", "version")
      ON a."circularId" = x."id" AND a."version" >= x."version"
    WHERE a."userId" = ANY(${recipients.map((r) => r.id)}::text[])`;
  return new Set(found.map((row) => `${row.circularId}:${row.userId}`));
}

// ---------------------------------------------------------------------------------------------------------
// Announcements

async function announcementItems(
  recipients: readonly DigestRecipient[],
  now: Date,
  db: Db,
): Promise<Map<string, DigestItem[]>> {
  const result = new Map<string, DigestItem[]>();
  if (recipients.length === 0) return result;
  const posts = await db.post.findMany({
    where: {
      kind: "announcement",
      deletedAt: null,
      hiddenAt: null,
      createdAt: { gt: earliest(recipients), lte: now },
    },
    select: {
      id: true,
      authorId: true,
      text: true,
      audience: true,
      pinnedUntil: true,
      createdAt: true,
      deletedAt: true,
      hiddenAt: true,
    },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  for (const recipient of recipients) {
    const t = digestTranslator(recipient.locale);
    const items: DigestItem[] = [];
    for (const post of posts) {
      if (post.createdAt.getTime() <= recipient.since.getTime()) continue;
      if (post.authorId === recipient.id || !canSeePost(recipient.reader, post)) continue;
      const pinned = post.pinnedUntil !== null && post.pinnedUntil.getTime() > now.getTime();
      items.push({
        kind: "announcement",
        id: post.id,
        ...titleAndSummary(post.text, t("digest.fallbackTitle.announcement")),
        url: postPath(post.id),
        priority: pinned ? 1 : 0,
        // A communicator pins what everyone must see (./urgency.ts).
        urgent: pinned,
        date: post.createdAt.toISOString(),
      });
    }
    if (items.length > 0) result.set(recipient.id, items);
  }
  return result;
}

/**
 * Announcements and posts have no title: the first line stands in, or its first sentence when the line is
 * long and that sentence is short enough; the rest is the summary. When even that had to be clipped, the
 * summary starts from the beginning so nothing is lost in between.
 */
export function titleAndSummary(text: string, fallback: string): { title: string; summary: string } {
  const lines = text.split("\n").map((line) => line.trim());
  const first = lines.findIndex((line) => line !== "");
  if (first === -1) return { title: fallback, summary: "" };
  let head = lines[first]!;
  let rest = lines.slice(first + 1).join(" ");
  if (head.length > TITLE_FROM_TEXT_LENGTH) {
    const sentence = /^(.{8,}?[.!?])\s+(.*)$/s.exec(head);
    if (sentence && sentence[1]!.length <= TITLE_FROM_TEXT_LENGTH) {
      head = sentence[1]!;
      rest = `${sentence[2]!} ${rest}`.trim();
    }
  }
  const title = clipText(head, TITLE_FROM_TEXT_LENGTH);
  return { title, summary: clipText(title.endsWith("…") ? text : rest, MAX_SUMMARY_LENGTH) };
}

/** Longest title taken from a post's own text. */
const TITLE_FROM_TEXT_LENGTH = 80;

// ---------------------------------------------------------------------------------------------------------
// Personal items (DigestEntry)

async function personalItems(
  recipients: readonly DigestRecipient[],
  now: Date,
  db: Db,
): Promise<Map<string, { items: DigestItem[]; ids: string[] }>> {
  const result = new Map<string, { items: DigestItem[]; ids: string[] }>();
  if (recipients.length === 0) return result;
  const entries = await db.digestEntry.findMany({
    where: {
      userId: { in: recipients.map((r) => r.id) },
      digestId: null,
      type: { notIn: SOURCED_ENTRY_TYPES },
      createdAt: { gt: new Date(now.getTime() - PERSONAL_MAX_AGE_DAYS * DAY), lte: now },
    },
    select: { id: true, userId: true, type: true, data: true, url: true, createdAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const localeOf = new Map(recipients.map((r) => [r.id, r.locale]));
  for (const entry of entries) {
    const found = result.get(entry.userId) ?? { items: [], ids: [] };
    if (found.items.length >= MAX_PERSONAL_ITEMS) continue;
    const locale = localeOf.get(entry.userId) ?? "nl";
    const t = digestTranslator(locale);
    const text = renderNotificationText(
      { type: entry.type, data: entry.data },
      (key, values) => t(key, values),
      locale,
    );
    found.items.push({
      kind: "personal",
      id: entry.id,
      title: clipText(text, MAX_TITLE_LENGTH),
      summary: "",
      url: entry.url,
      priority: 0,
      urgent: false,
      date: entry.createdAt.toISOString(),
    });
    found.ids.push(entry.id);
    result.set(entry.userId, found);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Top posts of groups and topics

type TopPostRow = {
  userId: string;
  id: string;
  authorId: string;
  text: string;
  audience: string[];
  score: number;
  createdAt: Date;
  placeName: string | null;
};

/** Candidates per person: more than MAX_TOP_POSTS, because visibility is checked after the query. */
const TOP_POST_CANDIDATES = 10;

async function topPostItems(
  recipients: readonly DigestRecipient[],
  now: Date,
  db: Db,
): Promise<Map<string, DigestItem[]>> {
  const result = new Map<string, DigestItem[]>();
  if (recipients.length === 0) return result;
  // One LATERAL per person: posts since their last digest in places they belong to or follow ("groups") and
  // in topics they follow ("topics"), by engagement. Visibility is decided by canSeePost below.
  const rows = await db.$queryRaw<TopPostRow[]>`
    SELECT u."id" AS "userId", p."id", p."authorId", p."text", p."audience", p."score", p."createdAt",
           pl."name" AS "placeName"
    FROM unnest(
      ${recipients.map((r) => r.id)}::text[],
      ${recipients.map((r) => r.since.toISOString())}::timestamptz[],
      ${recipients.map((r) => r.categories.has("groups"))}::boolean[],
      ${recipients.map((r) => r.categories.has("topics"))}::boolean[]
    ) AS u("id", "since", "groups", "topics")
    CROSS JOIN LATERAL (
      -- Two index-friendly branches (Post by place and time, PostTopic by topic and time) instead of one OR.
      SELECT c."id", c."authorId", c."text", c."audience", c."placeId", c."createdAt", c."score"
      FROM (
        SELECT p."id", p."authorId", p."text", p."audience", p."placeId", p."createdAt",
               (p."reactionCount" + p."commentCount") AS "score"
        FROM "Post" p
        WHERE u."groups" AND p."placeId" IN (
            SELECT m."placeId" FROM "PlaceMembership" m WHERE m."userId" = u."id"
            UNION
            SELECT f."targetId" FROM "Follow" f WHERE f."followerId" = u."id" AND f."targetType" = 'place')
          AND p."createdAt" > (u."since" AT TIME ZONE 'UTC') AND p."createdAt" <= ${utc(now)}
        UNION
        SELECT p."id", p."authorId", p."text", p."audience", p."placeId", p."createdAt",
               (p."reactionCount" + p."commentCount") AS "score"
        FROM "Follow" f
        JOIN "PostTopic" pt ON pt."topicId" = f."targetId"
          AND pt."createdAt" > (u."since" AT TIME ZONE 'UTC') AND pt."createdAt" <= ${utc(now)}
        JOIN "Post" p ON p."id" = pt."postId"
        WHERE u."topics" AND f."followerId" = u."id" AND f."targetType" = 'topic'
      ) c
      JOIN "Post" p ON p."id" = c."id"
      WHERE p."kind" = 'post' AND p."deletedAt" IS NULL AND p."hiddenAt" IS NULL AND p."sharedPostId" IS NULL
        AND p."authorId" <> u."id"
      ORDER BY c."score" DESC, c."createdAt" DESC
      LIMIT ${TOP_POST_CANDIDATES}
    ) p
    LEFT JOIN "Place" pl ON pl."id" = p."placeId"
    ORDER BY u."id", p."score" DESC, p."createdAt" DESC`;
  const byId = new Map(recipients.map((r) => [r.id, r]));
  for (const row of rows) {
    const recipient = byId.get(row.userId);
    if (!recipient) continue;
    const items = result.get(row.userId) ?? [];
    if (items.length >= MAX_TOP_POSTS) continue;
    const visible = canSeePost(recipient.reader, { ...row, deletedAt: null, hiddenAt: null });
    if (!visible) continue;
    const t = digestTranslator(recipient.locale);
    const { title, summary } = titleAndSummary(row.text, t("digest.fallbackTitle.post"));
    items.push({
      kind: "post",
      id: row.id,
      title,
      summary: row.placeName
        ? clipText(`${row.placeName}: ${summary || title}`, MAX_SUMMARY_LENGTH)
        : summary,
      url: postPath(row.id),
      priority: Number(row.score),
      urgent: false,
      date: row.createdAt.toISOString(),
    });
    result.set(row.userId, items);
  }
  return result;
}
