import { describe, expect, it } from "vitest";
import {
  clockMinutes,
  digestPeriodKey,
  endOfQuietHours,
  isInQuietHours,
  localTimeToInstant,
  nextDigestDueAt,
  type SchedulePreference,
} from "./schedule";

const daily: SchedulePreference = {
  rhythm: "daily",
  sendAt: "07:00",
  weekday: 1,
  quietFrom: null,
  quietUntil: null,
  paused: false,
};
const iso = (value: string) => new Date(value);
const due = (pref: Partial<SchedulePreference>, after: string) =>
  nextDigestDueAt({ ...daily, ...pref }, iso(after))?.toISOString() ?? null;

describe("nextDigestDueAt", () => {
  it("finds today's send time in winter (UTC+1) and in summer (UTC+2)", () => {
    expect(due({}, "2026-11-23T05:00:00Z")).toBe("2026-11-23T06:00:00.000Z");
    expect(due({}, "2026-06-10T04:00:00Z")).toBe("2026-06-10T05:00:00.000Z");
  });

  it("moves to tomorrow once today's time has passed or is the very moment", () => {
    expect(due({}, "2026-11-23T06:00:00Z")).toBe("2026-11-24T06:00:00.000Z");
    expect(due({}, "2026-11-23T12:00:00Z")).toBe("2026-11-24T06:00:00.000Z");
  });

  it("keeps the local time across the spring-forward change (07:00 stays 07:00)", () => {
    expect(due({}, "2026-03-28T07:00:00Z")).toBe("2026-03-29T05:00:00.000Z");
  });

  it("sends a time inside the spring-forward gap at 03:00 local, the first moment after it", () => {
    expect(due({ sendAt: "02:30" }, "2026-03-28T12:00:00Z")).toBe("2026-03-29T01:00:00.000Z");
    expect(due({ sendAt: "02:00" }, "2026-03-28T12:00:00Z")).toBe("2026-03-29T01:00:00.000Z");
    // The day after, 02:30 exists again (UTC+2).
    expect(due({ sendAt: "02:30" }, "2026-03-29T01:00:00Z")).toBe("2026-03-30T00:30:00.000Z");
  });

  it("sends a time that happens twice on the fall-back night once, at its first occurrence", () => {
    const first = due({ sendAt: "02:30" }, "2026-10-24T12:00:00Z");
    expect(first).toBe("2026-10-25T00:30:00.000Z");
    // After sending at the first 02:30, the second 02:30 (01:30Z) is not another due moment.
    expect(due({ sendAt: "02:30" }, first!)).toBe("2026-10-26T01:30:00.000Z");
    expect(due({ sendAt: "02:30" }, "2026-10-25T01:15:00Z")).toBe("2026-10-26T01:30:00.000Z");
  });

  it("keeps 07:00 local after the fall-back change", () => {
    expect(due({}, "2026-10-24T06:00:00Z")).toBe("2026-10-25T06:00:00.000Z");
  });

  it("finds the chosen weekday for weekly digests, a week later once it has passed", () => {
    // 2026-11-23 is a Monday; weekday 3 = Wednesday.
    expect(due({ rhythm: "weekly", weekday: 3, sendAt: "18:00" }, "2026-11-23T08:00:00Z")).toBe(
      "2026-11-25T17:00:00.000Z",
    );
    expect(due({ rhythm: "weekly", weekday: 1 }, "2026-11-23T06:00:00Z")).toBe("2026-11-30T06:00:00.000Z");
    expect(due({ rhythm: "weekly", weekday: 7 }, "2026-11-23T06:00:00Z")).toBe("2026-11-29T06:00:00.000Z");
  });

  it("is null for a paused preference and for urgent only", () => {
    expect(due({ paused: true }, "2026-11-23T05:00:00Z")).toBeNull();
    expect(due({ rhythm: "urgent_only" }, "2026-11-23T05:00:00Z")).toBeNull();
  });

  it("waits for the end of quiet hours that cross midnight", () => {
    expect(due({ sendAt: "06:00", quietFrom: "22:00", quietUntil: "06:30" }, "2026-11-23T04:00:00Z")).toBe(
      "2026-11-23T05:30:00.000Z",
    );
    expect(due({ sendAt: "23:00", quietFrom: "22:00", quietUntil: "06:30" }, "2026-11-23T12:00:00Z")).toBe(
      "2026-11-24T05:30:00.000Z",
    );
    // Outside them nothing changes.
    expect(due({ sendAt: "07:00", quietFrom: "22:00", quietUntil: "06:30" }, "2026-11-23T04:00:00Z")).toBe(
      "2026-11-23T06:00:00.000Z",
    );
  });

  it("refuses malformed stored values instead of guessing", () => {
    expect(() => due({ sendAt: "7:00" }, "2026-11-23T04:00:00Z")).toThrow(RangeError);
    expect(() => due({ rhythm: "weekly", weekday: 8 }, "2026-11-23T04:00:00Z")).toThrow(RangeError);
  });
});

describe("quiet hours", () => {
  const night = { quietFrom: "22:00", quietUntil: "06:30" };
  const lunch = { quietFrom: "12:00", quietUntil: "13:00" };

  it("include the start and exclude the end, across midnight too", () => {
    expect(isInQuietHours(night, iso("2026-11-23T21:00:00Z"))).toBe(true); // 22:00 local
    expect(isInQuietHours(night, iso("2026-11-23T20:59:00Z"))).toBe(false);
    expect(isInQuietHours(night, iso("2026-11-24T02:00:00Z"))).toBe(true); // 03:00 local
    expect(isInQuietHours(night, iso("2026-11-24T05:30:00Z"))).toBe(false); // 06:30 local
    expect(isInQuietHours(lunch, iso("2026-06-10T10:30:00Z"))).toBe(true); // 12:30 CEST
    expect(isInQuietHours(lunch, iso("2026-06-10T11:00:00Z"))).toBe(false); // 13:00 CEST
  });

  it("are off when not set or empty", () => {
    expect(isInQuietHours({ quietFrom: null, quietUntil: "06:00" }, iso("2026-11-24T02:00:00Z"))).toBe(false);
    expect(isInQuietHours({ quietFrom: "06:00", quietUntil: "06:00" }, iso("2026-11-24T05:00:00Z"))).toBe(
      false,
    );
  });

  it("end the next morning when it is before midnight, the same morning after it", () => {
    expect(endOfQuietHours(night, iso("2026-11-23T22:00:00Z")).toISOString()).toBe(
      "2026-11-24T05:30:00.000Z",
    );
    expect(endOfQuietHours(night, iso("2026-11-24T01:00:00Z")).toISOString()).toBe(
      "2026-11-24T05:30:00.000Z",
    );
    const outside = iso("2026-11-24T10:00:00Z");
    expect(endOfQuietHours(night, outside)).toBe(outside);
  });

  it("end at the right UTC moment on the DST nights", () => {
    // Spring forward: 06:30 local is UTC+2 already.
    expect(endOfQuietHours(night, iso("2026-03-28T23:00:00Z")).toISOString()).toBe(
      "2026-03-29T04:30:00.000Z",
    );
    // Fall back: 06:30 local is UTC+1 again.
    expect(endOfQuietHours(night, iso("2026-10-24T22:00:00Z")).toISOString()).toBe(
      "2026-10-25T05:30:00.000Z",
    );
  });
});

describe("localTimeToInstant", () => {
  it("maps ordinary, skipped and repeated local times", () => {
    expect(localTimeToInstant({ year: 2026, month: 1, day: 15 }, 8 * 60).toISOString()).toBe(
      "2026-01-15T07:00:00.000Z",
    );
    expect(localTimeToInstant({ year: 2026, month: 3, day: 29 }, 2 * 60 + 59).toISOString()).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    expect(localTimeToInstant({ year: 2026, month: 10, day: 25 }, 2 * 60).toISOString()).toBe(
      "2026-10-25T00:00:00.000Z",
    );
  });

  it("reads clock times strictly", () => {
    expect(clockMinutes("23:59")).toBe(1439);
    expect(() => clockMinutes("24:00")).toThrow(RangeError);
  });
});

describe("digestPeriodKey", () => {
  it("names the local day, the ISO week and the urgent hour", () => {
    // 00:30 local on 2026-11-24 is still the 23rd in UTC.
    expect(digestPeriodKey({ rhythm: "daily" }, iso("2026-11-23T23:30:00Z"))).toBe("daily:2026-11-24");
    expect(digestPeriodKey({ rhythm: "weekly" }, iso("2026-11-23T06:00:00Z"))).toBe("weekly:2026-W48");
    // 2027-01-01 belongs to ISO week 53 of 2026.
    expect(digestPeriodKey({ rhythm: "weekly" }, iso("2027-01-01T10:00:00Z"))).toBe("weekly:2026-W53");
    expect(digestPeriodKey({ rhythm: "daily" }, iso("2026-11-23T13:10:00Z"), "urgent")).toBe(
      "urgent:2026-11-23T14",
    );
    expect(digestPeriodKey({ rhythm: "urgent_only" }, iso("2026-06-10T13:10:00Z"))).toBe(
      "urgent:2026-06-10T15",
    );
  });

  it("gives the two 02:xx hours of the fall-back night different urgent keys", () => {
    const first = digestPeriodKey({ rhythm: "urgent_only" }, iso("2026-10-25T00:30:00Z"));
    const second = digestPeriodKey({ rhythm: "urgent_only" }, iso("2026-10-25T01:30:00Z"));
    expect(first).toBe("urgent:2026-10-25T02");
    // Same wall-clock hour: one urgent digest for that local hour, even though it lasts two real hours.
    expect(second).toBe(first);
  });
});
