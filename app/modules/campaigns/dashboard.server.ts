/**
 * The measurement dashboard of a campaign, for campaign managers: reach (people reached / audience, per channel
 * and per department), delivery with open and click rates per channel, acknowledgements, pulse results,
 * engagement (reactions, comments, stories) and reach per Brussels day for the charts.
 *
 * Aggregates only: nothing here says what one person read or answered. The one exception the issue allows is
 * `ackList`, who confirmed a message that asked for it. Departments are top-level departments (services roll
 * up), and a department with fewer than MIN_GROUP recipients is merged into "andere" (with the same
 * no-subtraction rule as the pulse results), so reach per department cannot single anyone out either.
 *
 * Every measure is one set-based query over all of the campaign's messages (no query per message or person).
 * Rates are fractions (0-1, four decimals) or null when there is nothing to divide by.
 * Delivery counts are cumulative: a delivery that was opened also counts as sent and delivered when it was;
 * open and click rates are per delivery sent (push and e-mail have no delivery receipts, so "delivered" would
 * understate them).
 */
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { prisma } from "~/db.server";
import {
  Prisma,
  type CampaignChannel,
  type CampaignMessageStatus,
  type CampaignStatus,
  type DigestChannel,
  type ReactionType,
  type StoryStatus,
} from "~/generated/prisma/client";
import { campaignAudienceWhere, parseCampaignAudience } from "./audience";
import { CampaignError } from "./errors";
import { type CampaignActor, canManageCampaigns } from "./policy.server";
import {
  departmentNames,
  MIN_GROUP,
  mergeSmallGroups,
  OTHER_GROUP,
  pulseResultsOf,
  type PulseResults,
} from "./pulse.server";
import { campaignPeriodKey, CAMPAIGN_PERIOD_PREFIX } from "./reach.server";

const TIME_ZONE = "Europe/Brussels";
export const CAMPAIGN_CHANNEL_ORDER = [
  "stream",
  "push",
  "sms",
  "email",
  "digest",
  "kiosk",
] as const satisfies readonly CampaignChannel[];
export const DELIVERY_CHANNELS = ["push", "sms", "email"] as const satisfies readonly DigestChannel[];
export const STORY_STATUSES = ["submitted", "approved", "rejected"] as const satisfies readonly StoryStatus[];
/** The longest daily series returned (two years of a campaign is already unusual). */
const MAX_SERIES_DAYS = 731;

/** A fraction 0-1 with four decimals, or null when there is nothing to divide by. */
export type Rate = number | null;

export function rate(part: number, whole: number): Rate {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

export type DeliveryMeasures = {
  channel: DigestChannel;
  total: number;
  /** Waiting or being sent. */
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  opened: number;
  clicked: number;
  /** opened / sent. */
  openRate: Rate;
  /** clicked / sent. */
  clickRate: Rate;
};

export type DepartmentReach = {
  group: "department" | "other";
  departmentId: string | null;
  name: string | null;
  recipients: number;
  reached: number;
  reachedRate: Rate;
};

export type Engagement = { reactions: number; comments: number };

export type MessageMeasures = {
  id: string;
  title: string;
  status: CampaignMessageStatus;
  sendAt: Date;
  sentAt: Date | null;
  channels: CampaignChannel[];
  requiresAck: boolean;
  reminderOfId: string | null;
  recipients: number;
  reached: number;
  reachedRate: Rate;
  /** Recipients not reached yet: who a reminder would go to. */
  notReached: number;
  opened: number;
  /** People reached per channel (the channel that reached them first), every channel listed. */
  reachedVia: { channel: CampaignChannel; reached: number; share: Rate }[];
  departments: DepartmentReach[];
  /** Null when the message asked for no acknowledgement. */
  acknowledged: number | null;
  acknowledgedRate: Rate;
  deliveries: DeliveryMeasures[];
  pulse: PulseResults | null;
  /** Reactions and comments on the message's stream post; null without one. */
  engagement: Engagement | null;
};

export type ReachDay = {
  /** Brussels calendar day, YYYY-MM-DD. */
  day: string;
  /** Recipients reached that day (over all messages). */
  reached: number;
  byChannel: Record<CampaignChannel, number>;
  /** Different people reached by any message up to and including that day. */
  cumulativePeople: number;
};

export type CampaignDashboard = {
  campaign: { id: string; slug: string; name: string; status: CampaignStatus; startsAt: Date; endsAt: Date };
  generatedAt: Date;
  minGroup: number;
  /** Active people in the audience now. */
  audienceSize: number;
  /** Different people any message was sent to, and reached. */
  people: { recipients: number; reached: number; reachedRate: Rate };
  messages: MessageMeasures[];
  /** Deliveries of all messages per channel. */
  deliveries: DeliveryMeasures[];
  engagement: {
    messages: Engagement;
    stories: Engagement;
    reactionsByType: { type: ReactionType; count: number }[];
  };
  stories: Record<StoryStatus, number>;
  reachByDay: ReachDay[];
};

type Db = Prisma.TransactionClient;

function emptyChannels(): Record<CampaignChannel, number> {
  return { stream: 0, push: 0, sms: 0, email: 0, digest: 0, kiosk: 0 };
}

function emptyDelivery(channel: DigestChannel): DeliveryMeasures {
  return {
    channel,
    total: 0,
    queued: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
    opened: 0,
    clicked: 0,
    openRate: null,
    clickRate: null,
  };
}

function addDelivery(a: DeliveryMeasures, b: Omit<DeliveryMeasures, "channel" | "openRate" | "clickRate">) {
  const sum = {
    channel: a.channel,
    total: a.total + b.total,
    queued: a.queued + b.queued,
    sent: a.sent + b.sent,
    delivered: a.delivered + b.delivered,
    failed: a.failed + b.failed,
    opened: a.opened + b.opened,
    clicked: a.clicked + b.clicked,
  };
  return { ...sum, openRate: rate(sum.opened, sum.sent), clickRate: rate(sum.clicked, sum.sent) };
}

/** The campaign for a manager, or forbidden / not_found. */
async function requireManagedCampaign(actor: CampaignActor, campaignId: string, db: Db) {
  if (!canManageCampaigns(actor)) {
    throw new CampaignError("forbidden", "Only campaign managers see a campaign's measurements");
  }
  const campaign = await db.campaign.findUnique({
    where: { id: campaignId },
    select: { id: true, slug: true, name: true, status: true, startsAt: true, endsAt: true, audience: true },
  });
  if (!campaign) throw new CampaignError("not_found", `Campaign ${campaignId} not found`);
  return campaign;
}

/** A message of a campaign for a manager, or forbidden / not_found. */
async function requireManagedMessage(actor: CampaignActor, messageId: string, db: Db) {
  if (!canManageCampaigns(actor)) {
    throw new CampaignError("forbidden", "Only campaign managers see a campaign's measurements");
  }
  const message = await db.campaignMessage.findUnique({
    where: { id: messageId },
    select: { id: true, campaignId: true, title: true, requiresAck: true },
  });
  if (!message) throw new CampaignError("not_found", `Campaign message ${messageId} not found`);
  return message;
}

/** A timestamp column (UTC without zone) as a Brussels calendar day. */
const brusselsDaySql = (column: Prisma.Sql) =>
  Prisma.sql`to_char((${column} AT TIME ZONE 'UTC') AT TIME ZONE ${TIME_ZONE}, 'YYYY-MM-DD')`;

/** The Brussels calendar day of a moment. */
function brusselsDay(at: Date): string {
  return format(new TZDate(at.getTime(), TIME_ZONE), "yyyy-MM-dd");
}

/** The days from `first` to `last` inclusive (calendar arithmetic in UTC: no daylight-saving gaps). */
function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  const cursor = new Date(`${first}T00:00:00Z`);
  const end = new Date(`${last}T00:00:00Z`);
  while (cursor <= end && days.length < MAX_SERIES_DAYS) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}

type RecipientRow = {
  messageId: string;
  recipients: number;
  reached: number;
  opened: number;
  acknowledged: number;
};
type ViaRow = { messageId: string; via: CampaignChannel; reached: number };
type DepartmentRow = { messageId: string; departmentId: string | null; recipients: number; reached: number };
type DeliveryRow = {
  messageId: string;
  channel: DigestChannel;
  total: number;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  opened: number;
  clicked: number;
};
type DayRow = { day: string; via: CampaignChannel | null; reached: number };
type FirstReachRow = { day: string; people: number };

/**
 * Everything the dashboard shows for one campaign, for campaign managers (see the module comment). `now`
 * ends the daily series (today in Brussels, or the campaign's last day when it is over).
 */
export async function campaignDashboard(
  actor: CampaignActor,
  campaignId: string,
  { now = new Date() }: { now?: Date } = {},
  db: Db = prisma,
): Promise<CampaignDashboard> {
  const campaign = await requireManagedCampaign(actor, campaignId, db);
  const audienceSize = await db.user.count({
    where: campaignAudienceWhere(parseCampaignAudience(campaign.audience)),
  });
  const messages = await db.campaignMessage.findMany({
    where: { campaignId, status: { not: "cancelled" } },
    orderBy: [{ sendAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      title: true,
      status: true,
      sendAt: true,
      sentAt: true,
      channels: true,
      requiresAck: true,
      reminderOfId: true,
      postId: true,
      pulseQuestion: true,
      pulseKind: true,
      pulseOptions: true,
    },
  });
  const messageIds = messages.map((message) => message.id);

  const recipientRows = await db.$queryRaw<RecipientRow[]>`
    SELECT "messageId",
           count(*)::int AS "recipients",
           count("reachedAt")::int AS "reached",
           count("openedAt")::int AS "opened",
           count("acknowledgedAt")::int AS "acknowledged"
    FROM "CampaignRecipient"
    WHERE "messageId" = ANY(${messageIds}::text[])
    GROUP BY 1`;
  const viaRows = await db.$queryRaw<ViaRow[]>`
    SELECT "messageId", "reachedVia"::text AS "via", count(*)::int AS "reached"
    FROM "CampaignRecipient"
    WHERE "messageId" = ANY(${messageIds}::text[]) AND "reachedAt" IS NOT NULL AND "reachedVia" IS NOT NULL
    GROUP BY 1, 2`;
  const departmentRows = await db.$queryRaw<DepartmentRow[]>`
    SELECT cr."messageId",
           COALESCE(d."parentId", d."id") AS "departmentId",
           count(*)::int AS "recipients",
           count(cr."reachedAt")::int AS "reached"
    FROM "CampaignRecipient" cr
    LEFT JOIN "Department" d ON d."id" = cr."departmentId"
    WHERE cr."messageId" = ANY(${messageIds}::text[])
    GROUP BY 1, 2`;
  // A message's push, SMS and e-mail go out as one-item digests with periodKey "campaign:<message id>".
  const deliveryRows = await db.$queryRaw<DeliveryRow[]>`
    SELECT substr(dg."periodKey", ${CAMPAIGN_PERIOD_PREFIX.length + 1}::int) AS "messageId",
           dd."channel"::text AS "channel",
           count(*)::int AS "total",
           count(*) FILTER (WHERE dd."status" IN ('queued', 'sending'))::int AS "queued",
           count(dd."sentAt")::int AS "sent",
           count(dd."deliveredAt")::int AS "delivered",
           count(*) FILTER (WHERE dd."status" = 'failed')::int AS "failed",
           count(dd."openedAt")::int AS "opened",
           count(dd."clickedAt")::int AS "clicked"
    FROM "DigestDelivery" dd
    JOIN "Digest" dg ON dg."id" = dd."digestId"
    WHERE dg."periodKey" = ANY(${messageIds.map(campaignPeriodKey)}::text[])
    GROUP BY 1, 2`;
  const pulse = await pulseResultsOf(messages, db);
  const storyRows = await db.$queryRaw<{ status: StoryStatus; count: number; postIds: string[] }[]>`
    SELECT "status"::text AS "status",
           count(*)::int AS "count",
           COALESCE(array_agg("postId") FILTER (WHERE "postId" IS NOT NULL AND "status" = 'approved'), '{}') AS "postIds"
    FROM "AmbassadorStory"
    WHERE "campaignId" = ${campaignId}
    GROUP BY 1`;
  const messagePostIds = messages.flatMap((message) => (message.postId ? [message.postId] : []));
  const storyPostIds = storyRows.flatMap((row) => row.postIds);
  const posts = await db.post.findMany({
    where: { id: { in: [...messagePostIds, ...storyPostIds] }, deletedAt: null },
    select: { id: true, reactionCount: true, commentCount: true },
  });
  const reactionsByType = await db.reaction.groupBy({
    by: ["type"],
    where: { postId: { in: posts.map((post) => post.id) } },
    _count: { _all: true },
  });
  const dayRows = await db.$queryRaw<DayRow[]>`
    SELECT ${brusselsDaySql(Prisma.sql`cr."reachedAt"`)} AS "day", cr."reachedVia"::text AS "via", count(*)::int AS "reached"
    FROM "CampaignRecipient" cr
    WHERE cr."messageId" = ANY(${messageIds}::text[]) AND cr."reachedAt" IS NOT NULL
    GROUP BY 1, 2`;
  const firstReachRows = await db.$queryRaw<FirstReachRow[]>`
    SELECT "day", count(*)::int AS "people"
    FROM (
      SELECT ${brusselsDaySql(Prisma.sql`min(cr."reachedAt")`)} AS "day"
      FROM "CampaignRecipient" cr
      WHERE cr."messageId" = ANY(${messageIds}::text[]) AND cr."reachedAt" IS NOT NULL
      GROUP BY cr."userId"
    ) AS first_reach
    GROUP BY 1`;
  const [people] = await db.$queryRaw<{ recipients: number }[]>`
    SELECT count(DISTINCT "userId")::int AS "recipients"
    FROM "CampaignRecipient"
    WHERE "messageId" = ANY(${messageIds}::text[])`;
  const names = await departmentNames(
    departmentRows.map((row) => row.departmentId).filter((id): id is string => id !== null),
    db,
  );

  // Assembling in memory: every lookup below is over the rows fetched above.
  const postById = new Map(posts.map((post) => [post.id, post]));
  const engagementOf = (postIds: readonly string[]): Engagement =>
    postIds.reduce(
      (sum, id) => ({
        reactions: sum.reactions + (postById.get(id)?.reactionCount ?? 0),
        comments: sum.comments + (postById.get(id)?.commentCount ?? 0),
      }),
      { reactions: 0, comments: 0 },
    );
  const campaignDeliveries = new Map(DELIVERY_CHANNELS.map((channel) => [channel, emptyDelivery(channel)]));

  const measures: MessageMeasures[] = messages.map((message) => {
    const totals = recipientRows.find((row) => row.messageId === message.id);
    const recipients = totals?.recipients ?? 0;
    const reached = totals?.reached ?? 0;
    const via = emptyChannels();
    for (const row of viaRows) if (row.messageId === message.id) via[row.via] += row.reached;
    const merged = mergeSmallGroups(
      departmentRows
        .filter((row) => row.messageId === message.id)
        .map((row) => ({
          key: row.departmentId,
          weight: row.recipients,
          data: { recipients: row.recipients, reached: row.reached },
        })),
      MIN_GROUP,
      (a, b) => ({ recipients: a.recipients + b.recipients, reached: a.reached + b.reached }),
    );
    const departments: DepartmentReach[] = merged.shown.map((group) => ({
      group: "department",
      departmentId: group.key,
      name: group.key ? (names.get(group.key) ?? null) : null,
      recipients: group.data.recipients,
      reached: group.data.reached,
      reachedRate: rate(group.data.reached, group.data.recipients),
    }));
    if (merged.other) {
      departments.push({
        group: "other",
        departmentId: null,
        name: OTHER_GROUP,
        recipients: merged.other.data.recipients,
        reached: merged.other.data.reached,
        reachedRate: rate(merged.other.data.reached, merged.other.data.recipients),
      });
    }
    const deliveries = DELIVERY_CHANNELS.filter(
      (channel) =>
        message.channels.includes(channel) ||
        deliveryRows.some((row) => row.messageId === message.id && row.channel === channel),
    ).map((channel) => {
      const row = deliveryRows.find((entry) => entry.messageId === message.id && entry.channel === channel);
      const measured = row ? addDelivery(emptyDelivery(channel), row) : emptyDelivery(channel);
      if (row) campaignDeliveries.set(channel, addDelivery(campaignDeliveries.get(channel)!, row));
      return measured;
    });
    return {
      id: message.id,
      title: message.title,
      status: message.status,
      sendAt: message.sendAt,
      sentAt: message.sentAt,
      channels: message.channels,
      requiresAck: message.requiresAck,
      reminderOfId: message.reminderOfId,
      recipients,
      reached,
      reachedRate: rate(reached, recipients),
      notReached: recipients - reached,
      opened: totals?.opened ?? 0,
      reachedVia: CAMPAIGN_CHANNEL_ORDER.map((channel) => ({
        channel,
        reached: via[channel],
        share: rate(via[channel], reached),
      })),
      departments,
      acknowledged: message.requiresAck ? (totals?.acknowledged ?? 0) : null,
      acknowledgedRate: message.requiresAck ? rate(totals?.acknowledged ?? 0, recipients) : null,
      deliveries,
      pulse: pulse.get(message.id) ?? null,
      engagement: message.postId ? engagementOf([message.postId]) : null,
    };
  });

  const stories = { submitted: 0, approved: 0, rejected: 0 } satisfies Record<StoryStatus, number>;
  for (const row of storyRows) stories[row.status] = row.count;

  const reachedPeople = firstReachRows.reduce((sum, row) => sum + row.people, 0);
  return {
    campaign: {
      id: campaign.id,
      slug: campaign.slug,
      name: campaign.name,
      status: campaign.status,
      startsAt: campaign.startsAt,
      endsAt: campaign.endsAt,
    },
    generatedAt: now,
    minGroup: MIN_GROUP,
    audienceSize,
    people: {
      recipients: people?.recipients ?? 0,
      reached: reachedPeople,
      reachedRate: rate(reachedPeople, audienceSize),
    },
    messages: measures,
    deliveries: [...campaignDeliveries.values()],
    engagement: {
      messages: engagementOf(messagePostIds),
      stories: engagementOf(storyPostIds),
      reactionsByType: reactionsByType
        .map((row) => ({ type: row.type, count: row._count._all }))
        .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    },
    stories,
    reachByDay: reachSeries(dayRows, firstReachRows, campaign.endsAt, now),
  };
}

/**
 * Reach per Brussels day from the first day anyone was reached to today (or the campaign's last day when it
 * is over), days without reach included so a chart's axis has no gaps.
 */
function reachSeries(dayRows: DayRow[], firstReach: FirstReachRow[], endsAt: Date, now: Date): ReachDay[] {
  if (dayRows.length === 0) return [];
  const seen = dayRows.map((row) => row.day).sort();
  const lastDay = [seen[seen.length - 1]!, brusselsDay(now < endsAt ? now : endsAt)].sort()[1]!;
  const firstByDay = new Map(firstReach.map((row) => [row.day, row.people]));
  let cumulative = 0;
  return daysBetween(seen[0]!, lastDay).map((day) => {
    const byChannel = emptyChannels();
    let reached = 0;
    for (const row of dayRows) {
      if (row.day !== day) continue;
      reached += row.reached;
      if (row.via) byChannel[row.via] += row.reached;
    }
    cumulative += firstByDay.get(day) ?? 0;
    return { day, reached, byChannel, cumulativePeople: cumulative };
  });
}

/** How many recipients of a message were not reached yet (the reminder button's count); managers only. */
export async function notReachedCount(
  actor: CampaignActor,
  messageId: string,
  db: Db = prisma,
): Promise<number> {
  await requireManagedMessage(actor, messageId, db);
  return db.campaignRecipient.count({ where: { messageId, reachedAt: null } });
}

export type Acknowledgement = {
  userId: string;
  displayName: string;
  department: string | null;
  acknowledgedAt: Date;
};

/**
 * Who confirmed a message that asked for an acknowledgement (the one per-person view the issue allows), in
 * the order they confirmed, with the number of recipients; managers only. Who did not confirm is not listed.
 */
export async function ackList(
  actor: CampaignActor,
  messageId: string,
  db: Db = prisma,
): Promise<{ messageId: string; title: string; recipients: number; acknowledgements: Acknowledgement[] }> {
  const message = await requireManagedMessage(actor, messageId, db);
  if (!message.requiresAck) {
    throw new CampaignError("invalid", `Campaign message ${messageId} asks for no acknowledgement`);
  }
  const recipients = await db.campaignRecipient.count({ where: { messageId } });
  const rows = await db.campaignRecipient.findMany({
    where: { messageId, acknowledgedAt: { not: null } },
    orderBy: [{ acknowledgedAt: "asc" }, { userId: "asc" }],
    select: {
      userId: true,
      acknowledgedAt: true,
      user: { select: { displayName: true, department: { select: { name: true } } } },
    },
  });
  return {
    messageId,
    title: message.title,
    recipients,
    acknowledgements: rows.map((row) => ({
      userId: row.userId,
      displayName: row.user.displayName,
      department: row.user.department?.name ?? null,
      acknowledgedAt: row.acknowledgedAt!,
    })),
  };
}
