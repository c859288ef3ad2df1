/**
 * Groups and projects ("places"): creating and managing them, and who is in them.
 *
 * - Any employee creates a group or project and becomes its owner. Owners edit, archive (read-only: no
 *   posts, no membership changes except leaving), change the visibility and manage members.
 * - open: anyone joins at once. closed: anyone sees the place and asks to join (one pending request, an
 *   owner approves or rejects). secret: only members know it exists; owners add members directly and
 *   nobody can ask. A secret place answers not_found to everyone else, on every function here.
 * - Joining follows the place and leaving unfollows it (follows.server.ts).
 * - The last owner cannot leave or be demoted: an owner is needed to manage members.
 * Membership changes lock the place row, so two owners leaving at once cannot leave it without an owner.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { prisma } from "~/db.server";
import { type MembershipRole, type PlaceKind, type PlaceVisibility, Prisma } from "~/generated/prisma/client";
import { type Reader } from "~/modules/circulars/policy.server";
import { notify } from "~/modules/notifications/notify.server";
import { enqueuePlacePosts } from "../../../search/post-documents.server";
import { placePath } from "./content";
import { StreamError } from "./errors";
import { addFollow, removeFollow } from "./follows.server";
import {
  canPostInPlace,
  canReadPlace,
  canSeePlace,
  postAudienceFor,
  streamReaderOf,
  type StreamReader,
  visiblePlacesWhere,
} from "./policy.server";

export const PLACE_NAME_MIN = 3;
export const PLACE_NAME_MAX = 80;
export const PLACE_DESCRIPTION_MAX = 2000;
export const JOIN_MESSAGE_MAX = 500;
export const PLACE_SLUG_MAX = 60;
export const PLACES_PER_PAGE = 30;
export const MEMBERS_PER_PAGE = 50;
/** After a rejection, the same person may ask again only after this long, so owners are not nagged. */
export const REQUEST_AGAIN_AFTER_HOURS = 24;

/** URL segments of the place pages (next session) that a generated slug must not take. */
const RESERVED_SLUGS = new Set(["nieuw", "new", "aanmaken", "zoeken", "beheer", "mijn", "archief"]);

// Each op creates its own transaction with a few queries; a slow shared database must not make them fail.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 20_000 } as const;

export { placePath };

// Letters NFKD does not decompose into a base letter plus accents.
const LETTERS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  þ: "th",
  ı: "i",
  "&": " en ",
};

/**
 * A URL name from a place name: lower case, accents dropped ("Café Brugse Poort" → "cafe-brugse-poort"),
 * "ĳ" split into "ij", "&" read as "en", other characters become single hyphens; at most `maxLength`
 * characters, cut at a word boundary when possible.
 */
export function slugify(text: string, maxLength = PLACE_SLUG_MAX): string {
  const ascii = text
    .toLowerCase()
    .replace(/[ßæœøđðłþı&]/g, (letter) => LETTERS[letter] ?? "")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    // An apostrophe joins ("O'Sullivan" → "osullivan") instead of splitting the word.
    .replace(/['’‘`]/g, "");
  const slug = ascii.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength + 1);
  const boundary = cut.lastIndexOf("-");
  return (boundary > maxLength / 2 ? cut.slice(0, boundary) : slug.slice(0, maxLength)).replace(/-+$/, "");
}

const PlaceNameSchema = z
  .string({ error: "a name is required" })
  // Collapsing runs of spaces keeps "Gent  Plus" and "Gent Plus" from looking like two places.
  .transform((value) => value.replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(PLACE_NAME_MIN, `a name has at least ${PLACE_NAME_MIN} characters`)
      .max(PLACE_NAME_MAX, `a name has at most ${PLACE_NAME_MAX} characters`),
  );
const DescriptionSchema = z
  .string()
  .trim()
  .max(PLACE_DESCRIPTION_MAX, `a description has at most ${PLACE_DESCRIPTION_MAX} characters`);
const KindSchema = z.enum(["group", "project"], { error: "kind must be group or project" });
const VisibilitySchema = z.enum(["open", "closed", "secret"], {
  error: "visibility must be open, closed or secret",
});
const SlugSchema = z.string().trim().toLowerCase().min(1, "a slug is required").max(120, "slug too long");
const IdSchema = z.string().trim().min(1, "an id is required").max(64, "an id has at most 64 characters");

export const CreatePlaceSchema = z.object({
  kind: KindSchema,
  name: PlaceNameSchema,
  description: DescriptionSchema.default(""),
  visibility: VisibilitySchema,
});
export type CreatePlaceInput = z.input<typeof CreatePlaceSchema>;

export const UpdatePlaceSchema = z
  .object({ name: PlaceNameSchema.optional(), description: DescriptionSchema.optional() })
  .refine((value) => value.name !== undefined || value.description !== undefined, "nothing to change");

export const JoinRequestMessageSchema = z
  .string()
  .trim()
  .max(JOIN_MESSAGE_MAX, `a message has at most ${JOIN_MESSAGE_MAX} characters`)
  .default("");

export const ListPlacesSchema = z.object({
  kind: KindSchema.optional(),
  /** Part of the name; accents and case do not matter. */
  q: z.string().trim().max(PLACE_NAME_MAX, "search text too long").optional(),
  /** Only the places the reader is a member of. */
  mine: z.boolean().default(false),
  includeArchived: z.boolean().default(false),
  page: z.number().int().min(1).max(1000).default(1),
});
export type ListPlacesOptions = z.input<typeof ListPlacesSchema>;

function parseOrThrow<Output, Input>(schema: z.ZodType<Output, Input>, value: unknown): Output {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => issue.message);
  throw new StreamError("invalid_input", issues.join("; "), issues);
}

export type PlaceSummary = {
  id: string;
  slug: string;
  path: string;
  kind: PlaceKind;
  name: string;
  description: string;
  visibility: PlaceVisibility;
  archived: boolean;
  memberCount: number;
  myRole: MembershipRole | null;
  /** The reader asked to join and an owner has not decided yet. */
  requestPending: boolean;
};

/** The places the reader may see, sorted by name, a page at a time; filter by kind, name or membership. */
export async function listPlaces(
  reader: Reader,
  options: ListPlacesOptions = {},
): Promise<{ items: PlaceSummary[]; page: number; hasMore: boolean }> {
  const { kind, q, mine, includeArchived, page } = parseOrThrow(ListPlacesSchema, options);
  const streamReader = await streamReaderOf(reader);
  const where: Prisma.PlaceWhereInput = {
    AND: [
      visiblePlacesWhere(streamReader),
      kind ? { kind } : {},
      includeArchived ? {} : { archivedAt: null },
      mine ? { id: { in: [...streamReader.placeIds] } } : {},
      q ? { id: { in: await placeIdsNamed(q) } } : {},
    ],
  };
  const rows = await prisma.place.findMany({
    where,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    // Offset paging: a place list is short, and an offset reveals nothing a crafted cursor could probe.
    skip: (page - 1) * PLACES_PER_PAGE,
    take: PLACES_PER_PAGE + 1,
    select: {
      id: true,
      slug: true,
      kind: true,
      name: true,
      description: true,
      visibility: true,
      archivedAt: true,
      _count: { select: { memberships: true } },
      memberships: { where: { userId: reader.id }, select: { role: true } },
      joinRequests: { where: { userId: reader.id, status: "pending" }, select: { id: true } },
    },
  });
  return {
    items: rows.slice(0, PLACES_PER_PAGE).map((row) => ({
      id: row.id,
      slug: row.slug,
      path: placePath(row),
      kind: row.kind,
      name: row.name,
      description: row.description,
      visibility: row.visibility,
      archived: row.archivedAt !== null,
      memberCount: row._count.memberships,
      myRole: row.memberships[0]?.role ?? null,
      requestPending: row.joinRequests.length > 0,
    })),
    page,
    hasMore: rows.length > PLACES_PER_PAGE,
  };
}

/**
 * Ids of the places whose name contains the text, ignoring case and accents ("cafe" finds "Café"), with
 * the search_fold function of the search migration. Secret places are among them; the caller's visibility
 * filter removes them.
 */
async function placeIdsNamed(text: string): Promise<string[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Place" WHERE public.search_fold("name") LIKE public.search_fold(${pattern})`;
  return rows.map((row) => row.id);
}

const PERSON_SELECT = { id: true, displayName: true, jobTitle: true, avatarUrl: true } as const;
type Person = { id: string; displayName: string; jobTitle: string | null; avatarUrl: string | null };

export type PlaceView = {
  place: Omit<PlaceSummary, "myRole" | "requestPending" | "memberCount"> & {
    archivedAt: string | null;
    createdAt: string;
  };
  memberCount: number;
  owners: Person[];
  myRole: MembershipRole | null;
  pendingRequest: { id: string; message: string; createdAt: string } | null;
  /** Pending join requests, for owners only (0 for everyone else). */
  pendingRequestCount: number;
  following: boolean;
  can: {
    readPosts: boolean;
    post: boolean;
    join: boolean;
    requestToJoin: boolean;
    cancelRequest: boolean;
    leave: boolean;
    manage: boolean;
    follow: boolean;
  };
};

/** A place page's data with what the reader may do there; not_found for a secret place they are not in. */
export async function getPlaceView(reader: Reader, slug: unknown): Promise<PlaceView> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const streamReader = await streamReaderOf(reader);
  const place = await prisma.place.findUnique({
    where: { slug: placeSlug },
    select: {
      id: true,
      slug: true,
      kind: true,
      name: true,
      description: true,
      visibility: true,
      archivedAt: true,
      createdAt: true,
    },
  });
  if (!place || !canSeePlace(streamReader, place))
    throw new StreamError("not_found", `No place ${placeSlug}`);
  const [memberCount, owners, mine, request, follow] = await Promise.all([
    prisma.placeMembership.count({ where: { placeId: place.id } }),
    prisma.placeMembership.findMany({
      where: { placeId: place.id, role: "owner" },
      orderBy: { user: { displayName: "asc" } },
      select: { user: { select: PERSON_SELECT } },
    }),
    prisma.placeMembership.findUnique({
      where: { placeId_userId: { placeId: place.id, userId: reader.id } },
      select: { role: true },
    }),
    prisma.placeJoinRequest.findFirst({
      where: { placeId: place.id, userId: reader.id, status: "pending" },
      select: { id: true, message: true, createdAt: true },
    }),
    prisma.follow.findUnique({
      where: {
        followerId_targetType_targetId: { followerId: reader.id, targetType: "place", targetId: place.id },
      },
      select: { createdAt: true },
    }),
  ]);
  const myRole = mine?.role ?? null;
  const isOwner = myRole === "owner";
  const active = place.archivedAt === null;
  const pendingRequestCount = isOwner
    ? await prisma.placeJoinRequest.count({ where: { placeId: place.id, status: "pending" } })
    : 0;
  return {
    place: {
      id: place.id,
      slug: place.slug,
      path: placePath(place),
      kind: place.kind,
      name: place.name,
      description: place.description,
      visibility: place.visibility,
      archived: !active,
      archivedAt: place.archivedAt?.toISOString() ?? null,
      createdAt: place.createdAt.toISOString(),
    },
    memberCount,
    owners: owners.map((owner) => owner.user),
    myRole,
    pendingRequest: request
      ? { id: request.id, message: request.message, createdAt: request.createdAt.toISOString() }
      : null,
    pendingRequestCount,
    following: follow !== null,
    can: {
      readPosts: canReadPlace(streamReader, place),
      post: canPostInPlace(streamReader, place),
      join: active && !myRole && place.visibility === "open",
      requestToJoin: active && !myRole && place.visibility === "closed" && !request,
      cancelRequest: request !== null,
      // The last owner hands over first; the page can explain why the button is missing.
      leave: myRole === "member" || (isOwner && owners.length > 1),
      manage: isOwner,
      follow: canReadPlace(streamReader, place),
    },
  };
}

/** The members of a place, owners first, a page at a time; only for readers of the place's posts. */
export async function listMembers(
  reader: Reader,
  slug: unknown,
  page: unknown = 1,
): Promise<{ items: (Person & { role: MembershipRole; since: string })[]; page: number; hasMore: boolean }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const pageNumber = parseOrThrow(z.number().int().min(1).max(10_000), page);
  const streamReader = await streamReaderOf(reader);
  const place = await prisma.place.findUnique({
    where: { slug: placeSlug },
    select: { id: true, visibility: true },
  });
  if (!place || !canSeePlace(streamReader, place))
    throw new StreamError("not_found", `No place ${placeSlug}`);
  // Who is in a closed group is part of what the group keeps to itself, like its posts.
  if (!canReadPlace(streamReader, place)) {
    throw new StreamError("forbidden", `Only members see who is in place ${placeSlug}`);
  }
  const rows = await prisma.placeMembership.findMany({
    where: { placeId: place.id },
    // "owner" sorts after "member" in the enum, so descending puts owners first.
    orderBy: [{ role: "desc" }, { user: { displayName: "asc" } }, { userId: "asc" }],
    skip: (pageNumber - 1) * MEMBERS_PER_PAGE,
    take: MEMBERS_PER_PAGE + 1,
    select: { role: true, createdAt: true, user: { select: PERSON_SELECT } },
  });
  return {
    items: rows.slice(0, MEMBERS_PER_PAGE).map((row) => ({
      ...row.user,
      role: row.role,
      since: row.createdAt.toISOString(),
    })),
    page: pageNumber,
    hasMore: rows.length > MEMBERS_PER_PAGE,
  };
}

/** The pending join requests of a place, oldest first; owners only. */
export async function listJoinRequests(
  reader: Reader,
  slug: unknown,
): Promise<{ id: string; message: string; createdAt: string; requester: Person }[]> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: false });
    requireOwner(context);
    const requests = await tx.placeJoinRequest.findMany({
      where: { placeId: context.place.id, status: "pending" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { id: true, message: true, createdAt: true, user: { select: PERSON_SELECT } },
    });
    return requests.map((request) => ({
      id: request.id,
      message: request.message,
      createdAt: request.createdAt.toISOString(),
      requester: request.user,
    }));
  });
}

const PLACE_FIELDS = {
  id: true,
  slug: true,
  kind: true,
  name: true,
  visibility: true,
  archivedAt: true,
} as const;
type PlaceRow = {
  id: string;
  slug: string;
  kind: PlaceKind;
  name: string;
  visibility: PlaceVisibility;
  archivedAt: Date | null;
};
type PlaceContext = { place: PlaceRow; streamReader: StreamReader; myRole: MembershipRole | null };

/**
 * The place named by the slug as the reader may know it, inside a transaction. With `lock`, the place row is
 * locked first, so membership checks (the last owner, a pending request) hold until the change commits.
 */
async function placeContext(
  tx: Prisma.TransactionClient,
  reader: Reader,
  slug: string,
  { lock }: { lock: boolean },
): Promise<PlaceContext> {
  if (lock) {
    await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Place" WHERE "slug" = ${slug} FOR UPDATE`;
  }
  const place = await tx.place.findUnique({ where: { slug }, select: PLACE_FIELDS });
  const streamReader = await streamReaderOf(reader, tx);
  if (!place || !canSeePlace(streamReader, place)) throw new StreamError("not_found", `No place ${slug}`);
  const membership = await tx.placeMembership.findUnique({
    where: { placeId_userId: { placeId: place.id, userId: reader.id } },
    select: { role: true },
  });
  return { place, streamReader, myRole: membership?.role ?? null };
}

function requireOwner(context: PlaceContext): void {
  if (context.myRole !== "owner") {
    throw new StreamError("forbidden", `Only an owner of place ${context.place.slug} may do this`);
  }
}

function requireActive(context: PlaceContext): void {
  if (context.place.archivedAt) {
    throw new StreamError("invalid_state", `Place ${context.place.slug} is archived and read-only`);
  }
}

async function displayNameOf(tx: Prisma.TransactionClient, userId: string): Promise<string> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { displayName: true } });
  return user?.displayName ?? "";
}

async function ownerCount(tx: Prisma.TransactionClient, placeId: string): Promise<number> {
  return tx.placeMembership.count({ where: { placeId, role: "owner" } });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** A slug for a new place: the name's, or with "-2", "-3", ... when taken or reserved. */
async function freeSlug(tx: Prisma.TransactionClient, base: string): Promise<string> {
  const taken = await tx.place.findMany({
    where: { OR: [{ slug: base }, { slug: { startsWith: `${base}-` } }] },
    select: { slug: true },
  });
  const used = new Set(taken.map((place) => place.slug));
  if (!used.has(base) && !RESERVED_SLUGS.has(base)) return base;
  for (let n = 2; ; n += 1) {
    if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

/**
 * Creates a group or project with the reader as its owner (member and follower). The slug comes from the
 * name; a secret place gets a random suffix, so its URL cannot be guessed and its name never takes the
 * plain slug an open place would get (which would hint that a secret place of that name exists).
 */
export async function createPlace(
  reader: Reader,
  input: unknown,
): Promise<{ id: string; slug: string; path: string }> {
  const data = parseOrThrow(CreatePlaceSchema, input);
  // A name of only symbols ("???") still needs a slug.
  const base = slugify(data.name) || (data.kind === "project" ? "project" : "groep");
  // Two people creating "Fietsen" at the same moment both pick "fietsen"; the loser retries with "-2".
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await prisma.$transaction(async (tx) => {
        const slug =
          data.visibility === "secret"
            ? `${base.slice(0, PLACE_SLUG_MAX - 7)}-${randomBytes(4).toString("hex").slice(0, 6)}`
            : await freeSlug(tx, base);
        const place = await tx.place.create({
          data: {
            slug,
            kind: data.kind,
            name: data.name,
            description: data.description,
            visibility: data.visibility,
            createdById: reader.id,
            memberships: { create: { userId: reader.id, role: "owner" } },
          },
          select: { id: true, slug: true, kind: true },
        });
        await addFollow(tx, reader.id, "place", place.id);
        return { id: place.id, slug: place.slug, path: placePath(place) };
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      if (isUniqueViolation(error) && attempt < 3) continue;
      throw error;
    }
  }
}

/** Changes the name and/or description (owners; not when archived). The slug stays, so links keep working. */
export async function updatePlace(reader: Reader, slug: unknown, input: unknown): Promise<PlaceRow> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const data = parseOrThrow(UpdatePlaceSchema, input);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    requireOwner(context);
    requireActive(context);
    // The place's name is part of every post's search document.
    if (data.name !== context.place.name) await enqueuePlacePosts(tx, context.place.id);
    return tx.place.update({
      where: { id: context.place.id },
      data: { name: data.name, description: data.description },
      select: PLACE_FIELDS,
    });
  }, TRANSACTION_OPTIONS);
}

/** Archives a place (owners): it stays readable, but nobody posts, joins or changes it; idempotent. */
export async function archivePlace(reader: Reader, slug: unknown): Promise<{ archivedAt: string }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    requireOwner(context);
    const archivedAt =
      context.place.archivedAt ??
      (
        await tx.place.update({
          where: { id: context.place.id },
          data: { archivedAt: new Date() },
          select: { archivedAt: true },
        })
      ).archivedAt!;
    if (!context.place.archivedAt) await enqueuePlacePosts(tx, context.place.id);
    return { archivedAt: archivedAt.toISOString() };
  }, TRANSACTION_OPTIONS);
}

/** Takes a place out of the archive (owners); idempotent. */
export async function restorePlace(reader: Reader, slug: unknown): Promise<{ archivedAt: null }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    requireOwner(context);
    if (context.place.archivedAt) {
      await tx.place.update({ where: { id: context.place.id }, data: { archivedAt: null } });
      await enqueuePlacePosts(tx, context.place.id);
    }
    return { archivedAt: null };
  }, TRANSACTION_OPTIONS);
}

/**
 * Changes who may see a place (owners; not when archived), and in the same transaction everything that
 * depends on it:
 * - the audience of the place's posts (postAudienceFor), so no post stays readable by the old rule;
 * - closed or secret: follows of non-members are removed (they could not read it any more, and a secret
 *   place must not show up in someone's "following" list);
 * - open: pending requests are approved (anyone may now join; they asked to); secret: pending requests
 *   are deleted (nobody may ask to join a secret place, and the requester may no longer know it).
 * Returns how many posts got the new audience.
 */
export async function changePlaceVisibility(
  reader: Reader,
  slug: unknown,
  visibility: unknown,
): Promise<{ visibility: PlaceVisibility; postsUpdated: number }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const next = parseOrThrow(VisibilitySchema, visibility);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    requireOwner(context);
    requireActive(context);
    const { place } = context;
    if (place.visibility === next) return { visibility: next, postsUpdated: 0 };
    await tx.place.update({ where: { id: place.id }, data: { visibility: next } });
    const { count: postsUpdated } = await tx.post.updateMany({
      where: { placeId: place.id },
      data: { audience: postAudienceFor({ id: place.id, visibility: next }) },
    });
    // The posts' search documents carry their audience: rebuilt in this transaction's outbox.
    await enqueuePlacePosts(tx, place.id);
    if (next !== "open") {
      await tx.follow.deleteMany({
        where: {
          targetType: "place",
          targetId: place.id,
          follower: { memberships: { none: { placeId: place.id } } },
        },
      });
    }
    if (next === "open") {
      const pending = await tx.placeJoinRequest.findMany({
        where: { placeId: place.id, status: "pending" },
        select: { id: true, userId: true, createdAt: true },
      });
      for (const request of pending) {
        await approveRequest(tx, { ...place, visibility: next }, request, reader.id);
      }
    } else if (next === "secret") {
      await tx.placeJoinRequest.deleteMany({ where: { placeId: place.id, status: "pending" } });
    }
    return { visibility: next, postsUpdated };
  }, TRANSACTION_OPTIONS);
}

/** Joins an open place at once (and follows it). */
export async function joinPlace(reader: Reader, slug: unknown): Promise<{ role: MembershipRole }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    if (context.myRole) throw new StreamError("conflict", `Already a member of place ${placeSlug}`);
    requireActive(context);
    if (context.place.visibility !== "open") {
      throw new StreamError("invalid_state", `Place ${placeSlug} is closed: ask to join instead`);
    }
    await tx.placeMembership.create({
      data: { placeId: context.place.id, userId: reader.id, role: "member" },
    });
    await addFollow(tx, reader.id, "place", context.place.id);
    return { role: "member" as const };
  }, TRANSACTION_OPTIONS);
}

/**
 * Asks to join a closed place, with an optional message (≤ 500 characters); the owners are notified. One
 * pending request per person and place; after a rejection, a new request waits REQUEST_AGAIN_AFTER_HOURS.
 */
export async function requestToJoin(
  reader: Reader,
  slug: unknown,
  message: unknown = "",
  now: Date = new Date(),
): Promise<{ requestId: string }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const text = parseOrThrow(JoinRequestMessageSchema, message);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    const { place } = context;
    if (context.myRole) throw new StreamError("conflict", `Already a member of place ${placeSlug}`);
    requireActive(context);
    if (place.visibility !== "closed") {
      // A secret place never gets here (not_found above): only open remains.
      throw new StreamError("invalid_state", `Place ${placeSlug} is open: join it directly`);
    }
    const existing = await tx.placeJoinRequest.findUnique({
      where: { placeId_userId: { placeId: place.id, userId: reader.id } },
      select: { id: true, status: true, decidedAt: true },
    });
    if (existing?.status === "pending") {
      throw new StreamError("conflict", `A request to join place ${placeSlug} is already pending`);
    }
    const waitUntil =
      existing?.status === "rejected" && existing.decidedAt
        ? existing.decidedAt.getTime() + REQUEST_AGAIN_AFTER_HOURS * 3600_000
        : 0;
    if (waitUntil > now.getTime()) {
      throw new StreamError(
        "invalid_state",
        `The last request to join place ${placeSlug} was rejected; ask again after ${new Date(waitUntil).toISOString()}`,
      );
    }
    // One row per person and place: a new request reopens it as if it were new.
    const fields = {
      message: text,
      status: "pending" as const,
      decidedById: null,
      decidedAt: null,
      createdAt: now,
    };
    const request = await tx.placeJoinRequest.upsert({
      where: { placeId_userId: { placeId: place.id, userId: reader.id } },
      create: { placeId: place.id, userId: reader.id, ...fields },
      update: fields,
      select: { id: true, createdAt: true },
    });
    const owners = await tx.placeMembership.findMany({
      where: { placeId: place.id, role: "owner", user: { active: true } },
      select: { userId: true },
    });
    const actorName = await displayNameOf(tx, reader.id);
    await notify(
      owners.map((owner) => ({
        userId: owner.userId,
        type: "place.join_requested",
        // Shape of "place.join_requested" in app/modules/notifications/types.ts.
        data: { placeName: place.name, actorName, placeId: place.id, requestId: request.id },
        url: `${placePath(place)}/aanvragen`,
        dedupeKey: `place.join_requested:${request.id}:${request.createdAt.getTime()}:${owner.userId}`,
      })),
      tx,
    );
    return { requestId: request.id };
  }, TRANSACTION_OPTIONS);
}

/** Withdraws the reader's pending request to join. */
export async function cancelJoinRequest(reader: Reader, slug: unknown): Promise<{ cancelled: true }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    const { count } = await tx.placeJoinRequest.deleteMany({
      where: { placeId: context.place.id, userId: reader.id, status: "pending" },
    });
    if (count === 0) throw new StreamError("not_found", `No pending request to join place ${placeSlug}`);
    return { cancelled: true as const };
  }, TRANSACTION_OPTIONS);
}

async function approveRequest(
  tx: Prisma.TransactionClient,
  place: PlaceRow,
  request: { id: string; userId: string; createdAt: Date },
  deciderId: string,
): Promise<void> {
  await tx.placeJoinRequest.update({
    where: { id: request.id },
    data: { status: "approved", decidedById: deciderId, decidedAt: new Date() },
  });
  // The requester may have been added directly meanwhile; that is the same outcome.
  await tx.placeMembership.createMany({
    data: [{ placeId: place.id, userId: request.userId, role: "member" }],
    skipDuplicates: true,
  });
  await addFollow(tx, request.userId, "place", place.id);
  await notify(
    {
      userId: request.userId,
      type: "place.join_approved",
      // Shape of "place.join_approved" in app/modules/notifications/types.ts.
      data: { placeName: place.name, actorName: await displayNameOf(tx, deciderId), placeId: place.id },
      url: placePath(place),
      dedupeKey: `place.join_decided:${request.id}:${request.createdAt.getTime()}`,
    },
    tx,
  );
}

/** An owner approves (member + follower) or rejects a pending request; the requester is notified. */
export async function decideJoinRequest(
  reader: Reader,
  slug: unknown,
  requestId: unknown,
  decision: unknown,
): Promise<{ status: "approved" | "rejected" }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const id = parseOrThrow(IdSchema, requestId);
  const verdict = parseOrThrow(
    z.enum(["approve", "reject"], { error: "decision must be approve or reject" }),
    decision,
  );
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    requireOwner(context);
    requireActive(context);
    const { place } = context;
    const request = await tx.placeJoinRequest.findFirst({
      where: { id, placeId: place.id },
      select: { id: true, userId: true, status: true, createdAt: true },
    });
    if (!request) throw new StreamError("not_found", `No request ${id} to join place ${placeSlug}`);
    if (request.status !== "pending") {
      throw new StreamError("invalid_state", `Request ${id} was already ${request.status}`);
    }
    if (verdict === "approve") {
      await approveRequest(tx, place, request, reader.id);
      return { status: "approved" as const };
    }
    await tx.placeJoinRequest.update({
      where: { id: request.id },
      data: { status: "rejected", decidedById: reader.id, decidedAt: new Date() },
    });
    await notify(
      {
        userId: request.userId,
        type: "place.join_rejected",
        // Shape of "place.join_rejected" in app/modules/notifications/types.ts.
        data: { placeName: place.name, actorName: await displayNameOf(tx, reader.id), placeId: place.id },
        url: placePath(place),
        dedupeKey: `place.join_decided:${request.id}:${request.createdAt.getTime()}`,
      },
      tx,
    );
    return { status: "rejected" as const };
  }, TRANSACTION_OPTIONS);
}

/**
 * An owner adds an active colleague directly (the way into a secret place; also allowed for open and closed
 * ones). The new member follows the place, a pending request of theirs counts as approved, and they are told.
 */
export async function addMember(
  reader: Reader,
  slug: unknown,
  userId: unknown,
): Promise<{ userId: string; role: MembershipRole }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const targetId = parseOrThrow(IdSchema, userId);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    requireOwner(context);
    requireActive(context);
    const { place } = context;
    const target = await tx.user.findFirst({ where: { id: targetId, active: true }, select: { id: true } });
    if (!target) throw new StreamError("not_found", `No active colleague ${targetId}`);
    const existing = await tx.placeMembership.findUnique({
      where: { placeId_userId: { placeId: place.id, userId: target.id } },
      select: { role: true },
    });
    if (existing) throw new StreamError("conflict", `${targetId} is already a member of place ${placeSlug}`);
    await tx.placeMembership.create({ data: { placeId: place.id, userId: target.id, role: "member" } });
    await addFollow(tx, target.id, "place", place.id);
    await tx.placeJoinRequest.updateMany({
      where: { placeId: place.id, userId: target.id, status: "pending" },
      data: { status: "approved", decidedById: reader.id, decidedAt: new Date() },
    });
    const membership = await tx.placeMembership.findUniqueOrThrow({
      where: { placeId_userId: { placeId: place.id, userId: target.id } },
      select: { createdAt: true },
    });
    await notify(
      {
        userId: target.id,
        type: "place.member_added",
        // Shape of "place.member_added" in app/modules/notifications/types.ts.
        data: { placeName: place.name, actorName: await displayNameOf(tx, reader.id), placeId: place.id },
        url: placePath(place),
        dedupeKey: `place.member_added:${place.id}:${target.id}:${membership.createdAt.getTime()}`,
      },
      tx,
    );
    return { userId: target.id, role: "member" as const };
  }, TRANSACTION_OPTIONS);
}

async function removeMembership(
  tx: Prisma.TransactionClient,
  context: PlaceContext,
  userId: string,
): Promise<void> {
  const { place } = context;
  const membership = await tx.placeMembership.findUnique({
    where: { placeId_userId: { placeId: place.id, userId } },
    select: { role: true },
  });
  if (!membership) throw new StreamError("not_found", `${userId} is not a member of place ${place.slug}`);
  if (membership.role === "owner" && (await ownerCount(tx, place.id)) <= 1) {
    throw new StreamError(
      "invalid_state",
      `${userId} is the last owner of place ${place.slug}: make someone else owner first`,
    );
  }
  await tx.placeMembership.delete({ where: { placeId_userId: { placeId: place.id, userId } } });
  await removeFollow(tx, userId, "place", place.id);
}

/** Leaves a place (also an archived one) and unfollows it; the last owner hands over first. */
export async function leavePlace(reader: Reader, slug: unknown): Promise<{ left: true }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    if (!context.myRole) throw new StreamError("invalid_state", `Not a member of place ${placeSlug}`);
    await removeMembership(tx, context, reader.id);
    return { left: true as const };
  }, TRANSACTION_OPTIONS);
}

/** An owner removes a member (who also stops following); never the last owner. */
export async function removeMember(
  reader: Reader,
  slug: unknown,
  userId: unknown,
): Promise<{ removed: true }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const targetId = parseOrThrow(IdSchema, userId);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    requireOwner(context);
    requireActive(context);
    await removeMembership(tx, context, targetId);
    return { removed: true as const };
  }, TRANSACTION_OPTIONS);
}

/** An owner promotes a member to owner or demotes an owner (never the last one) to member. */
export async function setMemberRole(
  reader: Reader,
  slug: unknown,
  userId: unknown,
  role: unknown,
): Promise<{ userId: string; role: MembershipRole }> {
  const placeSlug = parseOrThrow(SlugSchema, slug);
  const targetId = parseOrThrow(IdSchema, userId);
  const nextRole = parseOrThrow(z.enum(["member", "owner"], { error: "role must be member or owner" }), role);
  return prisma.$transaction(async (tx) => {
    const context = await placeContext(tx, reader, placeSlug, { lock: true });
    requireOwner(context);
    requireActive(context);
    const { place } = context;
    const membership = await tx.placeMembership.findUnique({
      where: { placeId_userId: { placeId: place.id, userId: targetId } },
      select: { role: true },
    });
    if (!membership) throw new StreamError("not_found", `${targetId} is not a member of place ${placeSlug}`);
    if (membership.role === nextRole) return { userId: targetId, role: nextRole };
    if (nextRole === "member" && (await ownerCount(tx, place.id)) <= 1) {
      throw new StreamError(
        "invalid_state",
        `${targetId} is the last owner of place ${placeSlug}: make someone else owner first`,
      );
    }
    await tx.placeMembership.update({
      where: { placeId_userId: { placeId: place.id, userId: targetId } },
      data: { role: nextRole },
    });
    return { userId: targetId, role: nextRole };
  }, TRANSACTION_OPTIONS);
}
