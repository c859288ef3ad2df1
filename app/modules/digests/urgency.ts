/**
 * What counts as urgent, for the "urgent only" rhythm, for sending outside the normal digest time and for the
 * kiosk board (docs/decisions/0009-field-worker-digests.md):
 * - a circular that asks for acknowledgement, newly published or substantially changed, that takes effect
 *   within URGENT_CIRCULAR_DAYS (or already has);
 * - an announcement a communicator pinned (pinning is their way of saying "everyone must see this").
 */
import { type Prisma } from "~/generated/prisma/client";

/** A circular taking effect within this many days of its publication is urgent. */
export const URGENT_CIRCULAR_DAYS = 3;

/** Published circulars that are urgent at `now` (combine with the reader's audience rule). */
export function urgentCircularsWhere(now: Date): Prisma.CircularWhereInput {
  const soon = new Date(now.getTime() + URGENT_CIRCULAR_DAYS * 24 * 3600_000);
  return {
    status: "published",
    requiresAcknowledgement: true,
    OR: [{ validFrom: null }, { validFrom: { lte: soon } }],
    AND: [{ OR: [{ validUntil: null }, { validUntil: { gte: startOfDayUtc(now) } }] }],
  };
}

/** Whether one published circular version is urgent: asks acknowledgement, new or substantial, soon in force. */
export function isUrgentCircularVersion(
  version: { version: number; substantial: boolean; validFrom: Date | null; publishedAt: Date },
  requiresAcknowledgement: boolean,
): boolean {
  if (!requiresAcknowledgement) return false;
  if (version.version > 1 && !version.substantial) return false;
  if (!version.validFrom) return true;
  return version.validFrom.getTime() <= version.publishedAt.getTime() + URGENT_CIRCULAR_DAYS * 24 * 3600_000;
}

/** Announcements that are urgent at `now`: pinned and still within their pin period. */
export function urgentAnnouncementsWhere(now: Date): Prisma.PostWhereInput {
  return { kind: "announcement", deletedAt: null, hiddenAt: null, pinnedUntil: { gt: now } };
}

function startOfDayUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}
