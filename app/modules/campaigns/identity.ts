/**
 * A campaign's visual identity and address: its colour (white text must stay readable on it, WCAG 2.1 AA
 * 4.5:1), its hashtag (a stream topic, normalised exactly like the stream's), its banner's text alternative and
 * its page. Pure functions, no database: the form uses the same rules in the browser as the server.
 */
import { isValidTag, MAX_TAG_LENGTH, normaliseTopicSlug } from "~/modules/stream/content";

/** WCAG 2.1 AA minimum contrast for normal text: campaign colours carry white text (banners, buttons, badges). */
export const MIN_WHITE_TEXT_CONTRAST = 4.5;
/** The city's blue, used when a campaign picks no colour. */
export const DEFAULT_CAMPAIGN_COLOUR = "#0b4f8a";
/** A banner's text alternative: short enough for a screen reader to read in one go. */
export const BANNER_ALT_MAX = 250;
export { MAX_TAG_LENGTH as CAMPAIGN_HASHTAG_MAX };

const HEX_COLOUR = /^#[0-9a-f]{6}$/;

/** The page of a campaign. */
export function campaignPath(slug: string): string {
  return `/campagnes/${encodeURIComponent(slug)}`;
}

/** "#0B4F8A " → "#0b4f8a"; null when the value is not a six-digit hex colour. */
export function normaliseColour(value: string): string | null {
  const colour = value.trim().toLowerCase();
  return HEX_COLOUR.test(colour) ? colour : null;
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a #rrggbb colour (0 black … 1 white). */
export function relativeLuminance(hex: string): number {
  const colour = normaliseColour(hex);
  if (!colour) throw new RangeError(`Not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [1, 3, 5].map((start) => channel(Number.parseInt(colour.slice(start, start + 2), 16)));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio between two #rrggbb colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

/** The contrast of white text on a colour, rounded down to two decimals (so 4.499 never shows as 4.5). */
export function whiteTextContrast(hex: string): number {
  return Math.floor(contrastRatio("#ffffff", hex) * 100) / 100;
}

export type ColourCheck =
  | { ok: true; colour: string; contrast: number }
  | { ok: false; reason: "invalid_format" }
  | { ok: false; reason: "low_contrast"; colour: string; contrast: number };

/** Whether a colour can be a campaign colour: #rrggbb and white text on it at 4.5:1 or more. */
export function checkCampaignColour(value: string): ColourCheck {
  const colour = normaliseColour(value);
  if (!colour) return { ok: false, reason: "invalid_format" };
  const exact = contrastRatio("#ffffff", colour);
  const contrast = whiteTextContrast(colour);
  return exact >= MIN_WHITE_TEXT_CONTRAST
    ? { ok: true, colour, contrast }
    : { ok: false, reason: "low_contrast", colour, contrast };
}

export type HashtagCheck = { ok: true; hashtag: string | null } | { ok: false };

/**
 * A campaign hashtag as a stream topic slug: "#GentPlus" → "gentplus"; empty → null (no hashtag). Refused
 * when the stream would not recognise it as a tag (spaces, punctuation, digits only, longer than 50).
 */
export function checkCampaignHashtag(value: string | null | undefined): HashtagCheck {
  const trimmed = (value ?? "").trim().replace(/^#/, "");
  if (trimmed === "") return { ok: true, hashtag: null };
  if (!isValidTag(trimmed)) return { ok: false };
  return { ok: true, hashtag: normaliseTopicSlug(trimmed) };
}

export type BannerAltCheck = { ok: true; alt: string } | { ok: false; reason: "required" | "too_long" };

/**
 * A banner's text alternative: required when there is a banner (campaign banners carry the message, they are
 * not decoration), at most BANNER_ALT_MAX characters, runs of white space collapsed.
 */
export function checkBannerAlt(value: string | null | undefined, hasBanner: boolean): BannerAltCheck {
  const alt = (value ?? "").replace(/\s+/g, " ").trim();
  if (hasBanner && alt === "") return { ok: false, reason: "required" };
  if ([...alt].length > BANNER_ALT_MAX) return { ok: false, reason: "too_long" };
  return { ok: true, alt };
}
