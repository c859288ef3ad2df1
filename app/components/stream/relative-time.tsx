/**
 * "5 minuten geleden" in a <time> element with the exact moment in `dateTime` and, in the reader's
 * language, in the title. Times are shown in Brussels time whatever the device's zone, like the rest of
 * Werkplek.
 */
import { useTranslation } from "react-i18next";
import { htmlLang, type Locale } from "~/i18n/config";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 uur geleden" / "3 hours ago": the largest whole unit; under a minute is "zojuist" / "just now". */
export function formatRelative(date: Date, now: Date, locale: string): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, "second");
}

/** The full date and time, e.g. "12 mei 2026 om 14:05". */
export function formatAbsolute(date: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/Brussels",
  }).format(date);
}

export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const { i18n } = useTranslation();
  const locale = htmlLang((i18n.language === "en" ? "en" : "nl") satisfies Locale);
  const date = new Date(iso);
  return (
    // The server and the browser render a few seconds apart: "1 minuut geleden" may become "2 minuten".
    <time dateTime={iso} title={formatAbsolute(date, locale)} className={className} suppressHydrationWarning>
      {formatRelative(date, new Date(), locale)}
    </time>
  );
}
