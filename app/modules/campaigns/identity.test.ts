// The campaign identity rules: white text stays readable on the colour (WCAG 4.5:1), the hashtag is a stream
// topic slug, a banner has a text alternative.
import { describe, expect, it } from "vitest";
import {
  BANNER_ALT_MAX,
  campaignPath,
  checkBannerAlt,
  checkCampaignColour,
  checkCampaignHashtag,
  contrastRatio,
  normaliseColour,
  relativeLuminance,
  whiteTextContrast,
} from "./identity";

describe("campaign colour", () => {
  it("computes WCAG luminance and contrast", () => {
    expect(relativeLuminance("#ffffff")).toBeCloseTo(1, 5);
    expect(relativeLuminance("#000000")).toBe(0);
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    // The reference pair from the WCAG techniques: #767676 is the lightest grey passing on white.
    expect(contrastRatio("#ffffff", "#767676")).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio("#ffffff", "#777777")).toBeLessThan(4.5);
  });

  it("accepts dark colours and normalises their spelling", () => {
    expect(checkCampaignColour(" #0B4F8A ")).toMatchObject({ ok: true, colour: "#0b4f8a" });
    expect(checkCampaignColour("#767676")).toMatchObject({ ok: true, colour: "#767676" });
    expect(checkCampaignColour("#000000")).toMatchObject({ ok: true, contrast: 21 });
  });

  it("refuses colours that white text cannot be read on, with the contrast found", () => {
    const check = checkCampaignColour("#777777");
    expect(check).toMatchObject({ ok: false, reason: "low_contrast", colour: "#777777" });
    expect(check.ok === false && check.reason === "low_contrast" && check.contrast).toBe(4.47);
    expect(checkCampaignColour("#ffd800")).toMatchObject({ ok: false, reason: "low_contrast" });
    expect(checkCampaignColour("#ffffff")).toMatchObject({ ok: false, reason: "low_contrast", contrast: 1 });
  });

  it("refuses anything that is not #rrggbb", () => {
    for (const value of ["", "0b4f8a", "#0b4f8", "#0b4f8a0", "#abc", "blue", "#gg0000", "rgb(0,0,0)"]) {
      expect(checkCampaignColour(value), value).toEqual({ ok: false, reason: "invalid_format" });
      expect(normaliseColour(value), value).toBeNull();
    }
    expect(() => relativeLuminance("blue")).toThrow(RangeError);
  });

  it("rounds the shown contrast down, so a failing colour never shows 4.5", () => {
    expect(whiteTextContrast("#777777")).toBeLessThan(4.5);
    expect(whiteTextContrast("#0b4f8a")).toBeGreaterThan(4.5);
  });
});

describe("campaign hashtag", () => {
  it("normalises like the stream's topics", () => {
    expect(checkCampaignHashtag("#GentPlus")).toEqual({ ok: true, hashtag: "gentplus" });
    expect(checkCampaignHashtag("  TrotsOpGent ")).toEqual({ ok: true, hashtag: "trotsopgent" });
    // NFC: an é typed as e + combining accent is the same topic as a precomposed é.
    expect(checkCampaignHashtag("Cafe\u0301")).toEqual({ ok: true, hashtag: "caf\u00e9" });
  });

  it("treats empty as no hashtag", () => {
    for (const value of [undefined, null, "", "  ", "#"]) {
      expect(checkCampaignHashtag(value)).toEqual({ ok: true, hashtag: null });
    }
  });

  it("refuses what the stream would not see as a tag", () => {
    for (const value of ["Gent Plus", "gent-plus", "2026", "#a#b", "x".repeat(51), "gent!"]) {
      expect(checkCampaignHashtag(value), value).toEqual({ ok: false });
    }
  });
});

describe("banner text alternative", () => {
  it("is required with a banner and collapsed", () => {
    expect(checkBannerAlt("", true)).toEqual({ ok: false, reason: "required" });
    expect(checkBannerAlt("   ", true)).toEqual({ ok: false, reason: "required" });
    expect(checkBannerAlt(" Ploeg  Groen \n aan het werk ", true)).toEqual({
      ok: true,
      alt: "Ploeg Groen aan het werk",
    });
    expect(checkBannerAlt(null, false)).toEqual({ ok: true, alt: "" });
  });

  it("is at most BANNER_ALT_MAX characters", () => {
    expect(checkBannerAlt("a".repeat(BANNER_ALT_MAX), true)).toMatchObject({ ok: true });
    expect(checkBannerAlt("a".repeat(BANNER_ALT_MAX + 1), true)).toEqual({ ok: false, reason: "too_long" });
  });
});

it("addresses a campaign by its slug", () => {
  expect(campaignPath("gent-plus-samen-verder")).toBe("/campagnes/gent-plus-samen-verder");
});
