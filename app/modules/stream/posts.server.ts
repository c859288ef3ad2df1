/**
 * Posts: writing on one's profile or in a group or project, announcements by communicators, editing and
 * deleting by the author, sharing into a place, and the view of a single post. Also the helpers the other
 * stream modules share (bodies with resolved mentions, recipients as stream readers, comment threads).
 *
 * Every read asks the policy (./policy.server.ts); a post the reader may not see is `not_found`, exactly like
 * one that does not exist. Every write runs in one transaction: the post, its PostTopic and PostMention rows
 * and its notifications are saved together or not at all.
 *
 * Announcements notify their whole audience (possibly all 10,000 staff) with one `announcement.published`
 * row each, in the same transaction: the bell is where a field worker on a shared terminal looks first, and
 * the digests read the same rows. The text names only the author, never the content. People mentioned get
 * their mention instead, and whoever switched the type off gets nothing (notify() asks the preferences).
 */
import { publishLiveEvent } from "~/modules/live/hub.server";
import { z } from "zod";
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { type LexicalDocument } from "~/editor/lexical-schema";
import {
  type PlaceKind,
  type PlaceVisibility,
  type PostKind,
  type Prisma,
  type ReactionType,
} from "~/generated/prisma/client";
import {
  AudienceSchema,
  audienceDepartmentIds,
  readableCircularsWhere,
  type Reader,
} from "~/modules/circulars/policy.server";
import { circularPath } from "~/modules/circulars/paths";
import { audienceMembersWhere } from "~/modules/circulars/audience.server";
import { hasPermission, isRole } from "~/modules/identity/permissions";
import { notify, type KnownNotificationInput } from "~/modules/notifications/notify.server";
import { consumeRateLimit, RATE_LIMITS, type RateLimitRule } from "~/utils/rate-limit.server";
import {
  analyseBody,
  EMPTY_DOCUMENT,
  handlesInDocument,
  internalLinkTargets,
  parseBody,
  personPath,
  placePath,
  POST_LIMITS,
  postPath,
  renderBodyHtml,
  storedDocument,
  topicPath,
  type AnalysedBody,
  type BodyInput,
  type BodyLimits,
  type InternalLinkTarget,
} from "./content";
import { enqueueSearchIndex } from "../../../search/queue.server";
import { StreamError } from "./errors";
import {
  discardUnusedImageFiles,
  insertPostImages,
  MAX_POST_IMAGES,
  postImagesByPost,
  processPostImages,
  withStoredPostImages,
  type PostImageUpload,
  type PostImageView,
  type StoredPostImage,
} from "./post-images.server";
import {
  canModerate,
  canPostInPlace,
  canSeePlace,
  canSeePost,
  postAudienceFor,
  streamReaderOf,
  userKey,
  type StreamReader,
} from "./policy.server";

export type Db = Prisma.TransactionClient;

export const REACTION_TYPES = [
  "like",
  "love",
  "celebrate",
  "thanks",
  "insightful",
] as const satisfies readonly ReactionType[];

/** Comments shown with a post before "more comments". */
export const DEFAULT_COMMENT_LIMIT = 20;
/** Replies shown under one comment (one reply level; a longer thread says how many there are). */
export const MAX_REPLIES_SHOWN = 50;
/** An announcement is pinned at most this long. */
export const MAX_PIN_DAYS = 366;

// ---------------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------------

/** A refused input: the issues are English, one per problem. */
export function invalidInput(issues: string[]): StreamError {
  return new StreamError("invalid_input", issues.join("; "), issues);
}

function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
  );
}

/** Parses input with a schema or throws `invalid_input`. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(zodIssues(parsed.error));
  return parsed.data;
}

/** Ids come from URLs and forms; anything that cannot be an id is simply not found. */
export function idOrNotFound(value: unknown, what: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) {
    throw new StreamError("not_found", `${what} does not exist`);
  }
  return value;
}

/** Counts one attempt against a rule, or throws `rate_limited` (nothing is saved). */
export async function requireRateLimit(rule: RateLimitRule, userId: string, what: string): Promise<void> {
  const limit = await consumeRateLimit(rule, userId);
  if (!limit.allowed) {
    throw new StreamError(
      "rate_limited",
      `Too many ${what}; retry after ${limit.retryAfterSeconds} s`,
      [],
      limit.retryAfterSeconds,
    );
  }
}

/** A person as a stream reader (roles, department, memberships), or null when they do not exist or left. */
export async function streamReaderForUser(
  db: Db,
  userId: string,
): Promise<(StreamReader & { displayName: string }) | null> {
  // Separate statements, not one nested select: inside a transaction Prisma would run sibling relation
  // queries concurrently on the transaction's single connection.
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      active: true,
      displayName: true,
      isFieldWorker: true,
      department: { select: { id: true, parentId: true } },
    },
  });
  if (!user?.active) return null;
  const roles = await db.roleAssignment.findMany({ where: { userId }, select: { role: true } });
  const memberships = await db.placeMembership.findMany({ where: { userId }, select: { placeId: true } });
  return {
    id: user.id,
    displayName: user.displayName,
    isFieldWorker: user.isFieldWorker,
    department: user.department,
    roles: ["employee", ...roles.map((r) => r.role).filter((role) => isRole(role) && role !== "employee")],
    placeIds: memberships.map((m) => m.placeId),
  };
}

/** Lower-case handles that name exactly one active colleague (the part of their work e-mail before "@"). */
async function resolveHandles(db: Db, handles: readonly string[]): Promise<Map<string, string>> {
  const resolved = new Map<string, string>();
  if (handles.length === 0) return resolved;
  const users = await db.user.findMany({
    where: {
      active: true,
      OR: handles.map((handle) => ({ email: { startsWith: `${handle}@`, mode: "insensitive" } })),
    },
    select: { id: true, email: true },
  });
  const byHandle = new Map<string, string[]>();
  for (const user of users) {
    // LIKE treats "_" as a wildcard: compare exactly here.
    const local = user.email?.toLowerCase().split("@")[0];
    if (local && handles.includes(local)) byHandle.set(local, [...(byHandle.get(local) ?? []), user.id]);
  }
  // Two colleagues with the same local part on different domains: ambiguous, stays text.
  for (const [handle, ids] of byHandle) if (ids.length === 1) resolved.set(handle, ids[0]!);
  return resolved;
}

export type PreparedBody = AnalysedBody & { mentioned: { id: string; displayName: string }[] };

/**
 * Validates a body completely before anything is written or counted: shape and light formatting, @handles
 * resolved to people, the text limits, and every mentioned person existing and active.
 */
export async function prepareBody(
  input: BodyInput,
  {
    limits = POST_LIMITS,
    allowEmpty = false,
    db = prisma,
  }: { limits?: BodyLimits; allowEmpty?: boolean; db?: Db } = {},
): Promise<PreparedBody> {
  const parsed = parseBody(input, limits);
  if (!parsed.ok) throw invalidInput(parsed.issues);
  const handles = await resolveHandles(db, handlesInDocument(parsed.document));
  const analysed = analyseBody(parsed.document, handles, { limits, allowEmpty });
  if (!analysed.ok) throw invalidInput(analysed.issues);
  const ids = analysed.body.mentionUserIds;
  const users = ids.length
    ? await db.user.findMany({
        where: { id: { in: ids }, active: true },
        select: { id: true, displayName: true },
      })
    : [];
  const missing = ids.filter((id) => !users.some((user) => user.id === id));
  if (missing.length > 0) {
    throw invalidInput(missing.map((id) => `mentioned person ${id} does not exist or is no longer active`));
  }
  const mentioned = ids.map((id) => users.find((user) => user.id === id)!);
  return { ...analysed.body, mentioned };
}

/** The post fields every access decision needs. */
export const postAccessSelect = {
  id: true,
  authorId: true,
  placeId: true,
  kind: true,
  audience: true,
  deletedAt: true,
  hiddenAt: true,
  hiddenReason: true,
  sharedPostId: true,
  createdAt: true,
  place: { select: { id: true, slug: true, name: true, kind: true, visibility: true, archivedAt: true } },
} satisfies Prisma.PostSelect;

export type PostAccess = Prisma.PostGetPayload<{ select: typeof postAccessSelect }>;

/** Loads a post the reader may see, or throws `not_found` (also when they may not: existence is not revealed). */
export async function requireVisiblePost(db: Db, reader: StreamReader, postId: unknown): Promise<PostAccess> {
  const id = idOrNotFound(postId, "Post");
  const post = await db.post.findUnique({ where: { id }, select: postAccessSelect });
  if (!post || !canSeePost(reader, post)) throw new StreamError("not_found", `Post ${id} does not exist`);
  return post;
}

/** Comments and reactions need a post that is neither hidden nor in an archived (read-only) place. */
export function requireInteractive(post: PostAccess): void {
  if (post.hiddenAt) throw new StreamError("invalid_state", `Post ${post.id} is hidden by a moderator`);
  if (post.place?.archivedAt)
    throw new StreamError("invalid_state", `Post ${post.id} is in an archived place`);
}

/** Serialises writers of one post (edits, counts) for the rest of the transaction. */
export async function lockPost(db: Db, postId: string): Promise<void> {
  await db.$queryRaw`SELECT 1 FROM "Post" WHERE "id" = ${postId} FOR UPDATE`;
}

export type Recipient = { id: string; displayName: string };

/**
 * Notifies people about a post, but only those who are active and can see it (checked as them, with the
 * post as it is now); returns who was left out. The actor is never notified about their own action.
 */
export async function notifyAboutPost(
  db: Db,
  post: Pick<PostAccess, "authorId" | "audience" | "deletedAt" | "hiddenAt">,
  actorId: string,
  recipientIds: readonly string[],
  build: (recipientId: string) => KnownNotificationInput,
): Promise<{ notified: string[]; unreachable: Recipient[] }> {
  const notified: string[] = [];
  const unreachable: Recipient[] = [];
  for (const recipientId of new Set(recipientIds)) {
    if (recipientId === actorId) continue;
    const recipient = await streamReaderForUser(db, recipientId);
    if (!recipient || !canSeePost(recipient, post)) {
      const name =
        recipient?.displayName ??
        (await db.user.findUnique({ where: { id: recipientId }, select: { displayName: true } }))
          ?.displayName;
      unreachable.push({ id: recipientId, displayName: name ?? "" });
      continue;
    }
    await notify(build(recipientId), db);
    notified.push(recipientId);
  }
  return { notified, unreachable };
}

async function linkTopics(
  db: Db,
  postId: string,
  createdAt: Date,
  topics: AnalysedBody["topics"],
): Promise<void> {
  if (topics.length === 0) return;
  // Created on first use; a concurrent post creating the same topic is absorbed by skipDuplicates.
  await db.topic.createMany({
    data: topics.map((topic) => ({ slug: topic.slug, name: topic.name })),
    skipDuplicates: true,
  });
  const rows = await db.topic.findMany({
    where: { slug: { in: topics.map((t) => t.slug) } },
    select: { id: true },
  });
  await db.postTopic.createMany({
    data: rows.map((row) => ({ postId, topicId: row.id, createdAt })),
    skipDuplicates: true,
  });
}

function mentionNotification(
  postId: string,
  actorName: string,
  placeName: string | undefined,
): (recipientId: string) => KnownNotificationInput {
  return (userId) => ({
    userId,
    type: "post.mentioned",
    data: { actorName, ...(placeName ? { placeName } : {}) },
    url: postPath(postId),
    // Once per post and person: removing and re-adding a mention in an edit does not notify again.
    dedupeKey: `post.mentioned:${postId}:${userId}`,
  });
}

// ---------------------------------------------------------------------------------------------------
// Writing posts
// ---------------------------------------------------------------------------------------------------

const BodyFields = { body: z.unknown().optional(), plainText: z.unknown().optional() };
const PostInputSchema = z.object({ placeId: z.string().min(1).max(64).nullish(), ...BodyFields });

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The end of a calendar day in Brussels: "pinned until 2026-12-01" means through that day, local time. */
export function endOfBrusselsDay(day: string): Date {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  const guess = new Date(Date.UTC(year, month - 1, date, 23, 59, 59, 999));
  const offset = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Brussels", timeZoneName: "longOffset" })
    .formatToParts(guess)
    .find((part) => part.type === "timeZoneName")?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offset ?? "");
  const minutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return new Date(guess.getTime() - minutes * 60_000);
}

const PinnedUntilSchema = z
  .union([
    z.date(),
    z.string().regex(DAY_PATTERN).transform(endOfBrusselsDay),
    z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  ])
  .refine((date) => !Number.isNaN(date.getTime()), "pinnedUntil is not a valid date")
  .refine((date) => date.getTime() > Date.now(), "pinnedUntil must be in the future")
  .refine(
    (date) => date.getTime() <= Date.now() + MAX_PIN_DAYS * 86_400_000,
    `an announcement is pinned at most ${MAX_PIN_DAYS} days`,
  );

const AnnouncementInputSchema = z.object({
  ...BodyFields,
  audience: AudienceSchema,
  pinnedUntil: PinnedUntilSchema.nullish(),
});

const EditInputSchema = z.object({
  ...BodyFields,
  audience: AudienceSchema.optional(),
  pinnedUntil: PinnedUntilSchema.nullish(),
  /** Photos of this post to remove; ids of other posts' photos change nothing. */
  removeImageIds: z
    .array(z.string().min(1).max(64))
    .max(MAX_POST_IMAGES * 4)
    .optional(),
});

const ShareInputSchema = z.object({ placeId: z.string().min(1).max(64), ...BodyFields });

export type WrittenPost = {
  id: string;
  url: string;
  /** People mentioned who were not notified because they cannot see the post (e.g. not in a secret group). */
  unnotifiedMentions: Recipient[];
};

async function requireDepartmentsExist(db: Db, audience: readonly string[]): Promise<void> {
  const ids = audienceDepartmentIds(audience);
  if (ids.length === 0) return;
  const found = await db.department.count({ where: { id: { in: ids } } });
  if (found !== new Set(ids).size)
    throw invalidInput(["audience: an audience names a department that does not exist"]);
}

/** The place a reader posts into: not_found when they may not know it, forbidden when not a member. */
async function requirePostablePlace(db: Db, reader: StreamReader, placeId: string) {
  const place = await db.place.findUnique({
    where: { id: placeId },
    select: { id: true, name: true, visibility: true, archivedAt: true },
  });
  if (!place || !canSeePlace(reader, place))
    throw new StreamError("not_found", `Place ${placeId} does not exist`);
  if (place.archivedAt) throw new StreamError("invalid_state", `Place ${placeId} is archived`);
  if (!canPostInPlace(reader, place))
    throw new StreamError("forbidden", `Only members post in place ${placeId}`);
  return place;
}

async function writePost(
  db: Db,
  author: { id: string; displayName: string },
  data: {
    placeId: string | null;
    placeName: string | undefined;
    kind: PostKind;
    audience: string[];
    pinnedUntil: Date | null;
    sharedPostId: string | null;
    body: PreparedBody;
  },
): Promise<WrittenPost> {
  const post = await db.post.create({
    data: {
      authorId: author.id,
      placeId: data.placeId,
      kind: data.kind,
      body: data.body.document as unknown as Prisma.InputJsonObject,
      text: data.body.text,
      audience: data.audience,
      pinnedUntil: data.pinnedUntil,
      sharedPostId: data.sharedPostId,
    },
    select: { id: true, createdAt: true, authorId: true, audience: true, deletedAt: true, hiddenAt: true },
  });
  await linkTopics(db, post.id, post.createdAt, data.body.topics);
  if (data.body.mentioned.length > 0) {
    await db.postMention.createMany({
      data: data.body.mentioned.map((user) => ({ postId: post.id, userId: user.id })),
      skipDuplicates: true,
    });
  }
  const { unreachable } = await notifyAboutPost(
    db,
    post,
    author.id,
    data.body.mentioned.map((user) => user.id),
    mentionNotification(post.id, author.displayName, data.placeName),
  );
  // Delivered to connected readers at commit (never on rollback), each filtered through canSeePost.
  await publishLiveEvent(db, { type: "post.created", postId: post.id });
  await enqueueSearchIndex(db, "post", [post.id]);
  return { id: post.id, url: postPath(post.id), unnotifiedMentions: unreachable };
}

/** The photos a new post carries (see ./post-images.server.ts). */
export type PostImagesInput = { images?: PostImageUpload[] };

/**
 * A post with photos may have no text (a photo with an empty caption is normal on a microblog): with
 * photos and no body field at all, the body is an empty document.
 */
function bodyWithPhotos(input: BodyInput, photoCount: number): BodyInput {
  if (photoCount === 0 || input.body !== undefined || input.plainText !== undefined) return input;
  return { plainText: "" };
}

async function authorName(db: Db, userId: string): Promise<string> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { displayName: true } });
  return user?.displayName ?? "";
}

/**
 * Posts on the reader's profile (no placeId) or in a group or project they are a member of. Input:
 * `{ placeId?, body | plainText }`, and up to MAX_POST_IMAGES photos (then the text may be empty).
 * Mentioned people who can see the post are notified. A refused photo (FileError) saves nothing.
 */
export async function createPost(
  reader: Reader,
  input: unknown,
  { images = [] }: PostImagesInput = {},
): Promise<WrittenPost> {
  const { placeId, ...bodyInput } = parseInput(PostInputSchema, input);
  const body = await prepareBody(bodyWithPhotos(bodyInput, images.length), { allowEmpty: images.length > 0 });
  if (images.length > 0 && placeId) {
    // Decoding photos is the expensive part: refuse a place the reader may not post in before it.
    await requirePostablePlace(prisma, await streamReaderOf(reader), placeId);
  }
  await requireRateLimit(RATE_LIMITS.streamPost, reader.id, "posts");
  const processed = await processPostImages(images);
  return withStoredPostImages(processed, (stored) =>
    prisma.$transaction(async (tx) => {
      const streamReader = await streamReaderOf(reader, tx);
      const place = placeId ? await requirePostablePlace(tx, streamReader, placeId) : null;
      const written = await writePost(
        tx,
        { id: reader.id, displayName: await authorName(tx, reader.id) },
        {
          placeId: place?.id ?? null,
          placeName: place?.name,
          kind: "post",
          audience: postAudienceFor(place),
          pinnedUntil: null,
          sharedPostId: null,
          body,
        },
      );
      await insertPostImages(tx, written.id, stored);
      return written;
    }),
  );
}

/**
 * Publishes an announcement (communicators: create:announcement) to an audience of AudienceSchema keys,
 * optionally pinned until a moment or a Brussels calendar day ("YYYY-MM-DD", through that day).
 * Nobody is notified but the people mentioned (see the module comment).
 */
export async function createAnnouncement(
  reader: Reader,
  input: unknown,
  { images = [] }: PostImagesInput = {},
): Promise<WrittenPost> {
  if (!hasPermission(reader, "create:announcement")) {
    throw new StreamError("forbidden", "Only communicators publish announcements");
  }
  const { audience, pinnedUntil, ...bodyInput } = parseInput(AnnouncementInputSchema, input);
  await requireDepartmentsExist(prisma, audience);
  const body = await prepareBody(bodyWithPhotos(bodyInput, images.length), { allowEmpty: images.length > 0 });
  await requireRateLimit(RATE_LIMITS.streamPost, reader.id, "posts");
  const processed = await processPostImages(images);
  return withStoredPostImages(processed, (stored) =>
    prisma.$transaction(async (tx) => {
      const written = await writePost(
        tx,
        { id: reader.id, displayName: await authorName(tx, reader.id) },
        {
          placeId: null,
          placeName: undefined,
          kind: "announcement",
          audience: [...audience, userKey(reader.id)],
          pinnedUntil: pinnedUntil ?? null,
          sharedPostId: null,
          body,
        },
      );
      await insertPostImages(tx, written.id, stored);
      await notifyAnnouncementAudience(tx, written.id, reader.id, audience, body.mentionUserIds);
      return written;
    }),
  );
}

/** Fans an announcement out to the bell of everyone in its audience (see the module comment). */
async function notifyAnnouncementAudience(
  tx: Db,
  postId: string,
  authorId: string,
  audience: readonly string[],
  mentioned: readonly string[],
): Promise<void> {
  const recipients = await tx.user.findMany({
    where: { AND: [audienceMembersWhere(audience), { id: { notIn: [authorId, ...mentioned] } }] },
    select: { id: true },
  });
  const actorName = await authorName(tx, authorId);
  const notices: KnownNotificationInput[] = recipients.map(({ id }) => ({
    userId: id,
    type: "announcement.published",
    data: { actorName },
    url: postPath(postId),
    dedupeKey: `announcement.published:${postId}:${id}`,
  }));
  await notify(notices, tx);
}

/**
 * Writes a post inside another module's transaction, for modules that publish on a colleague's behalf (an
 * approved campaign story appears in the stream as its author's post). The caller has decided who may publish
 * and chose the audience keys (the author's own key is always added, so they see what went out under their
 * name); the body comes from prepareBody and photos from withStoredPostImages. No rate limit: the caller's
 * action is the limited one. Mentioned people who can see the post are notified, like for any post.
 */
export async function writePostInTransaction(
  tx: Db,
  input: {
    authorId: string;
    kind: PostKind;
    audience: readonly string[];
    body: PreparedBody;
    images?: readonly StoredPostImage[];
    pinnedUntil?: Date | null;
  },
): Promise<WrittenPost> {
  const written = await writePost(
    tx,
    { id: input.authorId, displayName: await authorName(tx, input.authorId) },
    {
      placeId: null,
      placeName: undefined,
      kind: input.kind,
      audience: [...new Set([...input.audience, userKey(input.authorId)])],
      pinnedUntil: input.pinnedUntil ?? null,
      sharedPostId: null,
      body: input.body,
    },
  );
  await insertPostImages(tx, written.id, input.images ?? []);
  return written;
}

/** The post a share points to: shares of shares point to the original, which the reader must see. */
async function requireShareable(db: Db, reader: StreamReader, postId: unknown): Promise<PostAccess> {
  let post = await requireVisiblePost(db, reader, postId);
  if (post.sharedPostId) post = await requireVisiblePost(db, reader, post.sharedPostId);
  if (post.hiddenAt) throw new StreamError("invalid_state", `Post ${post.id} is hidden by a moderator`);
  return post;
}

/**
 * Shares a post the reader can see into a place they may post in, with an optional text. The share is a
 * post of its own (audience of the place); its readers see the original's content only if they may see
 * the original (canSeePost), so sharing never widens who reads it.
 */
export async function sharePost(reader: Reader, postId: unknown, input: unknown): Promise<WrittenPost> {
  const { placeId, ...bodyInput } = parseInput(ShareInputSchema, input);
  const hasText = bodyInput.body !== undefined || bodyInput.plainText !== undefined;
  const body: PreparedBody = hasText
    ? await prepareBody(bodyInput, { allowEmpty: true })
    : { document: EMPTY_DOCUMENT, text: "", mentionUserIds: [], topics: [], mentioned: [] };
  await requireRateLimit(RATE_LIMITS.streamPost, reader.id, "posts");
  return prisma.$transaction(async (tx) => {
    const streamReader = await streamReaderOf(reader, tx);
    const original = await requireShareable(tx, streamReader, postId);
    const place = await requirePostablePlace(tx, streamReader, placeId);
    return writePost(
      tx,
      { id: reader.id, displayName: await authorName(tx, reader.id) },
      {
        placeId: place.id,
        placeName: place.name,
        kind: "post",
        audience: postAudienceFor(place),
        pinnedUntil: null,
        sharedPostId: original.id,
        body,
      },
    );
  });
}

/** Loads a post for its author to change: not_found when invisible, forbidden when someone else's. */
async function requireOwnPost(db: Db, reader: Reader, postId: unknown): Promise<PostAccess> {
  const streamReader = await streamReaderOf(reader, db);
  const post = await requireVisiblePost(db, streamReader, postId);
  if (post.authorId !== reader.id)
    throw new StreamError("forbidden", `Only the author changes post ${post.id}`);
  await lockPost(db, post.id);
  return post;
}

/**
 * Edits a post (its author): new body, marked edited, topics and mentions re-parsed; only people newly
 * mentioned are notified. Announcements may also change audience and pin (while the author is a
 * communicator). Returns the people mentioned who could not be notified.
 */
export async function editPost(reader: Reader, postId: unknown, input: unknown): Promise<WrittenPost> {
  const { audience, pinnedUntil, removeImageIds = [], ...bodyInput } = parseInput(EditInputSchema, input);
  const current = await prisma.post.findUnique({
    where: { id: idOrNotFound(postId, "Post") },
    select: { sharedPostId: true, kind: true, _count: { select: { images: true } } },
  });
  if (!current) throw new StreamError("not_found", "Post does not exist");
  if (current.kind !== "announcement" && (audience !== undefined || pinnedUntil !== undefined)) {
    throw invalidInput(["only announcements have an audience and a pin"]);
  }
  if (audience) await requireDepartmentsExist(prisma, audience);
  // A share, or a post with photos, may be edited down to no text of its own; whether photos remain after
  // the removals is checked in the transaction.
  const body = await prepareBody(bodyInput, {
    allowEmpty: Boolean(current.sharedPostId) || current._count.images > 0,
  });
  let removedKeys: string[] = [];
  const written = await prisma.$transaction(async (tx) => {
    const post = await requireOwnPost(tx, reader, postId);
    if (post.kind === "announcement" && !hasPermission(reader, "create:announcement")) {
      throw new StreamError("forbidden", "Only communicators edit announcements");
    }
    if (removeImageIds.length > 0) {
      const removed = await tx.postImage.findMany({
        where: { postId: post.id, id: { in: removeImageIds } },
        select: { storageKey: true },
      });
      await tx.postImage.deleteMany({ where: { postId: post.id, id: { in: removeImageIds } } });
      removedKeys = removed.map((image) => image.storageKey);
    }
    if (!post.sharedPostId && body.text.trim().length === 0) {
      const remaining = await tx.postImage.count({ where: { postId: post.id } });
      if (remaining === 0) throw invalidInput(["the text is empty"]);
    }
    const previous = await tx.postMention.findMany({ where: { postId: post.id }, select: { userId: true } });
    const updated = await tx.post.update({
      where: { id: post.id },
      data: {
        body: body.document as unknown as Prisma.InputJsonObject,
        text: body.text,
        editedAt: new Date(),
        ...(audience ? { audience: [...audience, userKey(post.authorId)] } : {}),
        ...(pinnedUntil !== undefined ? { pinnedUntil } : {}),
      },
      select: { id: true, authorId: true, audience: true, deletedAt: true, hiddenAt: true, createdAt: true },
    });
    const slugs = body.topics.map((topic) => topic.slug);
    await tx.postTopic.deleteMany({ where: { postId: post.id, topic: { slug: { notIn: slugs } } } });
    await linkTopics(tx, post.id, updated.createdAt, body.topics);
    const mentionedIds = body.mentioned.map((user) => user.id);
    await tx.postMention.deleteMany({ where: { postId: post.id, userId: { notIn: mentionedIds } } });
    await tx.postMention.createMany({
      data: mentionedIds.map((userId) => ({ postId: post.id, userId })),
      skipDuplicates: true,
    });
    const before = new Set(previous.map((mention) => mention.userId));
    const { unreachable } = await notifyAboutPost(
      tx,
      updated,
      reader.id,
      mentionedIds.filter((id) => !before.has(id)),
      mentionNotification(post.id, await authorName(tx, reader.id), post.place?.name),
    );
    await enqueueSearchIndex(tx, "post", [post.id]);
    return { id: post.id, url: postPath(post.id), unnotifiedMentions: unreachable };
  });
  await discardUnusedImageFiles(removedKeys);
  return written;
}

/**
 * Deletes a post (its author): the row stays so comments and shares keep their context, but the content,
 * photos, topics, mentions and pin are removed and nobody sees it any more.
 */
export async function deletePost(reader: Reader, postId: unknown): Promise<{ deleted: true }> {
  const removedKeys = await prisma.$transaction(async (tx) => {
    const post = await requireOwnPost(tx, reader, postId);
    const images = await tx.postImage.findMany({ where: { postId: post.id }, select: { storageKey: true } });
    await tx.postImage.deleteMany({ where: { postId: post.id } });
    await tx.post.update({
      where: { id: post.id },
      data: {
        deletedAt: new Date(),
        body: EMPTY_DOCUMENT as unknown as Prisma.InputJsonObject,
        text: "",
        pinnedUntil: null,
      },
    });
    await tx.postTopic.deleteMany({ where: { postId: post.id } });
    await tx.postMention.deleteMany({ where: { postId: post.id } });
    await enqueueSearchIndex(tx, "post", [post.id]);
    return images.map((image) => image.storageKey);
  });
  // Photos are personal data: the files go too, once nothing else holds the same bytes.
  await discardUnusedImageFiles(removedKeys);
  return { deleted: true };
}

// ---------------------------------------------------------------------------------------------------
// Reading: a single post with its comments
// ---------------------------------------------------------------------------------------------------

export type PersonRef = {
  id: string;
  displayName: string;
  jobTitle: string | null;
  avatarUrl: string | null;
  url: string;
};
export type PlaceRef = {
  id: string;
  slug: string;
  name: string;
  kind: PlaceKind;
  visibility: PlaceVisibility;
  url: string;
};

const personSelect = {
  id: true,
  displayName: true,
  jobTitle: true,
  avatarUrl: true,
} satisfies Prisma.UserSelect;

function personRef(user: {
  id: string;
  displayName: string;
  jobTitle: string | null;
  avatarUrl: string | null;
}): PersonRef {
  return { ...user, url: personPath(user.id) };
}

function placeRef(
  place: { id: string; slug: string; name: string; kind: PlaceKind; visibility: PlaceVisibility } | null,
): PlaceRef | null {
  return place
    ? {
        id: place.id,
        slug: place.slug,
        name: place.name,
        kind: place.kind,
        visibility: place.visibility,
        url: placePath(place),
      }
    : null;
}

export type LinkPreview =
  | { kind: "circular"; url: string; number: string; title: string }
  | { kind: "place"; url: string; name: string; placeKind: PlaceKind; description: string }
  | { kind: "person"; url: string; displayName: string; jobTitle: string | null; avatarUrl: string | null };

/**
 * Previews of this app's pages a post links to, each through its own policy: a circular the reader may
 * not read, a secret place they are not in or a colleague who left is left out, as if there were no link.
 * Nothing external is ever fetched.
 */
export async function resolveLinkPreviews(
  reader: StreamReader,
  targets: readonly InternalLinkTarget[],
  db: Db = prisma,
): Promise<LinkPreview[]> {
  const numbers = targets.flatMap((t) => (t.kind === "circular" ? [t.number] : []));
  const slugs = targets.flatMap((t) => (t.kind === "place" ? [t.slug] : []));
  const userIds = targets.flatMap((t) => (t.kind === "person" ? [t.userId] : []));
  const [circulars, places, people] = await Promise.all([
    numbers.length
      ? db.circular.findMany({
          where: {
            AND: [{ number: { in: numbers }, publishedVersion: { gt: 0 } }, readableCircularsWhere(reader)],
          },
          select: {
            number: true,
            versions: { orderBy: { version: "desc" }, take: 1, select: { title: true } },
          },
        })
      : [],
    slugs.length
      ? db.place.findMany({
          where: { slug: { in: slugs } },
          select: { id: true, slug: true, name: true, kind: true, visibility: true, description: true },
        })
      : [],
    userIds.length
      ? db.user.findMany({ where: { id: { in: userIds }, active: true }, select: personSelect })
      : [],
  ]);
  return targets.flatMap((target): LinkPreview[] => {
    if (target.kind === "circular") {
      const circular = circulars.find((c) => c.number === target.number);
      return circular
        ? [
            {
              kind: "circular",
              url: circularPath(circular.number),
              number: circular.number,
              title: circular.versions[0]?.title ?? circular.number,
            },
          ]
        : [];
    }
    if (target.kind === "place") {
      const place = places.find((p) => p.slug === target.slug);
      return place && canSeePlace(reader, place)
        ? [
            {
              kind: "place",
              url: placePath(place),
              name: place.name,
              placeKind: place.kind,
              description: place.description.slice(0, 280),
            },
          ]
        : [];
    }
    const person = people.find((p) => p.id === target.userId);
    return person
      ? [
          {
            kind: "person",
            url: personPath(person.id),
            displayName: person.displayName,
            jobTitle: person.jobTitle,
            avatarUrl: person.avatarUrl,
          },
        ]
      : [];
  });
}

/** This app's origin, to recognise absolute links to its own pages. */
function appOrigin(): string {
  return getEnv().APP_URL;
}

/** The internal pages a stored body links to, resolved for this reader. */
export async function linkPreviewsFor(
  reader: StreamReader,
  document: LexicalDocument,
  db: Db = prisma,
): Promise<LinkPreview[]> {
  return resolveLinkPreviews(reader, internalLinkTargets(document, appOrigin()), db);
}

export type CommentState = "visible" | "hidden" | "deleted";

export type CommentView = {
  id: string;
  parentId: string | null;
  /** "hidden" content is shown only to its author (with the reason) and moderators; others get a placeholder. */
  state: CommentState;
  author: PersonRef | null;
  html: string;
  createdAt: string;
  editedAt: string | null;
  hiddenReason: string | null;
  can: { edit: boolean; delete: boolean; reply: boolean; report: boolean; moderate: boolean };
};

export type CommentThread = CommentView & { replies: CommentView[]; replyCount: number };

const commentSelect = {
  id: true,
  parentId: true,
  authorId: true,
  body: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  hiddenAt: true,
  hiddenReason: true,
  author: { select: personSelect },
} satisfies Prisma.CommentSelect;

type CommentRow = Prisma.CommentGetPayload<{ select: typeof commentSelect }>;

/** Comments a reader sees in full: not deleted; hidden ones only their own, or all for moderators. */
export function visibleCommentsWhere(reader: StreamReader): Prisma.CommentWhereInput {
  if (canModerate(reader)) return { deletedAt: null };
  return { deletedAt: null, OR: [{ hiddenAt: null }, { authorId: reader.id }] };
}

const CursorSchema = z.tuple([z.iso.datetime(), z.string().min(1).max(64)]);

/** An opaque keyset cursor (createdAt, id): stable while new comments arrive. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url");
}

/** The position a cursor names, or `invalid_input` for a crafted or damaged one. */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = CursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw invalidInput(["the cursor is not valid"]);
  }
}

function commentView(
  row: CommentRow,
  reader: StreamReader,
  { interactive, topLevel }: { interactive: boolean; topLevel: boolean },
): CommentView {
  const own = row.authorId === reader.id;
  const moderator = canModerate(reader);
  const state: CommentState = row.deletedAt ? "deleted" : row.hiddenAt ? "hidden" : "visible";
  const showContent = state === "visible" || (state === "hidden" && (own || moderator));
  return {
    id: row.id,
    parentId: row.parentId,
    state,
    author: showContent ? personRef(row.author) : null,
    html: showContent ? renderBodyHtml(storedDocument(row.body), { linkHashtags: false }) : "",
    createdAt: row.createdAt.toISOString(),
    editedAt: showContent ? (row.editedAt?.toISOString() ?? null) : null,
    hiddenReason: state === "hidden" && showContent ? row.hiddenReason : null,
    can: {
      edit: own && state !== "deleted" && interactive,
      delete: own && state !== "deleted",
      reply: topLevel && state === "visible" && interactive,
      report: !own && state === "visible",
      moderate: moderator && state !== "deleted",
    },
  };
}

/**
 * A page of a post's comment threads, oldest first, each with its replies. Deleted comments, and hidden ones
 * the reader may not see, appear only as placeholders that keep their replies in context.
 */
export async function commentThreads(
  reader: StreamReader,
  post: PostAccess,
  { cursor, limit = DEFAULT_COMMENT_LIMIT }: { cursor?: string | null; limit?: number } = {},
  db: Db = prisma,
): Promise<{ threads: CommentThread[]; nextCursor: string | null }> {
  const take = Math.min(Math.max(1, Math.trunc(limit)), 100);
  const after = cursor ? decodeCursor(cursor) : null;
  const visible = visibleCommentsWhere(reader);
  const rows = await db.comment.findMany({
    where: {
      postId: post.id,
      parentId: null,
      AND: [
        { OR: [visible, { replies: { some: visible } }] },
        after
          ? {
              OR: [
                { createdAt: { gt: after.createdAt } },
                { createdAt: after.createdAt, id: { gt: after.id } },
              ],
            }
          : {},
      ],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: take + 1,
    select: {
      ...commentSelect,
      replies: {
        where: visible,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: MAX_REPLIES_SHOWN,
        select: commentSelect,
      },
      _count: { select: { replies: { where: visible } } },
    },
  });
  const interactive = !post.hiddenAt && !post.place?.archivedAt;
  const page = rows.slice(0, take);
  const last = page.at(-1);
  return {
    threads: page.map((row) => ({
      ...commentView(row, reader, { interactive, topLevel: true }),
      replies: row.replies.map((reply) => commentView(reply, reader, { interactive, topLevel: false })),
      replyCount: row._count.replies,
    })),
    nextCursor: rows.length > take && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

export type SharedPostView =
  | { available: false }
  | {
      available: true;
      id: string;
      url: string;
      kind: PostKind;
      author: PersonRef;
      place: PlaceRef | null;
      html: string;
      createdAt: string;
      editedAt: string | null;
      /** The original's photos, ordered by position. */
      images: PostImageView[];
    };

/** The selection a share needs of its original, for `sharedPostView` (stream lists use it too). */
export const sharedPostSelect = {
  ...postAccessSelect,
  body: true,
  editedAt: true,
  author: { select: personSelect },
} satisfies Prisma.PostSelect;

/**
 * What a share shows of its original: the content only when this reader may see the original itself
 * (canSeePost), otherwise just that it is unavailable; null when the post is not a share. `images` are
 * the original's photos (postImagesByPost), used only when the original is shown.
 */
export function sharedPostView(
  reader: StreamReader,
  sharedPostId: string | null,
  original: Prisma.PostGetPayload<{ select: typeof sharedPostSelect }> | null,
  images: PostImageView[] = [],
): SharedPostView | null {
  if (!sharedPostId) return null;
  if (!original || !canSeePost(reader, original)) return { available: false };
  return {
    available: true,
    id: original.id,
    url: postPath(original.id),
    kind: original.kind,
    author: personRef(original.author),
    place: placeRef(original.place),
    html: renderBodyHtml(storedDocument(original.body)),
    createdAt: original.createdAt.toISOString(),
    editedAt: original.editedAt?.toISOString() ?? null,
    images,
  };
}

export type PostView = {
  id: string;
  url: string;
  kind: PostKind;
  author: PersonRef;
  place: PlaceRef | null;
  html: string;
  text: string;
  /** The post's photos, ordered by position. */
  images: PostImageView[];
  createdAt: string;
  editedAt: string | null;
  pinnedUntil: string | null;
  pinned: boolean;
  /** An announcement's audience keys, for its author and communicators (without the author's own key). */
  audience: string[] | null;
  /** Set when a moderator hid the post (only its author and moderators see a hidden post). */
  hidden: { at: string; reason: string } | null;
  topics: { slug: string; name: string; url: string }[];
  counts: { comments: number; reactions: number; byType: Record<ReactionType, number> };
  myReaction: ReactionType | null;
  /** The shared original, when this post is a share; its content only if the reader may see it. */
  shared: SharedPostView | null;
  /** Previews of this app's pages the post links to, as far as the reader may see them. */
  links: LinkPreview[];
  comments: CommentThread[];
  moreCommentsCursor: string | null;
  can: {
    edit: boolean;
    delete: boolean;
    comment: boolean;
    react: boolean;
    share: boolean;
    report: boolean;
    moderate: boolean;
  };
};

const postViewSelect = {
  ...postAccessSelect,
  body: true,
  text: true,
  pinnedUntil: true,
  editedAt: true,
  commentCount: true,
  reactionCount: true,
  author: { select: personSelect },
  topics: { select: { topic: { select: { slug: true, name: true } } }, orderBy: { topic: { slug: "asc" } } },
  sharedPost: { select: sharedPostSelect },
} satisfies Prisma.PostSelect;

/**
 * Everything the page of one post shows: safe HTML, author, place, counts, the reader's reaction, the first
 * comments and the internal link previews, all through the policy. A post the reader may not see (deleted,
 * hidden, in a place they are not in, outside an announcement's audience) is `not_found`.
 */
export async function getPostView(
  reader: Reader,
  postId: unknown,
  { commentLimit = DEFAULT_COMMENT_LIMIT }: { commentLimit?: number } = {},
): Promise<PostView> {
  const streamReader = await streamReaderOf(reader);
  const id = idOrNotFound(postId, "Post");
  const post = await prisma.post.findUnique({ where: { id }, select: postViewSelect });
  if (!post || !canSeePost(streamReader, post))
    throw new StreamError("not_found", `Post ${id} does not exist`);
  const document = storedDocument(post.body);
  const originalVisible = post.sharedPost !== null && canSeePost(streamReader, post.sharedPost);
  const images = await postImagesByPost(
    originalVisible && post.sharedPostId ? [post.id, post.sharedPostId] : [post.id],
  );
  const [byType, mine, links, comments] = await Promise.all([
    prisma.reaction.groupBy({ by: ["type"], where: { postId: post.id }, _count: { _all: true } }),
    prisma.reaction.findUnique({
      where: { postId_userId: { postId: post.id, userId: reader.id } },
      select: { type: true },
    }),
    linkPreviewsFor(streamReader, document),
    commentThreads(streamReader, post, { limit: commentLimit }),
  ]);
  const counts = Object.fromEntries(REACTION_TYPES.map((type) => [type, 0])) as Record<ReactionType, number>;
  for (const row of byType) counts[row.type] = row._count._all;
  const own = post.authorId === reader.id;
  const interactive = !post.hiddenAt && !post.place?.archivedAt;
  const shared = sharedPostView(
    streamReader,
    post.sharedPostId,
    post.sharedPost,
    post.sharedPostId ? (images.get(post.sharedPostId) ?? []) : [],
  );
  const seesAudience = post.kind === "announcement" && (own || hasPermission(reader, "create:announcement"));
  return {
    id: post.id,
    url: postPath(post.id),
    kind: post.kind,
    author: personRef(post.author),
    place: placeRef(post.place),
    html: renderBodyHtml(document),
    text: post.text,
    images: images.get(post.id) ?? [],
    createdAt: post.createdAt.toISOString(),
    editedAt: post.editedAt?.toISOString() ?? null,
    pinnedUntil: post.pinnedUntil?.toISOString() ?? null,
    pinned: Boolean(post.pinnedUntil && post.pinnedUntil.getTime() > Date.now()),
    audience: seesAudience ? post.audience.filter((key) => !key.startsWith("user:")) : null,
    hidden: post.hiddenAt ? { at: post.hiddenAt.toISOString(), reason: post.hiddenReason ?? "" } : null,
    topics: post.topics.map(({ topic }) => ({ ...topic, url: topicPath(topic.slug) })),
    counts: { comments: post.commentCount, reactions: post.reactionCount, byType: counts },
    myReaction: mine?.type ?? null,
    shared,
    links,
    comments: comments.threads,
    moreCommentsCursor: comments.nextCursor,
    can: {
      edit: own && (post.kind === "post" || hasPermission(reader, "create:announcement")),
      delete: own,
      comment: interactive,
      react: interactive,
      share: !post.hiddenAt && (shared === null || shared.available),
      report: !own && !post.hiddenAt,
      moderate: canModerate(reader),
    },
  };
}
