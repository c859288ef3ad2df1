import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { buildDepartment, buildUser } from "../../../tests/factories";
import { setupTestDatabase } from "../../../tests/setup/database";
import {
  addDays,
  type ReviewCandidate,
  selectReviewReminders,
  sendReviewReminders,
} from "./review-reminders.server";

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const candidate = (
  id: string,
  reviewDate: string | null,
  sentFor: string | null = null,
): ReviewCandidate => ({
  id,
  reviewDate: reviewDate ? day(reviewDate) : null,
  reviewReminderSentFor: sentFor ? day(sentFor) : null,
});
const ids = (list: readonly ReviewCandidate[]) => list.map((c) => c.id);

describe("selectReviewReminders (pure)", () => {
  const now = new Date("2026-06-10T05:00:00Z"); // 07:00 in Brussels
  const circulars = [
    candidate("today", "2026-06-10"),
    candidate("within", "2026-06-25"),
    candidate("last-notice-day", "2026-07-10"),
    candidate("beyond", "2026-07-11"),
    candidate("yesterday", "2026-06-09"),
    candidate("long-ago", "2024-01-01"),
    candidate("none", null),
    candidate("already-reminded", "2026-06-20", "2026-06-20"),
    candidate("reminded-for-older-date", "2026-06-20", "2025-06-20"),
  ];

  it("reminds within the notice period (today up to today + notice days) and flags past dates as overdue", () => {
    const { due, overdue } = selectReviewReminders(circulars, now, 30);
    expect(ids(due)).toEqual(["today", "within", "last-notice-day", "reminded-for-older-date"]);
    expect(ids(overdue)).toEqual(["yesterday", "long-ago"]);
  });

  it("reminds once per review date: a new review date is reminded again", () => {
    const { due } = selectReviewReminders([candidate("c", "2026-06-20", "2026-06-20")], now, 30);
    expect(due).toEqual([]);
    const moved = selectReviewReminders([candidate("c", "2026-06-25", "2026-06-20")], now, 30);
    expect(ids(moved.due)).toEqual(["c"]);
  });

  it("counts Brussels days across the spring daylight-saving change", () => {
    // 29 March 2026, 00:30 in Brussels (CET, +1): still 28 March in UTC.
    const afterMidnight = new Date("2026-03-28T23:30:00Z");
    const list = [
      candidate("sat", "2026-03-28"),
      candidate("sun", "2026-03-29"),
      candidate("edge", "2026-04-28"),
    ];
    const result = selectReviewReminders(list, afterMidnight, 30);
    expect(ids(result.overdue)).toEqual(["sat"]);
    expect(ids(result.due)).toEqual(["sun", "edge"]);
    // 07:00 on the first summer-time morning (CEST, +2) is 05:00 UTC on 30 March.
    const monday = selectReviewReminders(list, new Date("2026-03-30T05:00:00Z"), 29);
    expect(ids(monday.overdue)).toEqual(["sat", "sun"]);
    expect(ids(monday.due)).toEqual(["edge"]);
    // The last minute of the Sunday in Brussels (21:59 UTC, +2) is still Sunday.
    const lateSunday = selectReviewReminders(list, new Date("2026-03-29T21:59:00Z"), 30);
    expect(ids(lateSunday.overdue)).toEqual(["sat"]);
  });

  it("counts Brussels days across the autumn daylight-saving change", () => {
    // 25 October 2026 is 25 hours long in Brussels; 23:30 UTC is already 26 October (CET, +1).
    const list = [
      candidate("sun", "2026-10-25"),
      candidate("mon", "2026-10-26"),
      candidate("edge", "2026-11-25"),
    ];
    const late = selectReviewReminders(list, new Date("2026-10-25T23:30:00Z"), 30);
    expect(ids(late.overdue)).toEqual(["sun"]);
    expect(ids(late.due)).toEqual(["mon", "edge"]);
    // 22:30 UTC on 24 October is 00:30 on 25 October in summer time (+2).
    const early = selectReviewReminders(list, new Date("2026-10-24T22:30:00Z"), 30);
    expect(early.overdue).toEqual([]);
    expect(ids(early.due)).toEqual(["sun", "mon"]);
  });

  it("adds calendar days without drifting an hour over a DST change", () => {
    expect(addDays(day("2026-03-28"), 2).toISOString()).toBe("2026-03-30T00:00:00.000Z");
    expect(addDays(day("2026-10-24"), 2).toISOString()).toBe("2026-10-26T00:00:00.000Z");
  });
});

describe("sendReviewReminders", () => {
  setupTestDatabase();
  const now = new Date("2031-05-05T05:00:00Z");
  let departmentId: string;
  let owner: { id: string; displayName: string };
  let editors: { id: string }[];

  beforeAll(async () => {
    departmentId = (await buildDepartment()).id;
    owner = await buildUser();
    editors = [await buildUser({}, ["editor"]), await buildUser({}, ["editor"])];
    await buildUser({ active: false }, ["editor"]);
  });

  let sequence = 100;
  async function circular(overrides: {
    reviewDate: string | null;
    status?: "draft" | "published" | "archived";
    responsibleUserId?: string;
  }) {
    sequence += 1;
    return prisma.circular.create({
      data: {
        number: `2031/${sequence}`,
        year: 2031,
        sequence,
        status: overrides.status ?? "published",
        publishedVersion: overrides.status === "draft" ? 0 : 1,
        title: `Testcirculaire ${randomBytes(3).toString("hex")}`,
        summary: "Samenvatting",
        body: { root: { type: "root", children: [] } },
        reviewDate: overrides.reviewDate ? day(overrides.reviewDate) : null,
        ownerDepartmentId: departmentId,
        responsibleUserId: overrides.responsibleUserId ?? owner.id,
        createdById: owner.id,
      },
    });
  }
  const notificationsFor = (circularNumber: string) =>
    prisma.notification.findMany({
      where: { url: `/circulaires/${circularNumber}` },
      orderBy: { userId: "asc" },
    });

  it("reminds the responsible person once per review date, however often the job runs", async () => {
    const due = await circular({ reviewDate: "2031-05-20" });
    const first = await sendReviewReminders({ now, noticeDays: 30 });
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    const again = await Promise.all([
      sendReviewReminders({ now, noticeDays: 30 }),
      sendReviewReminders({ now: new Date("2031-05-06T05:00:00Z"), noticeDays: 30 }),
    ]);
    expect(again.map((r) => r.reminded)).toEqual([0, 0]);

    const rows = await notificationsFor(due.number);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: owner.id,
      type: "circular.review_due",
      data: { number: due.number, title: due.title, reviewDate: "2031-05-20" },
      readAt: null,
    });
    const after = await prisma.circular.findUniqueOrThrow({ where: { id: due.id } });
    expect(after.reviewReminderSentFor).toEqual(day("2031-05-20"));

    // A new review date (after the review) is reminded again when its turn comes.
    await prisma.circular.update({ where: { id: due.id }, data: { reviewDate: day("2031-06-01") } });
    await sendReviewReminders({ now, noticeDays: 30 });
    expect(
      (await notificationsFor(due.number)).map((n) => (n.data as { reviewDate: string }).reviewDate),
    ).toEqual(["2031-05-20", "2031-06-01"]);
  });

  it("flags overdue circulars once to every active editor, not to others", async () => {
    const late = await circular({ reviewDate: "2031-04-30" });
    const result = await sendReviewReminders({ now, noticeDays: 30 });
    expect(result.overdue).toBeGreaterThanOrEqual(1);
    await sendReviewReminders({ now, noticeDays: 30 });
    const rows = await notificationsFor(late.number);
    expect(rows.map((n) => n.userId).sort()).toEqual(editors.map((e) => e.id).sort());
    for (const row of rows) {
      expect(row).toMatchObject({
        type: "circular.review_overdue",
        data: { number: late.number, reviewDate: "2031-04-30", responsibleName: owner.displayName },
      });
    }
    // The owner was not reminded for a date that had already passed.
    expect(rows.some((n) => n.userId === owner.id)).toBe(false);
  });

  it("leaves drafts, archived circulars, far review dates and people who left alone", async () => {
    const leaver = await buildUser({ active: false });
    const draft = await circular({ reviewDate: "2031-05-10", status: "draft" });
    const archived = await circular({ reviewDate: "2031-05-10", status: "archived" });
    const far = await circular({ reviewDate: "2031-07-01" });
    const orphan = await circular({ reviewDate: "2031-05-10", responsibleUserId: leaver.id });
    await sendReviewReminders({ now, noticeDays: 30 });
    for (const c of [draft, archived, far, orphan]) expect(await notificationsFor(c.number)).toEqual([]);
  });
});
