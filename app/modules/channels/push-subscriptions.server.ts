/**
 * The push subscriptions a person's browsers registered (one row per push endpoint). A browser profile has
 * one endpoint per site; when another person signs in on it and switches push on, the endpoint moves to
 * them, because the notifications will now be seen by whoever uses that browser.
 */
import { prisma } from "~/db.server";
import { type PushSubscription as BrowserPushSubscription } from "./push.server";

/** Subscriptions kept per person; the least recently confirmed ones are dropped beyond it. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 10;
const MAX_USER_AGENT_LENGTH = 512;

/** What was saved. `moved`: the endpoint belonged to another person before. */
export type SavedPushSubscription = { id: string; created: boolean; moved: boolean; dropped: number };

/**
 * Stores (or confirms) a browser's subscription for `userId`: keys and user agent updated, lastSeenAt now,
 * failures reset; then keeps only the person's {@link MAX_PUSH_SUBSCRIPTIONS_PER_USER} most recent ones.
 */
export async function savePushSubscription(
  userId: string,
  subscription: BrowserPushSubscription,
  userAgent: string | null,
  now: Date = new Date(),
): Promise<SavedPushSubscription> {
  const agent = userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null;
  return prisma.$transaction(async (tx) => {
    // Locks the row (if any) so that two concurrent saves of one endpoint agree on who had it before.
    const before = await tx.$queryRaw<{ userId: string }[]>`
      SELECT "userId" FROM "PushSubscription" WHERE "endpoint" = ${subscription.endpoint} FOR UPDATE`;
    const saved = await tx.pushSubscription.upsert({
      where: { endpoint: subscription.endpoint },
      create: {
        userId,
        endpoint: subscription.endpoint,
        p256dh: subscription.keys.p256dh,
        auth: subscription.keys.auth,
        userAgent: agent,
        createdAt: now,
        lastSeenAt: now,
      },
      update: {
        userId,
        p256dh: subscription.keys.p256dh,
        auth: subscription.keys.auth,
        userAgent: agent,
        lastSeenAt: now,
        failureCount: 0,
      },
      select: { id: true },
    });
    const surplus = await tx.pushSubscription.findMany({
      where: { userId, id: { not: saved.id } },
      orderBy: [{ lastSeenAt: "desc" }, { createdAt: "desc" }, { id: "desc" }],
      skip: MAX_PUSH_SUBSCRIPTIONS_PER_USER - 1,
      select: { id: true },
    });
    if (surplus.length > 0) {
      await tx.pushSubscription.deleteMany({ where: { id: { in: surplus.map((row) => row.id) } } });
    }
    const previousOwner = before[0]?.userId;
    return {
      id: saved.id,
      created: previousOwner === undefined,
      moved: previousOwner !== undefined && previousOwner !== userId,
      dropped: surplus.length,
    };
  });
}

/**
 * Removes the subscription with this endpoint if it is `userId`'s; another person's endpoint is left alone
 * (knowing an endpoint must not let anyone switch someone else's notifications off). Returns whether one went.
 */
export async function removePushSubscription(userId: string, endpoint: string): Promise<boolean> {
  const { count } = await prisma.pushSubscription.deleteMany({ where: { endpoint, userId } });
  return count > 0;
}
