/**
 * Who may see what in the activity stream. Every read path (streams, a single post, comments, profiles,
 * search, notifications, live events, digests) asks these helpers; none decides on its own.
 *
 * A post carries visibility keys in `Post.audience`, the same scheme as circulars (decision 0006):
 * - a post on a profile, or in an open group or project: ["all"];
 * - a post in a closed or secret place: ["place:<id>"] (members only);
 * - an announcement: the audience keys the communicator chose (everyone, departments, roles, field workers),
 *   plus "user:<author id>" so its author always sees it.
 * A reader's keys are their circular audience keys, "user:<own id>" and "place:<id>" for every membership.
 * A campaign message's stream post carries "campaign:<campaign id>": its readers are the campaign's audience
 * while the campaign is public (running, paused, ended), computed by streamReaderOf from the campaigns table
 * (a handful of rows) because a campaign audience is JSON, not keys. A reader built without streamReaderOf
 * has no campaign keys and so sees no campaign post: the safe default.
 * A hidden post is visible to its author (with the moderator's reason) and to moderators only; a deleted post
 * to nobody.
 */
import { prisma } from "~/db.server";
import { type PlaceVisibility, type Prisma } from "~/generated/prisma/client";
import { audienceKeysOf, type Reader } from "~/modules/circulars/policy.server";
import { hasPermission } from "~/modules/identity/permissions";
import { isInCampaignAudience, parseCampaignAudience } from "~/modules/campaigns/audience";
import { PUBLIC_STATUSES } from "~/modules/campaigns/policy.server";

export type StreamReader = Reader & {
  /** Ids of the places this person is a member of. */
  placeIds: readonly string[];
  /** Ids of the public campaigns whose audience includes this person (streamReaderOf fills it). */
  campaignIds?: readonly string[];
};

/**
 * Loads the place memberships that complete a reader's keys. Pass the transaction client when the caller
 * decides inside a transaction, so the memberships it checks are the ones it then changes.
 */
export async function streamReaderOf(
  reader: Reader,
  db: Prisma.TransactionClient = prisma,
): Promise<StreamReader> {
  const memberships = await db.placeMembership.findMany({
    where: { userId: reader.id },
    select: { placeId: true },
  });
  const campaignIds = await campaignIdsOf(reader, db);
  return { ...reader, placeIds: memberships.map((m) => m.placeId), campaignIds };
}

/** The visibility key of a campaign's stream posts. */
export function campaignKey(campaignId: string): string {
  return `campaign:${campaignId}`;
}

/**
 * The public campaigns (running, paused, ended) whose audience includes the reader. Campaigns are few (a
 * handful a year), so reading them all per request is cheaper than any cache that could go stale when a
 * campaign starts or its audience changes; a malformed stored audience includes nobody.
 */
export async function campaignIdsOf(
  reader: Reader,
  db: Prisma.TransactionClient = prisma,
): Promise<string[]> {
  const campaigns = await db.campaign.findMany({
    where: { status: { in: [...PUBLIC_STATUSES] } },
    select: { id: true, audience: true },
  });
  return campaigns.flatMap((campaign) => {
    try {
      return isInCampaignAudience(reader, parseCampaignAudience(campaign.audience)) ? [campaign.id] : [];
    } catch {
      return [];
    }
  });
}

export function placeKey(placeId: string): string {
  return `place:${placeId}`;
}

/**
 * A person's own key. Announcements carry their author's key beside the chosen audience, so a communicator
 * who writes to another department still sees (and can edit) what they wrote.
 */
export function userKey(userId: string): string {
  return `user:${userId}`;
}

/** Every visibility key of a reader. */
export function streamKeysOf(reader: StreamReader): string[] {
  return [
    ...audienceKeysOf(reader),
    userKey(reader.id),
    ...reader.placeIds.map(placeKey),
    ...(reader.campaignIds ?? []).map(campaignKey),
  ];
}

/** The audience a post gets from where it is posted. */
export function postAudienceFor(place: { id: string; visibility: PlaceVisibility } | null): string[] {
  if (!place || place.visibility === "open") return ["all"];
  return [placeKey(place.id)];
}

export function canModerate(reader: { roles: Reader["roles"] }): boolean {
  return hasPermission(reader, "moderate:post");
}

/** Whether a reader may see a post (its content, comments and reactions). */
export function canSeePost(
  reader: StreamReader,
  post: { authorId: string; audience: readonly string[]; deletedAt: Date | null; hiddenAt: Date | null },
): boolean {
  if (post.deletedAt) return false;
  if (post.hiddenAt) return post.authorId === reader.id || canModerate(reader);
  const keys = new Set(streamKeysOf(reader));
  return post.audience.some((key) => keys.has(key));
}

/** Prisma filter for the posts a reader may see; use it in every list query. */
export function visiblePostsWhere(reader: StreamReader): Prisma.PostWhereInput {
  return {
    deletedAt: null,
    audience: { hasSome: streamKeysOf(reader) },
    OR: [{ hiddenAt: null }, { authorId: reader.id }],
  };
}

/** Whether a reader may know a place exists (secret places: members only). */
export function canSeePlace(
  reader: StreamReader,
  place: { id: string; visibility: PlaceVisibility },
): boolean {
  return place.visibility !== "secret" || reader.placeIds.includes(place.id);
}

/** Prisma filter for the places a reader may know exist (canSeePlace); use it in every place list query. */
export function visiblePlacesWhere(reader: StreamReader): Prisma.PlaceWhereInput {
  return { OR: [{ visibility: { not: "secret" } }, { id: { in: [...reader.placeIds] } }] };
}

/** Whether a reader may read the posts of a place. */
export function canReadPlace(
  reader: StreamReader,
  place: { id: string; visibility: PlaceVisibility },
): boolean {
  return place.visibility === "open" || reader.placeIds.includes(place.id);
}

/** Whether a reader may post in a place: members only (joining an open place takes one click). */
export function canPostInPlace(
  reader: StreamReader,
  place: { id: string; archivedAt: Date | null },
): boolean {
  return !place.archivedAt && reader.placeIds.includes(place.id);
}
