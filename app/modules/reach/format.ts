/** Moments on the reach pages, in Brussels time and the reader's language ("23 nov. 2026 14:05"). */
import { htmlLang, type Locale } from "~/i18n/config";

/** A date and time, or only the time, as the reader in Ghent expects it. */
export function formatMoment(date: Date, locale: Locale, style: "moment" | "time" = "moment"): string {
  return new Intl.DateTimeFormat(htmlLang(locale), {
    ...(style === "moment" ? { dateStyle: "medium" } : {}),
    timeStyle: "short",
    timeZone: "Europe/Brussels",
  }).format(date);
}
