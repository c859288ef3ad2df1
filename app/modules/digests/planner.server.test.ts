import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { notify } from "~/modules/notifications/notify.server";
import { digestsPlanJob } from "../../../server/jobs/digests-plan";
import { buildDepartment, buildDigestSubscriber, buildPost, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { parseDigestItems } from "./items";
import { orphanedDeliveryIds, planDueDigests } from "./planner.server";
import { DIGESTS_DELIVER_QUEUE } from "./queues";
import { digestPeriodKey, endOfQuietHours, nextDigestDueAt } from "./schedule";

setupTestDatabase();

const MINUTE = 60_000;
const now = new Date();
const due = new Date(now.getTime() - 5 * MINUTE);
let communicatorId: string;

/** "HH:MM" in Brussels, `minutes` from now. */
function localClock(minutes: number): string {
  return format(new TZDate(now.getTime() + minutes * MINUTE, "Europe/Brussels"), "HH:mm");
}

beforeAll(async () => {
  communicatorId = (await buildUser({}, ["communicator"])).id;
  await buildPost({
    authorId: communicatorId,
    kind: "announcement",
    text: "Nieuwe regeling voor de kleedkamers",
    createdAt: new Date(now.getTime() - 60 * MINUTE),
  });
});

describe("planDueDigests", () => {
  it("computes nextDueAt where it is missing", async () => {
    const { user, preference } = await buildDigestSubscriber({ preference: { sendAt: "06:15" } });
    const result = await planDueDigests(now);
    expect(result.scheduled).toBeGreaterThanOrEqual(1);
    const stored = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: user.id } });
    expect(stored.nextDueAt?.toISOString()).toBe(nextDigestDueAt(preference, now)?.toISOString());
  });

  it("creates one digest with one delivery per reachable channel, in the person's order, only once", async () => {
    const { user } = await buildDigestSubscriber({
      channels: ["sms", "email"],
      preference: { nextDueAt: due },
    });
    // Push comes first in their order, but nothing reaches them there (no consent, no subscription).
    await prisma.digestPreference.update({
      where: { userId: user.id },
      data: { channels: ["push", "email", "sms"] },
    });
    await prisma.$transaction((tx) =>
      notify(
        {
          userId: user.id,
          type: "post.mentioned",
          data: { actorName: "Jonas" },
          url: "/berichten/p9",
          dedupeKey: `m:${user.id}`,
        },
        tx,
      ),
    );

    // The planner's clock is fixed for the test; the entry was written a moment before it.
    await prisma.digestEntry.updateMany({ where: { userId: user.id }, data: { createdAt: due } });
    const first = await planDueDigests(now);
    const digests = await prisma.digest.findMany({ where: { userId: user.id } });
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(digest.periodKey).toBe(digestPeriodKey({ rhythm: "daily" }, due));
    expect(digest.urgent).toBe(false);
    expect(digest.tokenExpiresAt.getTime()).toBe(now.getTime() + 7 * 24 * 60 * MINUTE);
    const items = parseDigestItems(digest.items);
    expect(items.map((item) => item.kind).sort()).toEqual(["announcement", "personal"]);

    const deliveries = await prisma.digestDelivery.findMany({
      where: { digestId: digest.id },
      orderBy: { channel: "asc" },
    });
    expect(deliveries.map((d) => [d.channel, d.status, d.idempotencyKey])).toEqual([
      ["sms", "queued", `${digest.id}:sms`],
      ["email", "queued", `${digest.id}:email`],
    ]);
    expect(deliveries.find((d) => d.channel === "sms")?.destination).toMatch(/^\+32 4/);
    expect(deliveries.find((d) => d.channel === "email")?.destination).toContain("@telenet.be");
    expect(first.deliveryIds).toEqual(expect.arrayContaining(deliveries.map((d) => d.id)));

    const entry = await prisma.digestEntry.findFirstOrThrow({ where: { userId: user.id } });
    expect(entry.digestId).toBe(digest.id);
    const preference = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: user.id } });
    expect(preference.lastDigestAt?.toISOString()).toBe(now.toISOString());
    expect(preference.nextDueAt!.getTime()).toBeGreaterThan(now.getTime());

    // A second run, and a re-run of the same period (as if the schedule had not moved on): nothing new.
    const second = await planDueDigests(now);
    expect(second.deliveryIds).not.toEqual(expect.arrayContaining([deliveries[0]!.id]));
    await prisma.digestPreference.update({
      where: { userId: user.id },
      data: { nextDueAt: due, lastDigestAt: null },
    });
    const rerun = await planDueDigests(now);
    expect(await prisma.digest.count({ where: { userId: user.id } })).toBe(1);
    expect(await prisma.digestDelivery.count({ where: { userId: user.id } })).toBe(2);
    expect(rerun.deliveryIds.filter((id) => deliveries.some((d) => d.id === id))).toEqual([]);
  });

  it("sends nothing to someone no channel reaches, and moves their schedule on", async () => {
    const { user } = await buildDigestSubscriber({ channels: ["sms"], preference: { nextDueAt: due } });
    await prisma.consentEvent.create({
      data: {
        userId: user.id,
        purpose: "digest_sms",
        granted: false,
        method: "self",
        textVersion: "2026-11",
      },
    });
    await planDueDigests(now);
    expect(await prisma.digest.count({ where: { userId: user.id } })).toBe(0);
    const preference = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: user.id } });
    expect(preference.lastDigestAt).toBeNull();
    expect(preference.nextDueAt!.getTime()).toBeGreaterThan(now.getTime());
  });

  it("holds a due digest back until the quiet hours end", async () => {
    const quiet = { quietFrom: localClock(-30), quietUntil: localClock(90) };
    const { user } = await buildDigestSubscriber({ preference: { nextDueAt: due, ...quiet } });
    await planDueDigests(now);
    expect(await prisma.digest.count({ where: { userId: user.id } })).toBe(0);
    const preference = await prisma.digestPreference.findUniqueOrThrow({ where: { userId: user.id } });
    expect(preference.nextDueAt?.toISOString()).toBe(endOfQuietHours(quiet, now).toISOString());
  });

  it("sends urgent items at once to everyone concerned outside their quiet hours, once", async () => {
    const department = await buildDepartment();
    const { user: urgentOnly } = await buildDigestSubscriber({
      channels: ["push"],
      preference: { rhythm: "urgent_only" },
      user: { departmentId: department.id },
    });
    const { user: sleeping } = await buildDigestSubscriber({
      preference: { quietFrom: localClock(-30), quietUntil: localClock(90) },
      user: { departmentId: department.id },
    });
    const { user: outside } = await buildDigestSubscriber({ preference: { rhythm: "urgent_only" } });
    const pinned = await buildPost({
      authorId: communicatorId,
      kind: "announcement",
      text: "Gasgeur in depot Zuid: niet betreden",
      audience: [`department:${department.id}`, `user:${communicatorId}`],
      createdAt: new Date(now.getTime() - MINUTE),
      pinnedUntil: new Date(now.getTime() + 60 * MINUTE),
    });

    const result = await planDueDigests(now);
    const digest = await prisma.digest.findFirstOrThrow({ where: { userId: urgentOnly.id } });
    expect(digest.urgent).toBe(true);
    expect(digest.periodKey).toBe(digestPeriodKey({ rhythm: "urgent_only" }, now));
    expect(parseDigestItems(digest.items).map((item) => item.id)).toEqual([pinned.id]);
    const delivery = await prisma.digestDelivery.findFirstOrThrow({ where: { digestId: digest.id } });
    expect(delivery.channel).toBe("push");
    expect(result.deliveryIds).toContain(delivery.id);
    expect(await prisma.digest.count({ where: { userId: sleeping.id } })).toBe(0);
    expect(await prisma.digest.count({ where: { userId: outside.id } })).toBe(0);

    // Later runs (in another hour too) do not send it again.
    await planDueDigests(new Date(now.getTime() + 5 * MINUTE));
    await planDueDigests(new Date(now.getTime() + 65 * MINUTE));
    expect(await prisma.digest.count({ where: { userId: urgentOnly.id } })).toBe(1);
  });
});

describe("the digests.plan job", () => {
  it("queues one delivery job per new delivery, keyed by the delivery, and re-queues orphans", async () => {
    const { user } = await buildDigestSubscriber({
      channels: ["sms", "email"],
      preference: { nextDueAt: due },
    });
    const sent: { name: string; data: object | undefined; key: string | undefined }[] = [];
    const job = digestsPlanJob({ now: () => now });
    const logger = { error: () => undefined } as unknown as Parameters<typeof job.handle>[1]["logger"];
    await job.handle([], {
      logger,
      send: async () => {
        throw new Error("the planner queues in bulk");
      },
      insert: async (name, jobs) => {
        for (const job of jobs) sent.push({ name, data: job.data, key: job.singletonKey });
      },
    });
    const deliveries = await prisma.digestDelivery.findMany({
      where: { userId: user.id },
      select: { id: true },
    });
    expect(deliveries).toHaveLength(2);
    for (const { id } of deliveries) {
      expect(sent).toContainEqual({ name: DIGESTS_DELIVER_QUEUE, data: { deliveryId: id }, key: id });
    }
    // Had the run died before queueing, the next run (half an hour on) finds them.
    const orphans = await orphanedDeliveryIds(new Date(now.getTime() + 31 * MINUTE));
    expect(orphans).toEqual(expect.arrayContaining(deliveries.map((d) => d.id)));
    await prisma.digestDelivery.updateMany({
      where: { userId: user.id },
      data: { status: "sent", attempts: 1 },
    });
    expect(await orphanedDeliveryIds(new Date(now.getTime() + 31 * MINUTE))).not.toContain(deliveries[0]!.id);
  });
});
