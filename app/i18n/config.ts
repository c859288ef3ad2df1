/** i18next settings shared by server and browser: Dutch (nl-BE) first, English second. */
import en from "./locales/en.json";
import nl from "./locales/nl.json";

export const SUPPORTED_LOCALES = ["nl", "en"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "nl";

export const resources = { nl: { common: nl }, en: { common: en } } as const;

export const i18nConfig = {
  supportedLngs: [...SUPPORTED_LOCALES],
  fallbackLng: DEFAULT_LOCALE,
  defaultNS: "common",
  ns: ["common"],
  interpolation: { escapeValue: false },
  resources,
};

/** Whether a value is a supported locale. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** The BCP 47 tag used in `<html lang>` and for number and date formatting. */
export function htmlLang(locale: Locale) {
  return locale === "nl" ? "nl-BE" : "en-GB";
}
