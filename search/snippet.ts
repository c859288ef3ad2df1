/**
 * Safe highlighting: engines mark hits with two private-use characters, the text is HTML-escaped, and
 * only then are the markers turned into <mark> elements. Nothing from a document can inject markup.
 */
import { escapeHtml } from "~/editor/render-html";

export const MARK_START = "\uE000";
export const MARK_END = "\uE001";
const MARKERS = /[\uE000\uE001]/g;
const MARKED = /\uE000([^\uE000\uE001]*)\uE001/g;

/** Removes marker characters from indexed text, so only the engine can place them. */
export function stripMarkers(text: string): string {
  return text.replace(MARKERS, "");
}

/** Escaped HTML with <mark> for each marked span; stray markers are dropped. */
export function markedToHtml(marked: string): string {
  return escapeHtml(marked.replace(/\s+/g, " ").trim())
    .replace(MARKED, "<mark>$1</mark>")
    .replace(MARKERS, "");
}
