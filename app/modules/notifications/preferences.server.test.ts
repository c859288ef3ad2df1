import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type ClientEvent } from "~/modules/live/events";
import { ensureLiveHub, stopLiveHub, type LiveHub } from "~/modules/live/hub.server";
import { buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import { notify } from "./notify.server";
import {
  deliveryFor,
  listNotificationPreferences,
  NOTIFICATION_TYPE_RULES,
  NotificationPreferenceError,
  saveNotificationPreferences,
  shouldDeliver,
} from "./preferences.server";
import { NOTIFICATION_DATA_SCHEMAS } from "./types";

setupTestDatabase();

const followed = (userId: string, actorName = "An") =>
  ({ userId, type: "user.followed", data: { actorName }, url: "/mensen/x" }) as const;
const reviewDue = (userId: string) =>
  ({
    userId,
    type: "circular.review_due",
    data: { number: "2026/001", title: "Thuiswerk", reviewDate: "2026-12-01" },
    url: "/circulaires/2026/001",
  }) as const;

async function refusal(work: Promise<unknown>): Promise<NotificationPreferenceError> {
  const error = await work.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(NotificationPreferenceError);
  return error as NotificationPreferenceError;
}

describe("defaults", () => {
  it("has an area and defaults for every known type", () => {
    expect(Object.keys(NOTIFICATION_TYPE_RULES).sort()).toEqual(
      Object.keys(NOTIFICATION_DATA_SCHEMAS).sort(),
    );
  });

  it("lists every type with its default when the person never chose", async () => {
    const user = await buildUser();
    const groups = await listNotificationPreferences(user.id);
    expect(groups.map((g) => g.area)).toEqual(["circulars", "stream", "places", "campaigns"]);
    const items = groups.flatMap((g) => g.items);
    // Operational alerts for admins (area null) are not on the page.
    const listed = Object.values(NOTIFICATION_TYPE_RULES).filter((rule) => rule.area !== null);
    expect(items).toHaveLength(listed.length);
    expect(items.find((i) => i.type === "sms.budget_reached")).toBeUndefined();
    expect(items.find((i) => i.type === "post.reacted")).toEqual({
      type: "post.reacted",
      inApp: true,
      digest: false,
      defaults: { inApp: true, digest: false },
      mandatory: null,
    });
    expect(items.find((i) => i.type === "circular.review_due")?.mandatory).toBe("reviewDuty");
    expect(items.find((i) => i.type === "post.hidden")?.mandatory).toBe("moderation");
    expect(await prisma.notificationPreference.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("saving", () => {
  it("stores choices that differ from the default and forgets those that return to it", async () => {
    const user = await buildUser();
    await saveNotificationPreferences(user.id, {
      "user.followed": { inApp: false, digest: false },
      "post.reacted": { inApp: true, digest: true },
      "post.mentioned": { inApp: true, digest: true },
    });
    const rows = await prisma.notificationPreference.findMany({
      where: { userId: user.id },
      orderBy: { type: "asc" },
      select: { type: true, inApp: true, digest: true },
    });
    // post.mentioned equals its default: no row.
    expect(rows).toEqual([
      { type: "post.reacted", inApp: true, digest: true },
      { type: "user.followed", inApp: false, digest: false },
    ]);
    const items = (await listNotificationPreferences(user.id)).flatMap((g) => g.items);
    expect(items.find((i) => i.type === "user.followed")).toMatchObject({ inApp: false, digest: false });

    await saveNotificationPreferences(user.id, { "user.followed": { inApp: true, digest: false } });
    expect(
      await prisma.notificationPreference.count({ where: { userId: user.id, type: "user.followed" } }),
    ).toBe(0);
    expect(await prisma.notificationPreference.count({ where: { userId: user.id } })).toBe(1);
  });

  it("refuses an unknown type (400) and saves nothing of that request", async () => {
    const user = await buildUser();
    const error = await refusal(
      saveNotificationPreferences(user.id, {
        "user.followed": { inApp: false, digest: false },
        "lottery.won": { inApp: false, digest: false },
      }),
    );
    expect(error.code).toBe("invalid_input");
    expect(error.issues).toEqual(["unknown notification type: lottery.won"]);
    expect(await prisma.notificationPreference.count({ where: { userId: user.id } })).toBe(0);
    expect(
      (await refusal(saveNotificationPreferences(user.id, { "user.followed": { inApp: "no" } }))).code,
    ).toBe("invalid_input");
    expect((await refusal(saveNotificationPreferences(user.id, ["user.followed"]))).code).toBe(
      "invalid_input",
    );
  });

  it("does not let a mandatory type be switched off, in either channel", async () => {
    const user = await buildUser();
    for (const choice of [
      { inApp: false, digest: true },
      { inApp: true, digest: false },
    ]) {
      const error = await refusal(saveNotificationPreferences(user.id, { "circular.review_due": choice }));
      expect(error.code).toBe("mandatory");
      expect(error.issues).toEqual(["circular.review_due cannot be switched off"]);
    }
    await saveNotificationPreferences(user.id, { "post.hidden": { inApp: true, digest: true } });
    expect(await prisma.notificationPreference.count({ where: { userId: user.id } })).toBe(0);
    // A row written around the module (by hand, or by an older release) is ignored.
    await prisma.notificationPreference.create({
      data: { userId: user.id, type: "circular.review_due", inApp: false, digest: false },
    });
    expect([...(await shouldDeliver([user.id], "circular.review_due"))]).toEqual([user.id]);
    expect(await notify(reviewDue(user.id))).toBe(1);
  });
});

describe("delivery", () => {
  let hub: LiveHub;

  beforeAll(async () => {
    await stopLiveHub();
    hub = await ensureLiveHub({ mode: "local" });
  });
  afterAll(async () => {
    await stopLiveHub();
  });

  it("answers per person: their choice, the default, or everyone for unknown types", async () => {
    const off = await buildUser();
    const on = await buildUser();
    await saveNotificationPreferences(off.id, { "user.followed": { inApp: false, digest: true } });
    expect([...(await shouldDeliver([off.id, on.id], "user.followed"))]).toEqual([on.id]);
    const delivery = await deliveryFor([off.id, on.id], "user.followed");
    expect(delivery.get(off.id)).toEqual({ inApp: false, digest: true });
    expect(delivery.get(on.id)).toEqual({ inApp: true, digest: false });
    expect((await shouldDeliver([off.id], "module.not_yet_known")).has(off.id)).toBe(true);
  });

  it("notify creates no row and sends no live event for a type switched off in the app", async () => {
    const off = await buildUser();
    const on = await buildUser();
    await saveNotificationPreferences(off.id, { "user.followed": { inApp: false, digest: false } });
    const events: ClientEvent[] = [];
    const unsubscribe = hub.subscribe(
      { id: off.id, roles: ["employee"], isFieldWorker: false, department: null, placeIds: [] },
      { send: (event) => events.push(event), close: () => {} },
    );
    try {
      const created = await prisma.$transaction((tx) => notify([followed(off.id), followed(on.id)], tx));
      expect(created).toBe(1);
      expect(await prisma.notification.count({ where: { userId: off.id } })).toBe(0);
      expect(await prisma.notification.count({ where: { userId: on.id, type: "user.followed" } })).toBe(1);
      // A type the person keeps on arrives, and live events are delivered in order: had the switched-off
      // one been sent, it would be here first.
      await prisma.$transaction((tx) => notify(reviewDue(off.id), tx));
      const deadline = Date.now() + 5_000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await hub.settled();
      const row = await prisma.notification.findFirstOrThrow({ where: { userId: off.id } });
      expect(events).toEqual([{ type: "notification.created", data: { notificationId: row.id } }]);
    } finally {
      unsubscribe();
    }
  });

  it("keeps sending what the person switched on again", async () => {
    const user = await buildUser();
    await saveNotificationPreferences(user.id, { "user.followed": { inApp: false, digest: false } });
    expect(await notify(followed(user.id))).toBe(0);
    await saveNotificationPreferences(user.id, { "user.followed": { inApp: true, digest: false } });
    expect(await notify(followed(user.id))).toBe(1);
  });
});
