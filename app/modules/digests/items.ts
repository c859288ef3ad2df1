/**
 * What a digest holds: a short list of items, each linking to its normal page in Werkplek (which requires
 * sign-in: the digest link itself opens nothing else). Stored as JSON in Digest.items, most important first,
 * and shared by the planner, the renderers, the /d page and the kiosk, so this module has no server imports.
 */
import { z } from "zod";
import { isInAppPath } from "~/modules/channels/push-payload";

export const DIGEST_ITEM_KINDS = ["circular", "announcement", "campaign", "post", "personal"] as const;
export type DigestItemKind = (typeof DIGEST_ITEM_KINDS)[number];

/** Longest summary kept: two or three lines on a phone, and an SMS shows titles only anyway. */
export const MAX_SUMMARY_LENGTH = 200;
/** Longest title kept (announcements and posts have none: their first words stand in). */
export const MAX_TITLE_LENGTH = 120;

export const DigestItemSchema = z.object({
  kind: z.enum(DIGEST_ITEM_KINDS),
  /** Id of the source row (circular, post, digest entry …): with `kind`, what "already sent" is checked on. */
  id: z.string().min(1).max(100),
  title: z.string().min(1).max(MAX_TITLE_LENGTH),
  summary: z.string().max(MAX_SUMMARY_LENGTH),
  /** In-app path the item opens; never another origin (the /d page redirects to it). */
  url: z.string().refine(isInAppPath, { message: "url must be a relative path inside the app" }),
  /** Higher is more important within its group; see `compareDigestItems`. */
  priority: z.number().int(),
  urgent: z.boolean(),
  needsAcknowledgement: z.boolean().optional(),
  /** When it happened (published, posted …), ISO 8601. */
  date: z.iso.datetime(),
});
export type DigestItem = z.infer<typeof DigestItemSchema>;

/** Digest.items as stored. */
export const DigestItemsSchema = z.array(DigestItemSchema).max(100);

/** The items of a stored digest; malformed JSON is an error (nothing should ever write it). */
export function parseDigestItems(value: unknown): DigestItem[] {
  return DigestItemsSchema.parse(value);
}

/** "kind:id": identity of an item across digests, to send nothing twice. */
export function digestItemKey(item: Pick<DigestItem, "kind" | "id">): string {
  return `${item.kind}:${item.id}`;
}

/**
 * Rank of an item's group, lowest first: urgent items, circulars waiting for "gelezen en begrepen", other
 * circulars, announcements, campaign messages, personal items (mentions, replies …), then top posts.
 */
export function digestItemRank(item: DigestItem): number {
  if (item.urgent) return 0;
  switch (item.kind) {
    case "circular":
      return item.needsAcknowledgement ? 1 : 2;
    case "announcement":
      return 3;
    case "campaign":
      return 4;
    case "personal":
      return 5;
    case "post":
      return 6;
  }
}

/** Most important first: group rank, then priority (higher first), then newest first, then id (stable). */
export function compareDigestItems(a: DigestItem, b: DigestItem): number {
  return (
    digestItemRank(a) - digestItemRank(b) ||
    b.priority - a.priority ||
    b.date.localeCompare(a.date) ||
    a.id.localeCompare(b.id)
  );
}

/** A sorted copy. */
export function orderDigestItems(items: readonly DigestItem[]): DigestItem[] {
  return [...items].sort(compareDigestItems);
}

/**
 * Plain text cut to `max` characters at a word boundary with "…": runs of whitespace become one space, and
 * the text is never HTML (renderers escape it where they need to).
 */
export function clipText(text: string, max: number): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/u, "")}…`;
}
