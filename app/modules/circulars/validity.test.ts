import { describe, expect, it } from "vitest";
import { brusselsDay, validityOn } from "./validity";

const d = (value: string) => new Date(`${value}T00:00:00.000Z`);

describe("validityOn", () => {
  const base = { validFrom: d("2026-01-01"), validUntil: d("2026-12-31"), archivedAt: null };
  it.each([
    ["2025-12-31", "not_yet_valid"],
    ["2026-01-01", "valid"],
    ["2026-12-31", "valid"],
    ["2027-01-01", "expired"],
  ])("on %s is %s", (day, expected) => {
    expect(validityOn(base, d(day))).toBe(expected);
  });

  it("is superseded once the successor applies, and archived wins over everything", () => {
    const superseded = { ...base, successorPublished: true, successorValidFrom: d("2026-06-01") };
    expect(validityOn(superseded, d("2026-05-31"))).toBe("valid");
    expect(validityOn(superseded, d("2026-06-01"))).toBe("superseded");
    expect(validityOn({ ...superseded, archivedAt: new Date("2026-03-01T10:00:00Z") }, d("2026-04-01"))).toBe(
      "archived",
    );
  });
});

describe("brusselsDay", () => {
  it("uses the Brussels calendar day, across daylight-saving changes", () => {
    expect(brusselsDay(new Date("2026-03-28T23:30:00Z"))).toEqual(d("2026-03-29")); // 00:30 CET
    expect(brusselsDay(new Date("2026-10-24T22:30:00Z"))).toEqual(d("2026-10-25")); // 00:30 CEST
    expect(brusselsDay(new Date("2026-10-25T22:30:00Z"))).toEqual(d("2026-10-25")); // 23:30 CET
  });
});
