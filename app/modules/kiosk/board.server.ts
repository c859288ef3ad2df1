/**
 * What the kiosk shows to whoever stands in front of it, and what it shows a worker who signed in with
 * their PIN. The board reads through the stream and circular policies as a reader without department,
 * roles or memberships, so only what is addressed to everyone ("all") can appear; nothing on it names the
 * person at the terminal. Campaign messages sent on the kiosk channel appear while their campaign runs, for
 * campaigns addressed to everyone (no departments or roles): the board cannot know who is reading.
 */
import { prisma } from "~/db.server";
import { parseDigestItems, type DigestItem } from "~/modules/digests/items";
import { urgentAnnouncementsWhere, urgentCircularsWhere } from "~/modules/digests/urgency";
import {
  pendingAcknowledgements,
  type PendingAcknowledgement,
} from "~/modules/circulars/acknowledgements.server";
import { readableCircularsWhere, type Reader } from "~/modules/circulars/policy.server";
import { visiblePostsWhere, type StreamReader } from "~/modules/stream/policy.server";
import { isKioskAudience } from "~/modules/campaigns/messages.server";
import { CAMPAIGN_PERIOD_PREFIX } from "~/modules/campaigns/reach.server";

/** Announcements on the board: the last few weeks, pinned ones first. */
const ANNOUNCEMENT_DAYS = 21;
const MAX_ANNOUNCEMENTS = 8;
const MAX_CIRCULARS = 6;
const MAX_ANNOUNCEMENT_TEXT = 600;

/**
 * Nobody in particular: no roles, department, places or field-worker flag, and an id no user can have, so
 * the policies grant exactly the audience "all" (a post's `user:<id>` key can never match it).
 */
const BOARD_READER: StreamReader = {
  id: "kiosk-board",
  roles: [],
  isFieldWorker: false,
  department: null,
  placeIds: [],
};

export type BoardAnnouncement = { id: string; text: string; date: string; pinned: boolean };
export type BoardCircular = { number: string; title: string; summary: string; validFrom: string | null };
export type BoardCampaignMessage = {
  id: string;
  campaignName: string;
  /** The campaign's colour (#rrggbb, contrast checked when the campaign was saved). */
  colour: string;
  title: string;
  text: string;
  date: string;
};

const MAX_CAMPAIGN_MESSAGES = 4;

/** Kiosk-channel messages of running campaigns for everyone, newest first. */
export async function kioskCampaignMessages(): Promise<BoardCampaignMessage[]> {
  const messages = await prisma.campaignMessage.findMany({
    where: { channels: { has: "kiosk" }, status: "sent", campaign: { status: "running" } },
    orderBy: [{ sentAt: "desc" }, { id: "desc" }],
    take: MAX_CAMPAIGN_MESSAGES * 4,
    select: {
      id: true,
      title: true,
      bodyText: true,
      sentAt: true,
      sendAt: true,
      campaign: { select: { name: true, colour: true, audience: true } },
    },
  });
  return messages
    .filter((message) => isKioskAudience(message.campaign.audience))
    .slice(0, MAX_CAMPAIGN_MESSAGES)
    .map((message) => ({
      id: message.id,
      campaignName: message.campaign.name,
      colour: message.campaign.colour,
      title: message.title,
      text: clip(message.bodyText, MAX_ANNOUNCEMENT_TEXT),
      date: (message.sentAt ?? message.sendAt).toISOString(),
    }));
}

/** The public board: announcements and urgent circulars for everyone. */
export async function kioskBoard(now: Date = new Date()) {
  const since = new Date(now.getTime() - ANNOUNCEMENT_DAYS * 24 * 3600_000);
  const [posts, circulars, campaigns] = await Promise.all([
    prisma.post.findMany({
      where: {
        AND: [
          visiblePostsWhere(BOARD_READER),
          { kind: "announcement", hiddenAt: null, audience: { has: "all" } },
          { OR: [urgentAnnouncementsWhere(now), { createdAt: { gte: since } }] },
        ],
      },
      orderBy: [{ createdAt: "desc" }],
      take: MAX_ANNOUNCEMENTS * 2,
      select: { id: true, text: true, createdAt: true, pinnedUntil: true },
    }),
    prisma.circular.findMany({
      where: {
        AND: [
          readableCircularsWhere(BOARD_READER),
          urgentCircularsWhere(now),
          { publishedAudience: { has: "all" }, archivedAt: null },
        ],
      },
      orderBy: [{ validFrom: "asc" }, { number: "desc" }],
      take: MAX_CIRCULARS,
      select: {
        number: true,
        versions: {
          orderBy: { version: "desc" },
          take: 1,
          select: { title: true, summary: true, validFrom: true },
        },
      },
    }),
    kioskCampaignMessages(),
  ]);
  const pinned = (post: { pinnedUntil: Date | null }) => Boolean(post.pinnedUntil && post.pinnedUntil > now);
  const announcements: BoardAnnouncement[] = posts
    .map((post) => ({
      id: post.id,
      text: clip(post.text, MAX_ANNOUNCEMENT_TEXT),
      date: post.createdAt.toISOString(),
      pinned: pinned(post),
    }))
    .sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.date.localeCompare(a.date))
    .slice(0, MAX_ANNOUNCEMENTS);
  const urgent: BoardCircular[] = circulars.flatMap((circular) => {
    const version = circular.versions[0];
    if (!version) return [];
    return [
      {
        number: circular.number,
        title: version.title,
        summary: version.summary,
        validFrom: version.validFrom ? version.validFrom.toISOString().slice(0, 10) : null,
      },
    ];
  });
  return { announcements, circulars: urgent, campaigns };
}

function clip(text: string, max: number): string {
  const flat = text.trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export type KioskPersonalView = {
  digest: { createdAt: string; items: DigestItem[] } | null;
  pending: PendingAcknowledgement[];
};

/** The signed-in worker's page: their latest digest and the circulars waiting for their confirmation. */
export async function kioskPersonalView(reader: Reader): Promise<KioskPersonalView> {
  const [latest, pending] = await Promise.all([
    prisma.digest.findFirst({
      // A campaign message's one-item digest is not "their digest": the campaign page shows it.
      where: { userId: reader.id, NOT: { periodKey: { startsWith: CAMPAIGN_PERIOD_PREFIX } } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true, items: true },
    }),
    pendingAcknowledgements(reader),
  ]);
  let digest: KioskPersonalView["digest"] = null;
  if (latest) {
    try {
      digest = { createdAt: latest.createdAt.toISOString(), items: parseDigestItems(latest.items) };
    } catch {
      // A malformed digest is the planner's bug, not a reason to hide the confirmations below it.
      console.error("kiosk: stored digest items do not parse", { userId: reader.id });
    }
  }
  return { digest, pending };
}
