import { describe, expect, it } from "vitest";
import { safeReturnTo, withHash } from "./return-to";

const FALLBACK = "/berichten/p1";

describe("safeReturnTo", () => {
  it.each([
    "/",
    "/berichten/abc",
    "/groepen/wijkwerking?na=eyJ4IjoxfQ.sig",
    "/berichten/abc?reacties=xyz#reactie-1",
    "/onderwerpen/caf%C3%A9",
  ])("keeps the local path %s", (path) => {
    expect(safeReturnTo(path, FALLBACK)).toBe(path);
  });

  it.each([
    ["protocol-relative", "//evil.example/phish"],
    ["backslash after the slash", "/\\evil.example"],
    ["backslash later on", "/berichten\\..\\..\\evil"],
    ["javascript: URL", "javascript:alert(1)"],
    ["absolute https URL", "https://evil.example/"],
    ["absolute URL to this very app", "http://localhost:3000/"],
    ["relative path", "berichten/abc"],
    ["tab that browsers strip", "/\t/evil.example"],
    ["newline (header injection)", "/berichten\r\nSet-Cookie: x=1"],
    ["NUL", "/berichten\u0000"],
    ["C1 control", "/berichten\u0085"],
    ["empty", ""],
    ["a very long path", `/${"a".repeat(3000)}`],
  ])("falls back for a %s", (_, value) => {
    expect(safeReturnTo(value, FALLBACK)).toBe(FALLBACK);
  });

  it.each([null, undefined, 42, ["/"], { toString: () => "/" }])(
    "falls back for a non-string %s",
    (value) => {
      expect(safeReturnTo(value, FALLBACK)).toBe(FALLBACK);
    },
  );
});

describe("withHash", () => {
  it("sets, replaces and removes the anchor", () => {
    expect(withHash("/berichten/a?x=1", "bericht-a")).toBe("/berichten/a?x=1#bericht-a");
    expect(withHash("/berichten/a#oud", "reactie-b")).toBe("/berichten/a#reactie-b");
    expect(withHash("/berichten/a#oud", null)).toBe("/berichten/a");
  });
});
