/**
 * The service worker's reading of a push payload: the same rules as `parsePushPayload` in
 * app/modules/channels/push-payload.ts, without zod. That module builds its schema at load time, so
 * importing anything from it puts all of zod (about 440 KB minified, with its locales) into public/sw.js,
 * which every phone downloads; this file keeps the worker at a few kilobytes. The tests check both readings
 * agree on every case, so a change to the payload rules that is not made here fails there.
 */
import { type PushPayload } from "../../modules/channels/push-payload";

const MAX_TITLE_LENGTH = 120;
const MAX_URL_LENGTH = 2048;
const URGENCIES: readonly string[] = ["very-low", "low", "normal", "high"];
const BASE_FOR_CHECK = "https://werkplek.invalid";
const URL_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]+$/;
const TAG_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Whether `url` is a path inside this app (same rules as `isInAppPath` in push-payload.ts). */
export function isInAppUrl(url: string): boolean {
  if (url.length === 0 || url.length > MAX_URL_LENGTH) return false;
  if (!url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) return false;
  if (!URL_CHARACTERS.test(url)) return false;
  try {
    return new URL(url, BASE_FOR_CHECK).origin === BASE_FOR_CHECK;
  } catch {
    return false;
  }
}

/** The payload this app sent, or null for anything else (then the worker shows a neutral notification). */
export function readNotificationPayload(data: string): PushPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { title, body, url, tag, urgency } = value as Record<string, unknown>;
  if (typeof title !== "string" || title.length < 1 || title.length > MAX_TITLE_LENGTH) return null;
  if (typeof body !== "string") return null;
  if (typeof url !== "string" || !isInAppUrl(url)) return null;
  if (tag !== undefined && (typeof tag !== "string" || !TAG_PATTERN.test(tag))) return null;
  if (typeof urgency !== "string" || !URGENCIES.includes(urgency)) return null;
  return {
    title,
    body,
    url,
    ...(tag === undefined ? {} : { tag }),
    urgency: urgency as PushPayload["urgency"],
  };
}
