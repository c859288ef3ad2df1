/**
 * The web-push notification payload: what the service worker receives in its `push` event and shows.
 *
 * Pure module (no Node APIs), shared by the server that builds the payload and the service worker that parses it.
 *
 * Size bound. RFC 8030 §7.2 only obliges a push service to accept 4,096 octets of payload body. With the
 * aes128gcm content coding of RFC 8188 as profiled for web push by RFC 8291 §4, that body is:
 *   - the header: salt (16) + record size (4) + key id length (1) + key id = the sender's uncompressed
 *     P-256 public key (65) = 86 octets;
 *   - one record (RFC 8291 requires a single record): plaintext + the padding delimiter 0x02 (at least
 *     1 octet) + the AEAD_AES_128_GCM tag (16 octets).
 * So the plaintext is at most 4096 − 86 − 1 − 16 = 3,993 octets (RFC 8291 §4 states the same figure). The
 * record size web-push writes (4,096) holds 4,079 plaintext octets, so the single-record rule is not the limit.
 */
import { z } from "zod";

/** The largest plaintext that still fits the 4,096-octet push message body after aes128gcm encryption. */
export const MAX_PUSH_PLAINTEXT_BYTES = 4096 - (16 + 4 + 1 + 65) - 1 - 16;

/** Urgency values of RFC 8030 §5.3, from the least to the most urgent. */
export const PUSH_URGENCIES = ["very-low", "low", "normal", "high"] as const;
export type PushUrgency = (typeof PUSH_URGENCIES)[number];

/** The longest title kept: notification UIs show one or two lines, and a bound keeps room for the body. */
export const MAX_PUSH_TITLE_LENGTH = 120;
/** The longest in-app URL accepted; digest and circular links are far shorter. */
export const MAX_PUSH_URL_LENGTH = 2048;

const ELLIPSIS = "…";
const BASE_FOR_CHECK = "https://werkplek.invalid";
// RFC 3986 path, query and fragment characters: no spaces, quotes, backslashes or control characters, so a
// URL can never be read differently by the browser than it was checked here.
const URL_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]+$/;
const TAG_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Whether `url` is a path inside this app: it starts with one "/", has no scheme and no authority
 * ("//host" or "/\host", which browsers treat as another origin), and resolves to the same origin.
 */
export function isInAppPath(url: string): boolean {
  if (url.length === 0 || url.length > MAX_PUSH_URL_LENGTH) return false;
  if (!url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return false;
  if (!URL_CHARACTERS.test(url)) return false;
  try {
    return new URL(url, BASE_FOR_CHECK).origin === BASE_FOR_CHECK;
  } catch {
    return false;
  }
}

/** What the service worker receives; `urgency` lets it choose how insistently to show the notification. */
export const PushPayloadSchema = z.object({
  title: z.string().min(1).max(MAX_PUSH_TITLE_LENGTH),
  body: z.string(),
  url: z.string().refine(isInAppPath, { message: "url must be a relative path inside the app" }),
  tag: z.string().regex(TAG_PATTERN).optional(),
  urgency: z.enum(PUSH_URGENCIES),
});
export type PushPayload = z.infer<typeof PushPayloadSchema>;

/** Thrown when a payload cannot be built: an unsafe URL, an empty title, or no room at all for the body. */
export class PushPayloadError extends Error {
  override name = "PushPayloadError";
}

export type BuiltPushPayload = {
  /** The payload as sent (body possibly shortened). */
  payload: PushPayload;
  /** The JSON text to encrypt and send. */
  json: string;
  /** UTF-8 length of `json`; at most the `maxBytes` that was asked for. */
  bytes: number;
  /** Whether the body was shortened to fit. */
  truncated: boolean;
};

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

// Notifications show plain single-paragraph text; control characters would only be escaped into JSON bloat.
// eslint-disable-next-line no-control-regex
const normaliseText = (text: string) => text.replace(/[\u0000-\u001f\u007f\s]+/gu, " ").trim();

/**
 * Build the JSON payload within `maxBytes` (default {@link MAX_PUSH_PLAINTEXT_BYTES}): the body is shortened
 * at a word boundary with "…" when needed; the title and URL are never shortened, an unsafe URL is refused.
 */
export function buildPushPayload(
  input: { title: string; body: string; url: string; tag?: string; urgency: PushUrgency },
  options: { maxBytes?: number } = {},
): BuiltPushPayload {
  const maxBytes = options.maxBytes ?? MAX_PUSH_PLAINTEXT_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes <= 0 || maxBytes > MAX_PUSH_PLAINTEXT_BYTES) {
    throw new RangeError(`maxBytes must be an integer between 1 and ${MAX_PUSH_PLAINTEXT_BYTES}`);
  }
  if (!isInAppPath(input.url)) {
    throw new PushPayloadError("The push URL must be a relative path inside the app (no scheme, no host)");
  }
  const title = normaliseText(input.title);
  if (title.length === 0) throw new PushPayloadError("The push title is empty");
  if (title.length > MAX_PUSH_TITLE_LENGTH) {
    throw new PushPayloadError(`The push title is longer than ${MAX_PUSH_TITLE_LENGTH} characters`);
  }
  if (input.tag !== undefined && !TAG_PATTERN.test(input.tag)) {
    throw new PushPayloadError("The push tag must be 1 to 64 letters, digits or . _ : -");
  }
  if (!PUSH_URGENCIES.includes(input.urgency)) {
    throw new PushPayloadError(`Unknown push urgency: ${String(input.urgency)}`);
  }

  const body = normaliseText(input.body);
  const withBody = (text: string): PushPayload => ({
    title,
    body: text,
    url: input.url,
    ...(input.tag === undefined ? {} : { tag: input.tag }),
    urgency: input.urgency,
  });
  const serialise = (text: string) => JSON.stringify(withBody(text));

  const full = serialise(body);
  if (byteLength(full) <= maxBytes) {
    return { payload: withBody(body), json: full, bytes: byteLength(full), truncated: false };
  }
  if (byteLength(serialise(ELLIPSIS)) > maxBytes) {
    throw new PushPayloadError(`The push title and URL alone do not fit in ${maxBytes} bytes`);
  }

  // Cut between graphemes so that a letter with a combining accent or an emoji is never split.
  const graphemes = Array.from(
    new Intl.Segmenter("nl", { granularity: "grapheme" }).segment(body),
    (s) => s.segment,
  );
  // The serialised size only grows with the number of graphemes kept, so a binary search finds the longest fit.
  let low = 0;
  let high = graphemes.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (byteLength(serialise(shorten(graphemes, middle))) <= maxBytes) low = middle;
    else high = middle - 1;
  }
  const shortened = shorten(graphemes, low);
  const json = serialise(shortened);
  return { payload: withBody(shortened), json, bytes: byteLength(json), truncated: true };
}

/** The first `count` graphemes, cut back to the last word boundary when there is one, followed by "…". */
function shorten(graphemes: string[], count: number): string {
  const prefix = graphemes.slice(0, count);
  // A cut right before a space already falls on a word boundary; otherwise drop the partial last word.
  if (graphemes[count] !== undefined && graphemes[count] !== " ") {
    const lastSpace = prefix.lastIndexOf(" ");
    if (lastSpace > 0) prefix.length = lastSpace;
  }
  const text = prefix
    .join("")
    .replace(/[\s,;:–-]+$/u, "")
    .trimEnd();
  return text + ELLIPSIS;
}

/** Parse what arrived in a push event; null when it is not a payload this app sent. */
export function parsePushPayload(data: string): PushPayload | null {
  try {
    const result = PushPayloadSchema.safeParse(JSON.parse(data));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
