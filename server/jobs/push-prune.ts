/**
 * Job `push.prune-subscriptions`: every night at 04:00 Brussels time, forget push subscriptions that are
 * long unseen (the phone was reset or the app removed without the push service telling us) or keep failing,
 * and outbox messages older than a month (the outbox is a preview of what would be sent, not an archive).
 * Subscriptions answered 404/410 are already dropped at sending time (deliver.server.ts).
 */
import { prisma } from "../../app/db.server";
import { type JobDefinition } from "./runner";

export const PUSH_PRUNE_SUBSCRIPTIONS = "push.prune-subscriptions";
/** A subscription no browser confirmed for this many days is pruned. */
export const PUSH_UNSEEN_DAYS = 90;
/** A subscription that failed this many sends in a row is pruned. */
export const PUSH_MAX_FAILURES = 5;
/** Outbox messages are kept this many days. */
export const OUTBOX_KEEP_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes stale push subscriptions and old outbox messages; returns how many of each. */
export async function prunePushAndOutbox(
  now: Date = new Date(),
): Promise<{ subscriptions: number; outboxMessages: number }> {
  const subscriptions = await prisma.pushSubscription.deleteMany({
    where: {
      OR: [
        { lastSeenAt: { lt: new Date(now.getTime() - PUSH_UNSEEN_DAYS * DAY_MS) } },
        { failureCount: { gte: PUSH_MAX_FAILURES } },
      ],
    },
  });
  const outboxMessages = await prisma.outboxMessage.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - OUTBOX_KEEP_DAYS * DAY_MS) } },
  });
  return { subscriptions: subscriptions.count, outboxMessages: outboxMessages.count };
}

/** The job definition. */
export function pushPruneJob(): JobDefinition {
  return {
    name: PUSH_PRUNE_SUBSCRIPTIONS,
    queue: {
      policy: "stately",
      retryLimit: 3,
      retryDelay: 300,
      retryBackoff: true,
      expireInSeconds: 15 * 60,
      retentionMinutes: 7 * 24 * 60,
    },
    cron: "0 4 * * *",
    pollingIntervalSeconds: 60,
    async handle() {
      return prunePushAndOutbox();
    },
  };
}
