import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  countUnreadNotifications,
  decodeNotificationCursor,
  encodeNotificationCursor,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  NotificationCursorError,
} from "./notifications.server";
import { notify } from "./notify.server";

setupTestDatabase();

let me: string;
let colleague: string;

const data = (n: number) => ({
  number: `2026/${String(n).padStart(3, "0")}`,
  title: `Circulaire ${n}`,
  actorName: "An",
});

beforeAll(async () => {
  me = (await buildUser()).id;
  colleague = (await buildUser()).id;
  // 25 of mine, five of them at the very same moment (ties are ordered by id), and 3 of a colleague's.
  const base = Date.parse("2026-11-01T08:00:00Z");
  for (let i = 0; i < 25; i += 1) {
    await prisma.notification.create({
      data: {
        userId: me,
        type: "circular.question",
        data: data(i),
        url: `/circulaires/2026/${String(i).padStart(3, "0")}`,
        createdAt: new Date(base + (i < 5 ? 0 : i) * 60_000),
      },
    });
  }
  for (let i = 0; i < 3; i += 1) {
    await notify({ userId: colleague, type: "circular.answered", data: data(100 + i), url: "/circulaires" });
  }
});

describe("listing", () => {
  it("pages through the user's own notifications, newest first, without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listNotifications>> = await listNotifications(me, {
        cursor,
        limit: 7,
      });
      seen.push(...page.items.map((item) => item.id));
      for (let i = 1; i < page.items.length; i += 1) {
        expect(page.items[i - 1]!.createdAt >= page.items[i]!.createdAt).toBe(true);
      }
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(25);
    const mine = await prisma.notification.findMany({ where: { userId: me }, select: { id: true } });
    expect(seen.sort()).toEqual(mine.map((n) => n.id).sort());
  });

  it("never shows another person's notifications, even with a cursor made from theirs", async () => {
    const theirs = await prisma.notification.findFirstOrThrow({ where: { userId: colleague } });
    const page = await listNotifications(me, { cursor: encodeNotificationCursor(theirs) });
    expect(page.items.length).toBeGreaterThan(0);
    expect(
      await prisma.notification.count({ where: { id: { in: page.items.map((i) => i.id) }, userId: me } }),
    ).toBe(page.items.length);
  });

  it("refuses cursors it did not make", () => {
    for (const bad of [
      "",
      "not base64!",
      Buffer.from("yesterday|abc").toString("base64url"),
      "x".repeat(500),
    ]) {
      expect(() => decodeNotificationCursor(bad)).toThrow(NotificationCursorError);
    }
    const item = { createdAt: new Date("2026-11-01T08:00:00.123Z"), id: "cm123" };
    expect(decodeNotificationCursor(encodeNotificationCursor(item))).toEqual(item);
  });
});

describe("reading", () => {
  it("counts unread, marks one read, and cannot mark someone else's", async () => {
    const user = (await buildUser()).id;
    await notify([
      { userId: user, type: "circular.answered", data: data(1), url: "/a" },
      { userId: user, type: "circular.answered", data: data(2), url: "/b" },
    ]);
    expect(await countUnreadNotifications(user)).toBe(2);
    const [first] = (await listNotifications(user)).items;
    expect(await markNotificationRead(user, first!.id)).toBe(true);
    expect(await markNotificationRead(user, first!.id)).toBe(true);
    expect(await countUnreadNotifications(user)).toBe(1);

    const theirs = await prisma.notification.findFirstOrThrow({ where: { userId: colleague, readAt: null } });
    expect(await markNotificationRead(user, theirs.id)).toBe(false);
    expect(await markNotificationRead(user, "does-not-exist")).toBe(false);
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull();
  });

  it("marks all of one's own read and nobody else's", async () => {
    const before = await countUnreadNotifications(colleague);
    expect(await markAllNotificationsRead(me)).toBe(25);
    expect(await countUnreadNotifications(me)).toBe(0);
    expect(await countUnreadNotifications(colleague)).toBe(before);
    expect(await markAllNotificationsRead(me)).toBe(0);
  });
});

describe("notify", () => {
  it("checks the data of known types, so senders and the texts agree on the fields", async () => {
    await expect(
      notify({
        userId: me,
        type: "circular.review_due",
        data: { number: "2026/001", title: "X" },
        url: "/x",
      }),
    ).rejects.toThrow(/circular\.review_due/);
    await expect(
      notify({
        userId: me,
        type: "circular.review_due",
        data: { number: "2026/001", title: "X", reviewDate: "1 mei" },
        url: "/x",
      }),
    ).rejects.toThrow(/invalid/);
    // Types of later modules pass as they are.
    expect(
      await notify({ userId: me, type: "stream.mentioned", data: { anything: 1 }, url: "/stroom" }),
    ).toBe(1);
  });

  it("is idempotent by dedupe key and refuses links to other sites", async () => {
    const input = {
      userId: me,
      type: "circular.answered",
      data: data(7),
      url: "/c",
      dedupeKey: `test:${me}:once`,
    };
    expect(await notify(input)).toBe(1);
    expect(await notify(input)).toBe(0);
    await expect(notify({ ...input, dedupeKey: undefined, url: "https://evil.example" })).rejects.toThrow();
    await expect(notify({ ...input, dedupeKey: undefined, url: "//evil.example" })).rejects.toThrow();
  });
});
