/**
 * Reach of campaign messages: whether a recipient was reached (and how), opened it, and acknowledged it. The
 * dashboard counts these rows; owners see aggregates only, except acknowledgements.
 *
 * - Reached: the first channel that got the message to the person wins and is never overwritten or undone
 *   (a later push after an e-mail does not move reachedAt). Reaching someone through a reminder also marks
 *   the original message reached, so a second reminder does not chase them again.
 * - A one-item campaign digest (periodKey "campaign:<messageId>") sent on push, SMS or e-mail reaches them on
 *   that channel; a regular digest that carried the message's "campaign.message" entry reaches them via "digest".
 * - Viewing the stream post (the post page) reaches them via "stream" and counts as opened.
 */
import { prisma } from "~/db.server";
import { type CampaignChannel, type Prisma } from "~/generated/prisma/client";
import type { DigestItemSource } from "~/modules/digests/compose.server";
import { clipText, type DigestItem, MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH } from "~/modules/digests/items";
import { CampaignError } from "./errors";
import { type CampaignReader, canSeeCampaign } from "./policy.server";

type Db = Prisma.TransactionClient;

/** The DigestEntry type a message becomes for people who get it in their regular digest. */
export const CAMPAIGN_MESSAGE_ENTRY_TYPE = "campaign.message";
/** Digest.periodKey of the one-item digest a message becomes for push, SMS and e-mail. */
export const CAMPAIGN_PERIOD_PREFIX = "campaign:";

/** How long a waiting "campaign.message" entry stays news (the digests' limit for personal items). */
const ENTRY_MAX_AGE_DAYS = 30;
const DAY = 24 * 3600_000;

/** The page a campaign message links to. */
export function campaignPath(slug: string): string {
  return `/campagnes/${encodeURIComponent(slug)}`;
}

/** The periodKey of a message's one-item digests. */
export function campaignPeriodKey(messageId: string): string {
  return `${CAMPAIGN_PERIOD_PREFIX}${messageId}`;
}

/**
 * Marks a recipient reached through `via` at `at` when nothing reached them before (first reach wins; an
 * existing reach is never moved or cleared). Also marks the original of a reminder. Returns whether this
 * message's row changed; people who were not recipients are ignored.
 */
export async function markCampaignReached(
  userId: string,
  messageId: string,
  via: CampaignChannel,
  at: Date,
  db: Db = prisma,
): Promise<boolean> {
  const changed = await db.campaignRecipient.updateMany({
    where: { messageId, userId, reachedAt: null },
    data: { reachedAt: at, reachedVia: via },
  });
  const message = await db.campaignMessage.findUnique({
    where: { id: messageId },
    select: { reminderOfId: true },
  });
  if (message?.reminderOfId) {
    await db.campaignRecipient.updateMany({
      where: { messageId: message.reminderOfId, userId, reachedAt: null },
      data: { reachedAt: at, reachedVia: via },
    });
  }
  return changed.count === 1;
}

/** Marks a recipient's message opened (the first time only), which also means reached through `via`. */
export async function markCampaignOpened(
  userId: string,
  messageId: string,
  via: CampaignChannel,
  at: Date,
  db: Db = prisma,
): Promise<boolean> {
  await markCampaignReached(userId, messageId, via, at, db);
  const changed = await db.campaignRecipient.updateMany({
    where: { messageId, userId, openedAt: null },
    data: { openedAt: at },
  });
  return changed.count === 1;
}

/**
 * For the post page (app/routes/berichten.$id): a reader viewed a post; when it is a campaign message's
 * stream post and they were a recipient, it reached them via "stream" and they opened it. Cheap for every
 * other post (one indexed lookup by the unique postId).
 */
export async function markCampaignPostViewed(
  userId: string,
  postId: string,
  at: Date = new Date(),
): Promise<void> {
  const message = await prisma.campaignMessage.findUnique({ where: { postId }, select: { id: true } });
  if (!message) return;
  await markCampaignOpened(userId, message.id, "stream", at);
}

/**
 * "Gelezen": a recipient confirms a message that asks for it. Idempotent (the first confirmation's time stays).
 * not_found when the reader may not see the campaign or the message does not exist; wrong_status when the
 * message is not sent or asks no confirmation; forbidden when the reader was not among its recipients.
 */
export async function acknowledgeCampaignMessage(
  reader: CampaignReader,
  messageId: string,
  at: Date = new Date(),
): Promise<{ acknowledgedAt: Date }> {
  const message = await prisma.campaignMessage.findUnique({
    where: { id: messageId },
    select: {
      id: true,
      status: true,
      requiresAck: true,
      campaign: { select: { status: true, audience: true } },
    },
  });
  if (!message || !canSeeCampaign(reader, message.campaign)) {
    throw new CampaignError("not_found", `Message ${messageId} not found`);
  }
  if (message.status !== "sent" || !message.requiresAck) {
    throw new CampaignError("wrong_status", `Message ${messageId} asks for no acknowledgement`);
  }
  return prisma.$transaction(async (tx) => {
    // Confirming proves it reached them and they read it; the channel stays unknown (null) unless one is known.
    await tx.campaignRecipient.updateMany({
      where: { messageId, userId: reader.id, acknowledgedAt: null },
      data: { acknowledgedAt: at },
    });
    await tx.campaignRecipient.updateMany({
      where: { messageId, userId: reader.id, openedAt: null },
      data: { openedAt: at },
    });
    await tx.campaignRecipient.updateMany({
      where: { messageId, userId: reader.id, reachedAt: null },
      data: { reachedAt: at },
    });
    const row = await tx.campaignRecipient.findUnique({
      where: { messageId_userId: { messageId, userId: reader.id } },
      select: { acknowledgedAt: true },
    });
    if (!row?.acknowledgedAt) {
      throw new CampaignError("forbidden", `The reader was not a recipient of message ${messageId}`);
    }
    return { acknowledgedAt: row.acknowledgedAt };
  });
}

/**
 * Called by the digest delivery (app/modules/digests/deliver.server.ts) once a delivery is sent: a campaign
 * digest reaches its recipient on the delivery's channel; a regular digest reaches the recipients of the
 * campaign messages it carried via "digest". Never throws: the delivery is sent whatever happens here, so a
 * failure is logged (ids only) rather than turned into a retry that would find the delivery done.
 */
export async function markCampaignReachedByDelivery(
  delivery: { digestId: string; userId: string; channel: "push" | "sms" | "email" },
  at: Date,
): Promise<void> {
  try {
    const digest = await prisma.digest.findUnique({
      where: { id: delivery.digestId },
      select: {
        periodKey: true,
        entries: { where: { type: CAMPAIGN_MESSAGE_ENTRY_TYPE }, select: { data: true } },
      },
    });
    if (!digest) return;
    if (digest.periodKey.startsWith(CAMPAIGN_PERIOD_PREFIX)) {
      const messageId = digest.periodKey.slice(CAMPAIGN_PERIOD_PREFIX.length);
      await markCampaignReached(delivery.userId, messageId, delivery.channel, at);
    }
    for (const entry of digest.entries) {
      const messageId = entryMessageId(entry.data);
      if (messageId) await markCampaignReached(delivery.userId, messageId, "digest", at);
    }
  } catch (error) {
    console.error("campaigns: marking reach after a delivery failed", {
      digestId: delivery.digestId,
      channel: delivery.channel,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** The message id a "campaign.message" entry's data names, or null for a malformed row. */
export function entryMessageId(data: Prisma.JsonValue): string | null {
  if (data && typeof data === "object" && !Array.isArray(data)) {
    const value = (data as Prisma.JsonObject).messageId;
    if (typeof value === "string" && value.length > 0) return value;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Digest source (registered in app/modules/digests/compose.server.ts; kept here, away from the sender's
// imports, so the composer does not load the stream and live modules)

/**
 * CAMPAIGN_SOURCES entry: the "campaign.message" DigestEntry rows waiting for these people become items of
 * kind "campaign" (category "campaigns"), and the entries are carried by the digest. Entries are written only
 * for the message's audience, so no further audience check is needed here.
 */
export const campaignEntrySource: DigestItemSource = async (recipients, now, db) => {
  const result = new Map<string, { items: DigestItem[]; entryIds: string[] }>();
  if (recipients.length === 0) return result;
  const entries = await db.digestEntry.findMany({
    where: {
      userId: { in: recipients.map((r) => r.id) },
      type: CAMPAIGN_MESSAGE_ENTRY_TYPE,
      digestId: null,
      createdAt: { gt: new Date(now.getTime() - ENTRY_MAX_AGE_DAYS * DAY), lte: now },
    },
    select: { id: true, userId: true, data: true, url: true, createdAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  for (const entry of entries) {
    const messageId = entryMessageId(entry.data);
    const data = entry.data as Prisma.JsonObject;
    const found = result.get(entry.userId) ?? { items: [], entryIds: [] };
    found.entryIds.push(entry.id);
    const title = typeof data.title === "string" ? data.title : "";
    if (messageId && title) {
      const campaignName = typeof data.campaignName === "string" ? data.campaignName : "";
      const summary = typeof data.summary === "string" ? data.summary : "";
      const requiresAck = data.requiresAck === true;
      found.items.push({
        kind: "campaign",
        id: messageId,
        title: clipText(title, MAX_TITLE_LENGTH),
        summary: clipText(campaignName ? `${campaignName}: ${summary}` : summary, MAX_SUMMARY_LENGTH),
        url: entry.url,
        priority: requiresAck ? 1 : 0,
        urgent: false,
        ...(requiresAck ? { needsAcknowledgement: true } : {}),
        date: entry.createdAt.toISOString(),
      });
    }
    result.set(entry.userId, found);
  }
  return result;
};
