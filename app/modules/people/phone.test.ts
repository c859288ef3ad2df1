import { describe, expect, it } from "vitest";
import { formatBelgianPhone, phoneHref } from "./phone";

describe("formatBelgianPhone", () => {
  it.each([
    ["09 266 12 34", "+32 9 266 12 34"],
    ["09/266.12.34", "+32 9 266 12 34"],
    ["+32 (0)9 266 12 34", "+32 9 266 12 34"],
    ["0032 9 266 12 34", "+32 9 266 12 34"],
    ["+3292661234", "+32 9 266 12 34"],
    ["02 279 22 11", "+32 2 279 22 11"],
    ["04 221 84 11", "+32 4 221 84 11"],
    ["0478 12 34 56", "+32 478 12 34 56"],
    ["+32 470-12-34-56", "+32 470 12 34 56"],
    ["050 44 80 00", "+32 50 44 80 00"],
    ["078 15 15 15", "+32 78 15 15 15"],
    ["0800 12 345", "+32 800 12 345"],
    ["  09 210 10 10  ", "+32 9 210 10 10"],
  ])("accepts %s as %s", (input, expected) => {
    expect(formatBelgianPhone(input)).toBe(expected);
    // Formatting is idempotent: saving the form again keeps the number as it is.
    expect(formatBelgianPhone(expected)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["09 266 12 3", "one digit short"],
    ["09 266 12 345", "one digit too many"],
    ["0478 12 34 5", "mobile one digit short"],
    ["0900 12 345", "premium rate"],
    ["062 12 34 56", "no such zone"],
    ["+31 20 123 4567", "a Dutch number"],
    ["9 266 12 34", "no trunk prefix or country code"],
    ["09 266 12 34 ext. 5", "letters"],
    ["javascript:alert(1)", "not a number at all"],
    ["0".repeat(40), "far too long"],
  ])("refuses %j (%s)", (input) => {
    expect(formatBelgianPhone(input)).toBeNull();
  });
});

describe("phoneHref", () => {
  it("dials the international number without spaces", () => {
    expect(phoneHref("+32 9 266 12 34")).toBe("tel:+3292661234");
  });
});
