/**
 * Offline reading: which pages the service worker (app/sw.ts) may keep for reading without a connection,
 * and how they are marked and cleared. Shared by the worker, the routes that opt in, and the browser.
 *
 * Every HTML page is "private, no-store" by default (app/entry.server.tsx) and is never stored. A digest
 * page (/d/<token>) or a circular (/circulaires/<year>/<seq>) opts in by answering with
 * {@link offlineReadingHeaders} ("private, no-cache": only this browser may keep it, and must check with
 * the server whenever it is online). The worker then keeps the last {@link OFFLINE_READING_LIMIT} of each
 * kind in a separate cache, which is emptied at sign-out.
 */

/** The Cache Storage cache that holds pages kept for offline reading (not versioned: deploys keep it). */
export const OFFLINE_READING_CACHE = "werkplek-offline-reading";

/** How many pages of each kind are kept; the least recently opened go first. */
export const OFFLINE_READING_LIMIT = 20;

/** The Cache-Control value that lets the worker keep a page for offline reading. */
export const OFFLINE_READING_CACHE_CONTROL = "private, no-cache";

/** Headers for a route that may be read offline: `export const headers = offlineReadingHeaders;`. */
export function offlineReadingHeaders(): Record<string, string> {
  return { "Cache-Control": OFFLINE_READING_CACHE_CONTROL };
}

/** The message a page posts to the worker to remove everything kept for offline reading. */
export const CLEAR_PERSONAL_CACHE_MESSAGE = "clear-personal-cache";

export type OfflineReadingKind = "digest" | "circular";

const PATTERNS: [OfflineReadingKind, RegExp][] = [
  ["digest", /^\/d\/[A-Za-z0-9_-]{1,200}$/],
  ["circular", /^\/circulaires\/\d{4}\/\d{1,5}$/],
];

/** What kind of offline-readable page a path is, or null for every other path. */
export function offlineReadingKind(pathname: string): OfflineReadingKind | null {
  const path = pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname;
  for (const [kind, pattern] of PATTERNS) if (pattern.test(path)) return kind;
  return null;
}

/** The page a Remix single-fetch data request is for ("/x/y.data" → "/x/y", "/_root.data" → "/"), or null. */
export function pagePathOfDataRequest(pathname: string): string | null {
  if (pathname === "/_root.data") return "/";
  return pathname.endsWith(".data") && pathname.length > "/.data".length
    ? pathname.slice(0, -".data".length)
    : null;
}

/**
 * Whether a response may be kept for offline reading: a complete same-origin HTML page (not redirected,
 * 200) that the server did not mark no-store. `private` is fine: this cache belongs to this browser.
 */
export function isOfflineReadable(response: {
  ok: boolean;
  status: number;
  type: string;
  redirected: boolean;
  headers: { get(name: string): string | null };
}): boolean {
  if (!response.ok || response.status !== 200 || response.type !== "basic" || response.redirected) {
    return false;
  }
  if (!/^text\/html\b/i.test(response.headers.get("Content-Type") ?? "")) return false;
  const cacheControl = response.headers.get("Cache-Control") ?? "";
  return !/\bno-store\b/i.test(cacheControl);
}

/** Answers after which a kept copy must go: access lost, link revoked or expired, page removed. */
export function invalidatesOfflineCopy(status: number): boolean {
  return status === 401 || status === 403 || status === 404 || status === 410;
}

/** The page's title from its HTML, without the " – Werkplek" suffix; null when there is none. */
export function titleFromHtml(html: string): string | null {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  if (!match) return null;
  const title = decodeEntities(match[1]!).replace(/\s+/g, " ").trim();
  const bare = title.replace(/(^|\s+)[·–—|-]\s+Werkplek$/, "").trim();
  return bare === "" ? null : bare.slice(0, 200);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return safeCodePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith("#")) return safeCodePoint(parseInt(name.slice(1), 10), whole);
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** One page kept for offline reading, as listed on the offline page. */
export type OfflineReadingEntry = { path: string; kind: OfflineReadingKind; title: string; savedAt: number };

/**
 * The index after keeping `entry`: it replaces an earlier copy of the same path, comes first, and the
 * kind's oldest entries beyond the limit are returned in `evicted` so their copies can be deleted.
 */
export function addToIndex(
  index: readonly OfflineReadingEntry[],
  entry: OfflineReadingEntry,
  limit: number = OFFLINE_READING_LIMIT,
): { index: OfflineReadingEntry[]; evicted: OfflineReadingEntry[] } {
  const others = index.filter((existing) => existing.path !== entry.path);
  const ordered = [entry, ...others].sort((a, b) => b.savedAt - a.savedAt);
  const kept: OfflineReadingEntry[] = [];
  const evicted: OfflineReadingEntry[] = [];
  const perKind = new Map<OfflineReadingKind, number>();
  for (const candidate of ordered) {
    const count = perKind.get(candidate.kind) ?? 0;
    if (count < limit) {
      kept.push(candidate);
      perKind.set(candidate.kind, count + 1);
    } else {
      evicted.push(candidate);
    }
  }
  return { index: kept, evicted };
}

/** Reads a stored index defensively: anything malformed is dropped rather than trusted. */
export function parseIndex(value: unknown): OfflineReadingEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is OfflineReadingEntry =>
      typeof entry === "object" &&
      entry !== null &&
      typeof (entry as OfflineReadingEntry).path === "string" &&
      offlineReadingKind((entry as OfflineReadingEntry).path) === (entry as OfflineReadingEntry).kind &&
      typeof (entry as OfflineReadingEntry).title === "string" &&
      typeof (entry as OfflineReadingEntry).savedAt === "number",
  );
}

/**
 * Removes everything kept for offline reading, from the page: deletes the cache directly (pages share
 * Cache Storage with their worker) and tells the worker, in case it is in the middle of storing a page.
 */
export async function clearOfflineReading(): Promise<void> {
  if (typeof window === "undefined") return;
  navigator.serviceWorker?.controller?.postMessage({ type: CLEAR_PERSONAL_CACHE_MESSAGE });
  if ("caches" in window) await caches.delete(OFFLINE_READING_CACHE);
}
