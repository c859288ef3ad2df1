/**
 * Reading and marking a person's own notifications. Every function takes the signed-in user's id and
 * filters on it in the query itself: nobody can list, count or mark another person's notifications, not
 * even by guessing an id or crafting a pagination cursor.
 */
import { prisma } from "~/db.server";

export const NOTIFICATION_PAGE_SIZE = 20;

export type NotificationItem = {
  id: string;
  type: string;
  data: unknown;
  url: string;
  readAt: Date | null;
  createdAt: Date;
};

/** Thrown for a pagination cursor this module did not make (edited or truncated URL). */
export class NotificationCursorError extends Error {
  constructor() {
    super("Invalid notification cursor");
    this.name = "NotificationCursorError";
  }
}

type Cursor = { createdAt: Date; id: string };

/** Opaque cursor of the last item of a page: its position (createdAt, id), never a lookup by id. */
export function encodeNotificationCursor(item: Cursor): string {
  return Buffer.from(`${item.createdAt.toISOString()}|${item.id}`).toString("base64url");
}

/** Reads a cursor made by `encodeNotificationCursor`; throws NotificationCursorError otherwise. */
export function decodeNotificationCursor(cursor: string): Cursor {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString() : "";
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([A-Za-z0-9_-]{1,64})$/.exec(decoded);
  const createdAt = match ? new Date(match[1]!) : null;
  if (!match || !createdAt || Number.isNaN(createdAt.getTime())) throw new NotificationCursorError();
  return { createdAt, id: match[2]! };
}

/** One page of the user's notifications, newest first, and the cursor of the next page (null at the end). */
export async function listNotifications(
  userId: string,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<{ items: NotificationItem[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? NOTIFICATION_PAGE_SIZE, 1), 100);
  const after = options.cursor ? decodeNotificationCursor(options.cursor) : null;
  const rows = await prisma.notification.findMany({
    where: {
      userId,
      ...(after && {
        OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
      }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: { id: true, type: true, data: true, url: true, readAt: true, createdAt: true },
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeNotificationCursor(last) : null };
}

/** How many of the user's notifications are unread (the bell). */
export async function countUnreadNotifications(userId: string): Promise<number> {
  return prisma.notification.count({ where: { userId, readAt: null } });
}

/**
 * Marks one of the user's notifications read. Returns false when the user has no notification with
 * that id (someone else's looks exactly like one that does not exist).
 */
export async function markNotificationRead(userId: string, id: string, now = new Date()): Promise<boolean> {
  const mine = await prisma.notification.findFirst({ where: { id, userId }, select: { readAt: true } });
  if (!mine) return false;
  if (!mine.readAt) {
    await prisma.notification.updateMany({ where: { id, userId, readAt: null }, data: { readAt: now } });
  }
  return true;
}

/** Marks all of the user's unread notifications read; returns how many changed. */
export async function markAllNotificationsRead(userId: string, now = new Date()): Promise<number> {
  const { count } = await prisma.notification.updateMany({
    where: { userId, readAt: null },
    data: { readAt: now },
  });
  return count;
}
