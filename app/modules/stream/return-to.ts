/**
 * Where a stream form sends the reader back to after its action: a path inside this app, taken from a form
 * field the page filled in. The field comes from the browser, so it is checked like any other input: an
 * open redirect ("//evil.example", "/\evil.example", "https://…", "javascript:…") would turn a trusted
 * Werkplek link into a phishing hop.
 *
 * Pure module (no server imports): the pages use it too, to build their own return paths.
 */

/** Longer return paths are not something the pages produce; refusing them keeps redirects and logs small. */
export const RETURN_TO_MAX_LENGTH = 2000;

// C0 and C1 controls, DEL and whitespace other than the plain space: browsers strip or reinterpret them in
// URLs ("/\t/evil.example" becomes "//evil.example"), so a path containing one is never taken.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\s\\]/u;

/**
 * `value` when it is a local path ("/x…", with search and hash), otherwise `fallback`. Refuses
 * protocol-relative paths ("//"), backslashes (browsers read "/\" as "//"), control characters and
 * whitespace, and anything that would resolve to another origin.
 */
export function safeReturnTo(value: unknown, fallback: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > RETURN_TO_MAX_LENGTH) return fallback;
  if (!value.startsWith("/") || value.startsWith("//")) return fallback;
  if (UNSAFE_CHARACTERS.test(value)) return fallback;
  // Belt and braces: whatever a URL parser makes of it must stay on our own origin.
  const base = "http://werkplek.invalid";
  try {
    if (new URL(value, base).origin !== base) return fallback;
  } catch {
    return fallback;
  }
  return value;
}

/** A local path with its hash replaced by `#<anchor>` (or removed when the anchor is null). */
export function withHash(path: string, anchor: string | null): string {
  const index = path.indexOf("#");
  const bare = index === -1 ? path : path.slice(0, index);
  return anchor ? `${bare}#${anchor}` : bare;
}
