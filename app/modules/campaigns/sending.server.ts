/**
 * Sending campaign messages (job `campaigns.send`, every minute): planned messages whose time has come, of
 * running campaigns (a paused campaign's messages wait and go once it runs again), through every channel the
 * communicator chose. Push, SMS and e-mail go through the field-worker delivery layer (issue 5): one one-item
 * Digest per recipient (periodKey "campaign:<messageId>") and one DigestDelivery per reachable channel, so the
 * same idempotency key, the same delivery log, the same consent checks at sending time and the same SMS budget.
 *
 * Exactly once:
 * - A message is claimed with one conditional UPDATE (planned → sending) under FOR UPDATE SKIP LOCKED, so of
 *   two runs at the same moment exactly one sends it.
 * - Every write after the claim is idempotent (recipient rows per message and person, the post linked in the
 *   same transaction that creates it, digests unique per person and period, deliveries by idempotency key,
 *   digest entries by dedupe key). A run that died halfway leaves the message `sending`; once its lease has
 *   passed without a heartbeat, the next run claims it again and completes what is missing, and only the
 *   deliveries that were never picked up are queued (the delivery job sends a row once anyway).
 *
 * Channels:
 * - stream: one announcement by the campaign's creator, visible to the campaign's audience only (key
 *   "campaign:<id>", app/modules/stream/policy.server.ts), with the campaign's hashtag as topic.
 * - push, sms, email: as above, to each recipient on the chosen channels that reach them now.
 * - digest: a "campaign.message" DigestEntry for recipients who get digests (and want campaign news in them)
 *   and were not already sent the message directly: nobody gets the same message twice.
 * - kiosk: nothing to send; the board shows the message while the campaign runs (app/modules/kiosk/board.server.ts).
 * Recipients are the campaign's audience when it is sent, or, for a reminder, the original's recipients who
 * have not been reached; their department is recorded so reach per department stays right when people move.
 */
import { prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { type CampaignChannel, type DigestChannel, Prisma } from "~/generated/prisma/client";
import { type LexicalDocument, type ParagraphNode } from "~/editor/lexical-schema";
import { clipText, type DigestItem, MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH } from "~/modules/digests/items";
import { reachableChannels } from "~/modules/reach/reachability.server";
import { analyseBody, normaliseTopicSlug, POST_LIMITS, storedDocument } from "~/modules/stream/content";
import { campaignKey } from "~/modules/stream/policy.server";
import { writePostInTransaction } from "~/modules/stream/posts.server";
import { parseCampaignAudience } from "./audience";
import { resolveCampaignAudience, type ResolvedRecipient } from "./audience.server";
import { recordCampaignAudit } from "./audit.server";
import { CAMPAIGN_MESSAGE_ENTRY_TYPE, campaignPath, campaignPeriodKey } from "./reach.server";

type Db = Prisma.TransactionClient;

/** Recipients per transaction: the digest planner's batch size (few round trips, short transactions). */
export const SEND_BATCH_SIZE = 500;
/** Messages claimed per run; the rest go a minute later. */
export const DEFAULT_SEND_LIMIT = 20;
/**
 * A `sending` message without a heartbeat for this long belongs to a run that died: it is claimed again.
 * Each batch renews the heartbeat, so a large audience never looks dead while it is being sent.
 */
export const SENDING_LEASE_MINUTES = 10;
const DIRECT_CHANNELS = ["push", "sms", "email"] as const satisfies readonly DigestChannel[];
const DAY = 24 * 3600_000;

export type SendOptions = {
  /** At most this many messages per run (default DEFAULT_SEND_LIMIT). */
  limit?: number;
  batchSize?: number;
  /** Called with the error of a message that could not be sent completely (the job logs it). */
  onError?: (messageId: string, error: unknown) => void;
};

export type SendResult = {
  /** Messages claimed by this run. */
  claimed: number;
  /** Messages completed (status sent). */
  sent: number;
  /** Messages that failed halfway (they stay `sending` and are claimed again after the lease). */
  failed: number;
  /** Recipient rows created. */
  recipients: number;
  /** Deliveries to queue on the digests.deliver queue. */
  deliveryIds: string[];
};

/** Sends every due message (see the module comment); returns what to enqueue. */
export async function sendDueMessages(now: Date, options: SendOptions = {}): Promise<SendResult> {
  const result: SendResult = { claimed: 0, sent: 0, failed: 0, recipients: 0, deliveryIds: [] };
  const claimed = await claimDueMessages(now, options.limit ?? DEFAULT_SEND_LIMIT);
  result.claimed = claimed.length;
  for (const messageId of claimed) {
    try {
      const sent = await sendClaimedMessage(messageId, now, options.batchSize ?? SEND_BATCH_SIZE);
      result.sent += 1;
      result.recipients += sent.recipients;
      result.deliveryIds.push(...sent.deliveryIds);
    } catch (error) {
      result.failed += 1;
      options.onError?.(messageId, error);
    }
  }
  return result;
}

function utc(date: Date): Prisma.Sql {
  return Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/**
 * planned → sending (or a dead run's sending → sending) for due messages of running campaigns, atomically:
 * rows another run holds are skipped, and the status is part of the WHERE, so no message is claimed twice.
 */
async function claimDueMessages(now: Date, limit: number): Promise<string[]> {
  const lease = new Date(now.getTime() - SENDING_LEASE_MINUTES * 60_000);
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "CampaignMessage" AS m SET "status" = 'sending', "updatedAt" = ${utc(now)}
    WHERE m."id" IN (
      SELECT d."id" FROM "CampaignMessage" AS d
      JOIN "Campaign" AS c ON c."id" = d."campaignId"
      WHERE c."status" = 'running' AND d."sendAt" <= ${utc(now)}
        AND (d."status" = 'planned' OR (d."status" = 'sending' AND d."updatedAt" < ${utc(lease)}))
      ORDER BY d."sendAt", d."id"
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    ) AND (m."status" = 'planned' OR (m."status" = 'sending' AND m."updatedAt" < ${utc(lease)}))
    RETURNING m."id"`;
  return rows.map((row) => row.id);
}

const sendingSelect = {
  id: true,
  title: true,
  body: true,
  bodyText: true,
  channels: true,
  requiresAck: true,
  reminderOfId: true,
  postId: true,
  campaign: {
    select: { id: true, slug: true, name: true, hashtag: true, audience: true, createdById: true },
  },
} as const satisfies Prisma.CampaignMessageSelect;

type SendingMessage = Prisma.CampaignMessageGetPayload<{ select: typeof sendingSelect }>;

async function sendClaimedMessage(
  messageId: string,
  now: Date,
  batchSize: number,
): Promise<{ recipients: number; deliveryIds: string[] }> {
  const message = await prisma.campaignMessage.findUniqueOrThrow({
    where: { id: messageId },
    select: sendingSelect,
  });
  const recipients = await recipientsOf(message);
  if (message.channels.includes("stream") && !message.postId) await createStreamPost(message);

  let created = 0;
  for (let at = 0; at < recipients.length; at += batchSize) {
    const batch = recipients.slice(at, at + batchSize);
    created += await prisma.$transaction((tx) => writeBatch(tx, message, batch, now));
  }

  const periodKey = campaignPeriodKey(message.id);
  // Everything of this message nobody picked up yet: this run's deliveries, and a dead run's leftovers.
  const queued = await prisma.digestDelivery.findMany({
    where: { digest: { periodKey }, status: "queued", attempts: 0, sendingAt: null },
    select: { id: true },
  });
  await prisma.$transaction(async (tx) => {
    const done = await tx.campaignMessage.updateMany({
      where: { id: message.id, status: "sending" },
      data: { status: "sent", sentAt: now },
    });
    if (done.count !== 1) return;
    const [recipientCount, deliveries, entries] = await Promise.all([
      tx.campaignRecipient.count({ where: { messageId: message.id } }),
      tx.digestDelivery.groupBy({
        by: ["channel"],
        where: { digest: { periodKey } },
        _count: { _all: true },
      }),
      tx.digestEntry.count({ where: { dedupeKey: { startsWith: `${periodKey}:` } } }),
    ]);
    await recordCampaignAudit(tx, {
      campaignId: message.campaign.id,
      actorId: null,
      action: "message.sent",
      details: {
        messageId: message.id,
        title: message.title,
        channels: message.channels,
        reminderOf: message.reminderOfId,
        recipients: recipientCount,
        deliveries: Object.fromEntries(deliveries.map((row) => [row.channel, row._count._all])),
        digestEntries: entries,
        streamPost: message.channels.includes("stream"),
      },
    });
  });
  return { recipients: created, deliveryIds: queued.map((row) => row.id) };
}

/** The campaign's audience now, or the not-yet-reached recipients of the original for a reminder. */
async function recipientsOf(message: SendingMessage): Promise<ResolvedRecipient[]> {
  if (message.reminderOfId) {
    const rows = await prisma.campaignRecipient.findMany({
      where: { messageId: message.reminderOfId, reachedAt: null, user: { active: true } },
      select: { userId: true, departmentId: true },
      orderBy: { userId: "asc" },
    });
    return rows.map((row) => ({ id: row.userId, departmentId: row.departmentId }));
  }
  return resolveCampaignAudience(parseCampaignAudience(message.campaign.audience));
}

/** Recipient rows, direct deliveries and digest entries of one batch of recipients; returns rows created. */
async function writeBatch(
  tx: Db,
  message: SendingMessage,
  batch: ResolvedRecipient[],
  now: Date,
): Promise<number> {
  const ids = batch.map((recipient) => recipient.id);
  const created = await tx.campaignRecipient.createMany({
    data: batch.map((recipient) => ({
      messageId: message.id,
      userId: recipient.id,
      departmentId: recipient.departmentId,
    })),
    skipDuplicates: true,
  });

  const direct = DIRECT_CHANNELS.filter((channel) => message.channels.includes(channel));
  const directlyReached = new Set<string>();
  if (direct.length > 0) {
    const reachable = await reachableChannels(ids, tx);
    const channelsOf = new Map<string, DigestChannel[]>();
    for (const id of ids) {
      const available = reachable.get(id) ?? new Set<DigestChannel>();
      const channels = direct.filter((channel) => available.has(channel));
      if (channels.length === 0) continue;
      channelsOf.set(id, channels);
      directlyReached.add(id);
    }
    await writeDirectDeliveries(tx, message, channelsOf, now);
  }

  if (message.channels.includes("digest")) {
    const candidates = ids.filter((id) => !directlyReached.has(id));
    if (candidates.length > 0) {
      const subscribed = await tx.digestPreference.findMany({
        where: {
          userId: { in: candidates },
          paused: false,
          NOT: { channels: { isEmpty: true } },
          categories: { has: "campaigns" },
        },
        select: { userId: true },
      });
      const url = campaignPath(message.campaign.slug);
      const data = {
        messageId: message.id,
        campaignId: message.campaign.id,
        campaignName: message.campaign.name,
        title: message.title,
        summary: clipText(message.bodyText, MAX_SUMMARY_LENGTH),
        requiresAck: message.requiresAck,
      } satisfies Prisma.InputJsonObject;
      await tx.digestEntry.createMany({
        data: subscribed.map(({ userId }) => ({
          userId,
          type: CAMPAIGN_MESSAGE_ENTRY_TYPE,
          data,
          url,
          dedupeKey: `${campaignPeriodKey(message.id)}:${userId}`,
          createdAt: now,
        })),
        skipDuplicates: true,
      });
    }
  }
  // Heartbeat: a long send is alive, not a dead run's leftover (see SENDING_LEASE_MINUTES).
  await tx.campaignMessage.updateMany({
    where: { id: message.id, status: "sending" },
    data: { updatedAt: now },
  });
  return created.count;
}

/** The one item a message's digests (and digest entries) show. */
export function campaignDigestItem(
  message: { id: string; title: string; bodyText: string; requiresAck: boolean },
  campaign: { slug: string },
  date: Date,
): DigestItem {
  return {
    kind: "campaign",
    // The message, not the digest or entry: "already sent" then holds across the digests of one person.
    id: message.id,
    title: clipText(message.title, MAX_TITLE_LENGTH),
    summary: clipText(message.bodyText, MAX_SUMMARY_LENGTH),
    url: campaignPath(campaign.slug),
    priority: message.requiresAck ? 1 : 0,
    urgent: false,
    ...(message.requiresAck ? { needsAcknowledgement: true } : {}),
    date: date.toISOString(),
  };
}

/** One-item digests and their deliveries, as the digest planner writes them (set-based, idempotent). */
async function writeDirectDeliveries(
  tx: Db,
  message: SendingMessage,
  channelsOf: Map<string, DigestChannel[]>,
  now: Date,
): Promise<void> {
  if (channelsOf.size === 0) return;
  const periodKey = campaignPeriodKey(message.id);
  const item = campaignDigestItem(message, message.campaign, now);
  const tokenExpiresAt = new Date(now.getTime() + getEnv().DIGEST_LINK_DAYS * DAY);
  // Unique (userId, periodKey): a re-run creates nothing, and only digests created now get deliveries.
  const digests = await tx.digest.createManyAndReturn({
    data: [...channelsOf.keys()].map((userId) => ({
      userId,
      periodKey,
      items: [item] as unknown as Prisma.InputJsonArray,
      itemCount: 1,
      urgent: false,
      coversUntil: now,
      tokenExpiresAt,
    })),
    skipDuplicates: true,
    select: { id: true, userId: true },
  });
  if (digests.length === 0) return;
  const masked = await maskedDestinations(
    tx,
    digests.map((digest) => digest.userId),
  );
  await tx.digestDelivery.createMany({
    data: digests.flatMap((digest) =>
      (channelsOf.get(digest.userId) ?? []).map((channel) => ({
        digestId: digest.id,
        userId: digest.userId,
        channel,
        idempotencyKey: `${digest.id}:${channel}`,
        destination: channel === "push" ? null : (masked.get(`${digest.userId}:${channel}`) ?? null),
        queuedAt: now,
      })),
    ),
    skipDuplicates: true,
  });
}

/** "userId:sms" / "userId:email" → the masked contact the delivery log shows (never the value itself). */
async function maskedDestinations(tx: Db, userIds: string[]): Promise<Map<string, string>> {
  const contacts = await tx.personalContact.findMany({
    where: { userId: { in: userIds }, removedAt: null, verifiedAt: { not: null } },
    select: { userId: true, kind: true, masked: true },
  });
  return new Map(
    contacts.map((contact) => [
      `${contact.userId}:${contact.kind === "phone" ? "sms" : "email"}`,
      contact.masked,
    ]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Stream

/**
 * The stream announcement of a message: the title as a bold first line above the body, by the campaign's
 * creator, for the campaign's audience (writePostInTransaction adds the author's own key, publishes the live
 * event and queues the search index); linked to the message in the same transaction (a re-run finds it).
 * Nobody is notified: the message reaches people through its other channels, and a bell notification to
 * the whole audience would be a second copy of the same news.
 */
async function createStreamPost(message: SendingMessage): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ postId: string | null }[]>`
      SELECT "postId" FROM "CampaignMessage" WHERE "id" = ${message.id} FOR UPDATE`;
    if (locked[0]?.postId) return;
    const body = storedDocument(message.body);
    const heading: ParagraphNode = {
      type: "paragraph",
      children: [{ type: "text", text: message.title, format: 1 }],
    };
    const document: LexicalDocument = { root: { ...body.root, children: [heading, ...body.root.children] } };
    const analysed = analyseBody(document, new Map(), {
      limits: { ...POST_LIMITS, maxTextLength: Number.MAX_SAFE_INTEGER, maxMentions: 1000, maxTopics: 1000 },
      allowEmpty: true,
    });
    if (!analysed.ok) throw new Error(`campaign message ${message.id}: body cannot become a post`);
    const topics = [...analysed.body.topics];
    if (message.campaign.hashtag) {
      const slug = normaliseTopicSlug(message.campaign.hashtag);
      if (!topics.some((topic) => topic.slug === slug)) {
        topics.push({ slug, name: message.campaign.hashtag.replace(/^#/, "") });
      }
    }
    const post = await writePostInTransaction(tx, {
      authorId: message.campaign.createdById,
      kind: "announcement",
      audience: [campaignKey(message.campaign.id)],
      // Mentions stay links in the text but notify nobody (see above).
      body: { ...analysed.body, topics, mentioned: [] },
    });
    await tx.campaignMessage.update({ where: { id: message.id }, data: { postId: post.id } });
  });
}

/** Channels of a message as the sender reads them (for callers that show what will happen). */
export function directChannelsOf(channels: readonly CampaignChannel[]): DigestChannel[] {
  return DIRECT_CHANNELS.filter((channel) => channels.includes(channel));
}
