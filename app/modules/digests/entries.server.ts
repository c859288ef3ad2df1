/**
 * The digest's side of notify(): personal items (mentions, replies, decisions on requests …) wait as
 * DigestEntry rows for the person's next digest. Written in the notifying transaction, for recipients who want
 * the type in their digest (NotificationPreference.digest, whatever they chose for the app) and who get
 * digests at all (a DigestPreference with a channel, not paused): nobody else's entries would ever be read.
 */
import { type Prisma } from "~/generated/prisma/client";
import { deliveryFor } from "~/modules/notifications/preferences.server";

export type DigestEntryInput = {
  userId: string;
  type: string;
  data: Prisma.InputJsonObject;
  url: string;
  dedupeKey?: string;
};

/** The dedupe key of an entry: the notification's, scoped to the digest and the person. */
export function digestEntryDedupeKey(userId: string, notificationKey: string | undefined): string | null {
  return notificationKey === undefined ? null : `digest:${userId}:${notificationKey}`;
}

/** Queues digest entries for the recipients who want them; returns how many were created. */
export async function queueDigestEntries(
  rows: readonly DigestEntryInput[],
  db: Prisma.TransactionClient,
): Promise<number> {
  if (rows.length === 0) return 0;
  const userIds = [...new Set(rows.map((row) => row.userId))];
  const subscribed = await db.digestPreference.findMany({
    where: { userId: { in: userIds }, paused: false, NOT: { channels: { isEmpty: true } } },
    select: { userId: true },
  });
  if (subscribed.length === 0) return 0;
  const receives = new Set(subscribed.map((p) => p.userId));
  const candidates = rows.filter((row) => receives.has(row.userId));
  const byType = new Map<string, string[]>();
  for (const row of candidates) byType.set(row.type, [...(byType.get(row.type) ?? []), row.userId]);
  const wanted = new Set<string>();
  for (const [type, ids] of byType) {
    for (const [userId, choice] of await deliveryFor(ids, type, db)) {
      if (choice.digest) wanted.add(`${type}\u0000${userId}`);
    }
  }
  const data = candidates
    .filter((row) => wanted.has(`${row.type}\u0000${row.userId}`))
    .map((row) => ({
      userId: row.userId,
      type: row.type,
      data: row.data,
      url: row.url,
      dedupeKey: digestEntryDedupeKey(row.userId, row.dedupeKey),
    }));
  if (data.length === 0) return 0;
  const created = await db.digestEntry.createMany({ data, skipDuplicates: true });
  return created.count;
}
