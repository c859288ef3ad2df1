/** Turning what people type into search terms, the same way for every engine (and in the browser). */

/** Longest query accepted, in characters. */
export const MAX_QUERY_LENGTH = 200;
/** At most this many words are searched; the rest is ignored (a pasted paragraph is not a query). */
export const MAX_TERMS = 12;
/** The last word is matched as a prefix ("thuisw" → "thuiswerk") from this length on. */
export const MIN_PREFIX_LENGTH = 3;

/** Letters and digits only: no engine syntax (tsquery operators, filter expressions) survives. */
export function searchTerms(text: string): string[] {
  return text
    .normalize("NFC")
    .toLocaleLowerCase("nl-BE")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_TERMS);
}

/** "2025/17", "2025 / 017" → "2025/017": a query that is a circular number. */
export function circularNumberQuery(text: string): string | null {
  const match = /^\s*(\d{4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
  if (!match) return null;
  return `${match[1]}/${match[2]!.padStart(3, "0")}`;
}
