/**
 * Creating in-app notifications. Modules call `notify` (inside their own transaction when they have one);
 * the bell, the notifications page and later the digests read the Notification rows. The text is not stored:
 * it is rendered from `type` and `data` in the reader's language (app/modules/notifications/).
 */
import { prisma } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";

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

/** Creates notifications, skipping those whose dedupeKey already exists; returns how many were created. */
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
  }
  const result = await db.notification.createMany({
    data: rows.map((row) => ({ ...row, dedupeKey: row.dedupeKey ?? null })),
    skipDuplicates: true,
  });
  return result.count;
}
