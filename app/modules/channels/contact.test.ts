import { describe, expect, it } from "vitest";
import { checkMobile, maskEmail, maskPhone, normaliseEmail, normaliseMobile } from "./contact";

describe("normaliseMobile", () => {
  it.each([
    ["0470 12 34 56", "+32470123456"],
    ["0470/12.34.56", "+32470123456"],
    ["0470-12-34-56", "+32470123456"],
    ["+32 470 12 34 56", "+32470123456"],
    ["+32 (0)470 12 34 56", "+32470123456"],
    ["+32 0470 12 34 56", "+32470123456"],
    ["0032 470 12 34 56", "+32470123456"],
    ["0032470123456", "+32470123456"],
    ["  0456\u00a012 34 56 ", "+32456123456"],
    ["0499 99 99 99", "+32499999999"],
    ["+31 6 12345678", "+31612345678"],
    ["+31 (0)6-1234 5678", "+31612345678"],
    ["0031 6 81 23 45 67", "+31681234567"],
    ["+33 6 12 34 56 78", "+33612345678"],
    ["+33 7 81 23 45 67", "+33781234567"],
    ["0033 (0)7 31 23 45 67", "+33731234567"],
  ])("accepts %j as %s", (input, expected) => {
    expect(normaliseMobile(input)).toBe(expected);
    // Normalising is idempotent: the stored form is accepted as it is.
    expect(normaliseMobile(expected)).toBe(expected);
  });

  it.each([
    ["", "invalid", "empty"],
    ["   ", "invalid", "blank"],
    ["0470 12 34 5", "not_mobile", "one digit short"],
    ["0470 12 34 567", "not_mobile", "one digit too many"],
    ["09 266 12 34", "not_mobile", "a Ghent landline"],
    ["+32 9 266 12 34", "not_mobile", "a landline with country code"],
    ["0444 12 34 56", "not_mobile", "044x is not mobile"],
    ["0900 12 345", "not_mobile", "premium rate"],
    ["0800 12 345", "not_mobile", "freephone"],
    ["06 12 34 56 78", "needs_country_code", "Dutch or French without country code"],
    ["07 81 23 45 67", "needs_country_code", "French without country code"],
    ["+31 20 123 4567", "not_mobile", "an Amsterdam landline"],
    ["+31 66 1234567", "not_mobile", "a Dutch pager"],
    ["+31 6 1234567", "not_mobile", "Dutch, one digit short"],
    ["+33 1 23 45 67 89", "not_mobile", "a Paris landline"],
    ["+33 7 01 23 45 67", "not_mobile", "French 070 is not mobile"],
    ["+33 8 99 12 34 56", "not_mobile", "French premium rate"],
    ["+49 151 12345678", "unsupported_country", "a German mobile"],
    ["+352 621 123 456", "unsupported_country", "Luxembourg"],
    ["+1 202 555 0100", "unsupported_country", "North America"],
    ["470 12 34 56", "invalid", "no trunk prefix or country code"],
    ["0470 12 34 56 ext 1", "invalid", "letters"],
    ["++32 470 12 34 56", "invalid", "two plus signs"],
    ["32+470123456", "invalid", "a plus sign in the middle"],
    ["+32", "invalid", "a country code alone"],
    ["0".repeat(31), "invalid", "far too long"],
    ["javascript:alert(1)", "invalid", "not a number at all"],
  ])("refuses %j as %s (%s)", (input, problem) => {
    expect(normaliseMobile(input)).toBeNull();
    expect(checkMobile(input)).toEqual({ ok: false, problem });
  });

  it("names the country of an accepted number", () => {
    expect(checkMobile("0470123456")).toEqual({ ok: true, e164: "+32470123456", country: "BE" });
    expect(checkMobile("+31612345678")).toMatchObject({ country: "NL" });
    expect(checkMobile("+33612345678")).toMatchObject({ country: "FR" });
  });
});

describe("normaliseEmail", () => {
  it.each([
    ["jan.peeters@gmail.com", "jan.peeters@gmail.com"],
    ["  Jan.Peeters@GMail.COM  ", "Jan.Peeters@gmail.com"],
    ["an+werkplek@telenet.be", "an+werkplek@telenet.be"],
    ["o'brien@skynet.be", "o'brien@skynet.be"],
    ["x@sub-domain.example.co.uk", "x@sub-domain.example.co.uk"],
    ["jan@bücher.de", "jan@xn--bcher-kva.de"],
    ["jan@xn--bcher-kva.de", "jan@xn--bcher-kva.de"],
  ])("accepts %j as %j", (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
    expect(normaliseEmail(expected)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["jan", "no @"],
    ["@gmail.com", "no local part"],
    ["jan@", "no domain"],
    ["jan@localhost", "a single label"],
    ["jan@127.0.0.1", "an IP address"],
    ["jan@[127.0.0.1]", "an address literal"],
    ["jan@gmail..com", "an empty label"],
    ["jan@gmail.com.", "a trailing dot"],
    ["jan@-gmail.com", "a label starting with a hyphen"],
    ["jan@gmail-.com", "a label ending with a hyphen"],
    ["jan@gmail.c", "a one-letter top-level domain"],
    ["jan@gmail.c0m", "digits in the top-level domain"],
    ["jan@gm ail.com", "a space in the domain"],
    ["jan@gmail_x.com", "an underscore in the domain"],
    [".jan@gmail.com", "a leading dot"],
    ["jan.@gmail.com", "a trailing dot in the local part"],
    ["jan..peeters@gmail.com", "a double dot"],
    ["jan peeters@gmail.com", "a space in the local part"],
    ['"jan peeters"@gmail.com', "a quoted local part"],
    ["jan@peeters@gmail.com", "two @ signs"],
    ["zoë@gmail.com", "non-ASCII in the local part"],
    ["jan@bücher.de/evil", "a path after an internationalised domain"],
    ["jan@bücher.de:25", "a port"],
    [`${"a".repeat(65)}@gmail.com`, "a local part over 64 characters"],
    [`jan@${"a".repeat(64)}.com`, "a label over 63 characters"],
    [`${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.com`, "over 254 characters"],
    ["Jan <jan@gmail.com>", "a display name"],
  ])("refuses %j (%s)", (input) => {
    expect(normaliseEmail(input)).toBeNull();
  });

  it("accepts an address of exactly 254 characters", () => {
    const address = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`;
    expect(address).toHaveLength(254);
    expect(normaliseEmail(address)).toBe(address);
  });
});

describe("maskPhone", () => {
  it.each([
    ["+32470123456", "+32 4•• •• •• 56"],
    ["+31612345678", "+31 6 •• •• •• 78"],
    ["+33781234567", "+33 7 •• •• •• 67"],
  ])("masks %s as %s", (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it("never shows more than the last two digits of a number it does not recognise", () => {
    expect(maskPhone("+4915112345678")).toBe("••••••78");
    expect(maskPhone("12345")).toBe("••••••");
    expect(maskPhone("")).toBe("••••••");
  });

  it("hides the middle digits", () => {
    const masked = maskPhone("+32470123456");
    expect(masked).not.toMatch(/7012|1234|2345/);
    expect(masked.replace(/\D/g, "")).toBe("32456");
  });
});

describe("maskEmail", () => {
  it.each([
    ["jan.peeters@gmail.com", "j•••••••s@gmail.com"],
    ["an@telenet.be", "a•••••••@telenet.be"],
    ["jan@skynet.be", "j•••••••@skynet.be"],
    ["x@proximus.be", "x•••••••@proximus.be"],
    ["ahmed@hotmail.com", "a•••••••d@hotmail.com"],
  ])("masks %s as %s", (input, expected) => {
    expect(maskEmail(input)).toBe(expected);
  });

  it("does not reveal the length of the local part", () => {
    expect(maskEmail("jo.peeters@gmail.com").length).toBe(maskEmail("johanna.peeters@gmail.com").length);
  });

  it("masks a value that is not an address entirely", () => {
    expect(maskEmail("geen-adres")).toBe("•••••••");
    expect(maskEmail("@gmail.com")).toBe("•••••••");
  });
});
