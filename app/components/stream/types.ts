/**
 * What the stream components and the post page's action share: the reaction types (a browser-safe copy of
 * posts.server's list; `satisfies` keeps them in step with the database enum), the form field that tells a
 * fetcher submission from a plain form post, and the shape of the action's answers.
 */
import type { ReactionType } from "~/generated/prisma/client";

export const REACTION_TYPES = [
  "like",
  "love",
  "celebrate",
  "thanks",
  "insightful",
] as const satisfies readonly ReactionType[];

export type { ReactionType };

/** The emoji beside each reaction's visible label (decorative: the label carries the meaning). */
export const REACTION_EMOJI: Record<ReactionType, string> = {
  like: "👍",
  love: "❤️",
  celebrate: "🎉",
  thanks: "🙏",
  insightful: "💡",
};

/**
 * Hidden field added by enhanced forms (after hydration only): the action then answers with data instead
 * of a redirect, so the page updates in place rather than navigating.
 */
export const VIA_FETCHER_FIELD = "via";
export const VIA_FETCHER_VALUE = "fetcher";

/** The post page's forms, told apart by `intent`. */
export type PostIntent =
  | "react"
  | "unreact"
  | "comment"
  | "editComment"
  | "deleteComment"
  | "deletePost"
  | "report"
  | "share"
  | "hide"
  | "restore"
  | "hideComment"
  | "restoreComment";

export type ReactionCounts = {
  total: number;
  byType: Record<ReactionType, number>;
  myReaction: ReactionType | null;
};

/** What the post page's action returns when it does not redirect. */
export type PostActionResult =
  | { ok: true; intent: "react" | "unreact"; reactions: ReactionCounts }
  | {
      ok: false;
      intent: PostIntent | null;
      /** Which form: the comment or reply it belongs to (null for the post's own forms). */
      target: string | null;
      /** i18n key of the message. */
      error: string;
      fieldErrors: Partial<Record<string, string>>;
      /** What was typed, so a form posted without JavaScript comes back filled in. */
      values: Partial<Record<string, string>>;
      retryAfterSeconds?: number;
    };

/** Whether a value is one of the reaction types. */
export function isReactionType(value: unknown): value is ReactionType {
  return typeof value === "string" && (REACTION_TYPES as readonly string[]).includes(value);
}

/** The id of a form's field, unique on the page: `<intent>-<target>-<field>`. */
export function streamFieldId(intent: PostIntent, target: string | null, field: string): string {
  return `${intent}-${target ?? "bericht"}-${field}`;
}
