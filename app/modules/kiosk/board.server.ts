/**
 * What the kiosk shows to whoever stands in front of it, and what it shows a worker who signed in with
 * their PIN. The board reads through the stream and circular policies as a reader without department,
 * roles or memberships, so only what is addressed to everyone ("all") can appear; nothing on it names the
 * person at the terminal.
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

/** The public board: announcements and urgent circulars for everyone. */
export async function kioskBoard(now: Date = new Date()) {
  const since = new Date(now.getTime() - ANNOUNCEMENT_DAYS * 24 * 3600_000);
  const [posts, circulars] = await Promise.all([
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
  return { announcements, circulars: urgent };
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
      where: { userId: reader.id },
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
