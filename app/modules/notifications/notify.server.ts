/**
 * Creating in-app notifications. Modules call `notify` (inside their own transaction when they have one);
 * the bell, the notifications page and later the digests read the Notification rows. The text is not stored:
 * it is rendered from `type` and `data` in the reader's language (app/modules/notifications/).
 */
import { prisma } from "~/db.server";
import { type Prisma } from "~/generated/prisma/client";
import { queueDigestEntries } from "~/modules/digests/entries.server";
import { publishLiveEvents } from "~/modules/live/hub.server";
import { shouldDeliver } from "./preferences.server";
import {
  isKnownNotificationType,
  type KnownNotificationType,
  NOTIFICATION_DATA_SCHEMAS,
  type NotificationDataMap,
} from "./types";

export type NotificationInput = {
  userId: string;
  /** What happened, "<module>.<event>", e.g. "circular.review_due". */
  type: string;
  data: Prisma.InputJsonObject;
  /** Relative in-app link. */
  url: string;
  /** Stable key for idempotency: a second notify with the same key does nothing. */
  dedupeKey?: string;
};

/** A notification of a known type, its data checked by the compiler: `const n: KnownNotificationInput = {...}`. */
export type KnownNotificationInput = {
  [Type in KnownNotificationType]: Omit<NotificationInput, "type" | "data"> & {
    type: Type;
    data: NotificationDataMap[Type];
  };
}[KnownNotificationType];

/**
 * The rows whose recipient gets their type in Werkplek (./preferences.server.ts). Someone who switched a
 * type off gets no row, so no bell count, no /meldingen entry and no live event either.
 *
 * The digest flag is applied separately, in notify() below: `queueDigestEntries` asks `deliveryFor` which
 * recipients want the type in their digest (`digest: true`, independent of `inApp`) and queues an entry for
 * those in the same transaction, so a digest never depends on a Notification row the person chose not to have.
 */
async function inAppRows(
  rows: readonly NotificationInput[],
  db: Prisma.TransactionClient,
): Promise<NotificationInput[]> {
  const byType = new Map<string, string[]>();
  for (const row of rows) byType.set(row.type, [...(byType.get(row.type) ?? []), row.userId]);
  const wanted = new Map<string, Set<string>>();
  for (const [type, userIds] of byType) wanted.set(type, await shouldDeliver(userIds, type, db));
  return rows.filter((row) => wanted.get(row.type)?.has(row.userId));
}

/**
 * Creates notifications for the recipients who want them in Werkplek (their preferences), skipping those
 * whose dedupeKey already exists; returns how many were created.
 */
export async function notify(
  input: NotificationInput | readonly NotificationInput[],
  db: Prisma.TransactionClient = prisma,
): Promise<number> {
  const rows = (Array.isArray(input) ? input : [input]) as NotificationInput[];
  if (rows.length === 0) return 0;
  for (const row of rows) {
    if (!row.url.startsWith("/") || row.url.startsWith("//")) {
      throw new Error(`Notification url must be a relative in-app path, got ${row.url}`);
    }
    // Known types carry the fields their text needs (./types.ts); catching a mismatch here, at the
    // sender, beats a notification that renders as "you have a new notification".
    if (isKnownNotificationType(row.type)) {
      const parsed = NOTIFICATION_DATA_SCHEMAS[row.type].safeParse(row.data);
      if (!parsed.success) {
        throw new Error(`Notification data for ${row.type} is invalid: ${parsed.error.message}`);
      }
    }
  }
  // The digest half of the preferences, independent of the in-app half: an entry waits for the next digest
  // (app/modules/digests/entries.server.ts) even for someone who switched the type off in Werkplek.
  await queueDigestEntries(rows, db);
  const delivered = await inAppRows(rows, db);
  if (delivered.length === 0) return 0;
  const created = await db.notification.createManyAndReturn({
    data: delivered.map((row) => ({ ...row, dedupeKey: row.dedupeKey ?? null })),
    skipDuplicates: true,
    select: { id: true, userId: true },
  });
  // The bell updates live: each recipient's open tabs hear of the rows created for them (delivered at
  // commit, never for a rollback; a deduplicated row was not created and says nothing).
  await publishLiveEvents(
    db,
    created.map((row) => ({ type: "notification.created", userId: row.userId, notificationId: row.id })),
  );
  return created.length;
}
