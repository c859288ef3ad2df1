/** i18next settings shared by server and browser: Dutch (nl-BE) first, English second. */
import en from "./locales/en.json";
import enCircularEditor from "./locales/en/circular-editor.json";
import enCircularReading from "./locales/en/circular-reading.json";
import enSearch from "./locales/en/search.json";
import enFiles from "./locales/en/files.json";
import enNotifications from "./locales/en/notifications.json";
import enPeople from "./locales/en/people.json";
import nlCircularEditor from "./locales/nl/circular-editor.json";
import nlCircularReading from "./locales/nl/circular-reading.json";
import nlSearch from "./locales/nl/search.json";
import nlFiles from "./locales/nl/files.json";
import nlNotifications from "./locales/nl/notifications.json";
import nlPeople from "./locales/nl/people.json";
import enStream from "./locales/en/stream.json";
import enComposer from "./locales/en/composer.json";
import enPlaces from "./locales/en/places.json";
import enModeration from "./locales/en/moderation.json";
import nlStream from "./locales/nl/stream.json";
import nlComposer from "./locales/nl/composer.json";
import nlPlaces from "./locales/nl/places.json";
import nlModeration from "./locales/nl/moderation.json";
import enReach from "./locales/en/reach.json";
import nlReach from "./locales/nl/reach.json";
import enFieldSignIn from "./locales/en/field-sign-in.json";
import nlFieldSignIn from "./locales/nl/field-sign-in.json";
import enDigest from "./locales/en/digest.json";
import nlDigest from "./locales/nl/digest.json";
import enOutbox from "./locales/en/outbox.json";
import nlOutbox from "./locales/nl/outbox.json";
import enKiosk from "./locales/en/kiosk.json";
import nlKiosk from "./locales/nl/kiosk.json";
import enPwa from "./locales/en/pwa.json";
import nlPwa from "./locales/nl/pwa.json";
import nl from "./locales/nl.json";

export const SUPPORTED_LOCALES = ["nl", "en"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "nl";

/**
 * One "common" namespace, assembled from the shell's file and one file per module (locales/<lang>/<module>.json,
 * each with its own top-level key), so modules keep their texts apart.
 */
export const resources = {
  nl: {
    common: {
      ...nl,
      ...nlCircularEditor,
      ...nlCircularReading,
      ...nlSearch,
      ...nlFiles,
      ...nlNotifications,
      ...nlPeople,
      ...nlStream,
      ...nlComposer,
      ...nlPlaces,
      ...nlModeration,
      ...nlReach,
      ...nlFieldSignIn,
      ...nlDigest,
      ...nlOutbox,
      ...nlKiosk,
      ...nlPwa,
    },
  },
  en: {
    common: {
      ...en,
      ...enCircularEditor,
      ...enCircularReading,
      ...enSearch,
      ...enFiles,
      ...enNotifications,
      ...enPeople,
      ...enStream,
      ...enComposer,
      ...enPlaces,
      ...enModeration,
      ...enReach,
      ...enFieldSignIn,
      ...enDigest,
      ...enOutbox,
      ...enKiosk,
      ...enPwa,
    },
  },
} as const;

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
