/** Locale-aware formatting of dates and sizes for the circular reading pages (server and browser alike). */
import { useTranslation } from "react-i18next";
import { htmlLang, isLocale } from "~/i18n/config";

/** Formatters in the current language; calendar days ("YYYY-MM-DD") never shift with the time zone. */
export function useReadingFormat() {
  const { i18n } = useTranslation();
  const tag = htmlLang(isLocale(i18n.language) ? i18n.language : "nl");
  const dayFormat = new Intl.DateTimeFormat(tag, { dateStyle: "long", timeZone: "UTC" });
  const momentFormat = new Intl.DateTimeFormat(tag, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Brussels",
  });
  const number = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  return {
    /** "12 maart 2026" from "2026-03-12". */
    day: (value: string) => dayFormat.format(new Date(`${value.slice(0, 10)}T00:00:00Z`)),
    /** "12 mrt 2026 10:05" from an ISO timestamp, in Brussels time. */
    moment: (value: string) => momentFormat.format(new Date(value)),
    /** "1,2 MB". */
    size: (bytes: number) => {
      if (bytes < 1024) return `${bytes} B`;
      if (bytes < 1024 * 1024) return `${number.format(bytes / 1024)} kB`;
      return `${number.format(bytes / (1024 * 1024))} MB`;
    },
  };
}
