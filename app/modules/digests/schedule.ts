/**
 * When digests go out, in Europe/Brussels wall-clock time (pure: the planner and the preference pages share it).
 *
 * A person chooses "07:00 every day" or "Monday 18:00"; those are local times, so the instant in UTC moves by
 * an hour twice a year. Two days need care:
 * - spring forward (2026-03-29, 02:00 → 03:00): a local time inside the gap does not exist; the digest goes
 *   out at the first moment after the gap (03:00 local), not an hour late and not skipped;
 * - fall back (2026-10-25, 03:00 → 02:00): 02:00–03:00 happens twice; the first occurrence is the one, and as
 *   the next digest is searched from the day after, the second occurrence never sends again.
 * Quiet hours ("22:00"–"06:30", may cross midnight) hold back whatever falls inside them until they end.
 */
import { TZDate, tzOffset } from "@date-fns/tz";
import { format, getISOWeek, getISOWeekYear } from "date-fns";

export const DIGEST_TIME_ZONE = "Europe/Brussels";

export type DigestRhythmValue = "daily" | "weekly" | "urgent_only";

export type SchedulePreference = {
  rhythm: DigestRhythmValue;
  /** "HH:MM" local time. */
  sendAt: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday (weekly only). */
  weekday: number;
  quietFrom: string | null;
  quietUntil: string | null;
  paused: boolean;
};

const MINUTE = 60_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether a value is a wall-clock time "HH:MM" (00:00–23:59). */
export function isClockTime(value: string): boolean {
  return TIME.test(value);
}

/** Minutes since local midnight of "HH:MM"; throws on anything else (a stored preference is validated). */
export function clockMinutes(value: string): number {
  const match = TIME.exec(value);
  if (!match) throw new RangeError(`Not a clock time "HH:MM": ${value}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

type LocalDay = { year: number; month: number; day: number };

/** The offset (minutes east of UTC) of Brussels at an instant. */
function offsetAt(instant: number): number {
  return tzOffset(DIGEST_TIME_ZONE, new Date(instant));
}

/** The local calendar day and minute of the day of an instant. */
function localParts(at: Date): LocalDay & { minutes: number } {
  const shifted = new Date(at.getTime() + offsetAt(at.getTime()) * MINUTE);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
  };
}

/** The local day `days` after `day` (calendar arithmetic, so DST does not matter). */
function addLocalDays(day: LocalDay, days: number): LocalDay {
  const date = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** ISO weekday (1 = Monday) of a local day. */
function isoWeekday(day: LocalDay): number {
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

/**
 * The instant a local wall-clock time happens on a local day: the earlier one when it happens twice (fall
 * back), the end of the gap when it does not happen at all (spring forward).
 */
export function localTimeToInstant(day: LocalDay, minutes: number): Date {
  const asUtc = Date.UTC(day.year, day.month - 1, day.day) + minutes * MINUTE;
  // The offsets in force around that day; a transition happens at most once within them.
  const offsets = [...new Set([offsetAt(asUtc - 36 * 60 * MINUTE), offsetAt(asUtc + 36 * 60 * MINUTE)])];
  const matches = offsets
    .map((offset) => asUtc - offset * MINUTE)
    .filter((instant) => instant + offsetAt(instant) * MINUTE === asUtc)
    .sort((a, b) => a - b);
  if (matches[0] !== undefined) return new Date(matches[0]);
  // In the gap: the first instant whose offset is the new one is the first local time after the gap.
  let low = asUtc - Math.max(...offsets) * MINUTE;
  let high = asUtc - Math.min(...offsets) * MINUTE;
  const before = offsetAt(low);
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (offsetAt(middle) === before) low = middle;
    else high = middle;
  }
  return new Date(high);
}

function hasQuietHours(pref: Pick<SchedulePreference, "quietFrom" | "quietUntil">): boolean {
  return (
    pref.quietFrom !== null &&
    pref.quietUntil !== null &&
    isClockTime(pref.quietFrom) &&
    isClockTime(pref.quietUntil) &&
    pref.quietFrom !== pref.quietUntil
  );
}

/** Whether `at` falls inside the person's quiet hours (from inclusive, until exclusive, across midnight too). */
export function isInQuietHours(
  pref: Pick<SchedulePreference, "quietFrom" | "quietUntil">,
  at: Date,
): boolean {
  if (!hasQuietHours(pref)) return false;
  const from = clockMinutes(pref.quietFrom!);
  const until = clockMinutes(pref.quietUntil!);
  const { minutes } = localParts(at);
  return from < until ? minutes >= from && minutes < until : minutes >= from || minutes < until;
}

/** The moment the quiet hours around `at` end; `at` itself when it is not inside them. */
export function endOfQuietHours(pref: Pick<SchedulePreference, "quietFrom" | "quietUntil">, at: Date): Date {
  if (!isInQuietHours(pref, at)) return at;
  const from = clockMinutes(pref.quietFrom!);
  const until = clockMinutes(pref.quietUntil!);
  const local = localParts(at);
  // Across midnight and still before it: the quiet hours end tomorrow morning.
  const endsTomorrow = from > until && local.minutes >= from;
  const end = localTimeToInstant(endsTomorrow ? addLocalDays(local, 1) : local, until);
  // A DST gap can put "until" before `at` (quiet until 02:30 on the spring-forward night): it has ended.
  return end.getTime() > at.getTime() ? end : at;
}

/**
 * When the next regular digest is due after `after` (strictly later), moved to the end of the quiet hours when
 * it falls inside them. Null for a paused preference and for "urgent only": urgent items are checked by the
 * planner on every run instead.
 */
export function nextDigestDueAt(pref: SchedulePreference, after: Date): Date | null {
  if (pref.paused || pref.rhythm === "urgent_only") return null;
  const sendAt = clockMinutes(pref.sendAt);
  if (
    pref.rhythm === "weekly" &&
    !(Number.isInteger(pref.weekday) && pref.weekday >= 1 && pref.weekday <= 7)
  ) {
    throw new RangeError(`weekday must be 1 (Monday) to 7 (Sunday), got ${pref.weekday}`);
  }
  const start = localParts(after);
  // Eight days always contain the next matching weekday after today's time has passed.
  for (let days = 0; days <= 8; days += 1) {
    const day = addLocalDays(start, days);
    if (pref.rhythm === "weekly" && isoWeekday(day) !== pref.weekday) continue;
    const due = localTimeToInstant(day, sendAt);
    if (due.getTime() <= after.getTime()) continue;
    return endOfQuietHours(pref, due);
  }
  throw new Error("unreachable: no send moment within eight days");
}

/**
 * The period a digest covers, unique per person (Digest.periodKey): "daily:2026-11-23", "weekly:2026-W48"
 * (ISO week) or, for an urgent batch (and every digest of "urgent only"), "urgent:2026-11-23T14": at most one
 * urgent message an hour, whatever arrives in that hour.
 */
export function digestPeriodKey(
  pref: Pick<SchedulePreference, "rhythm">,
  at: Date,
  kind: "regular" | "urgent" = "regular",
): string {
  const local = new TZDate(at.getTime(), DIGEST_TIME_ZONE);
  if (kind === "urgent" || pref.rhythm === "urgent_only") {
    return `urgent:${format(local, "yyyy-MM-dd'T'HH")}`;
  }
  if (pref.rhythm === "weekly") {
    return `weekly:${getISOWeekYear(local)}-W${String(getISOWeek(local)).padStart(2, "0")}`;
  }
  return `daily:${format(local, "yyyy-MM-dd")}`;
}
