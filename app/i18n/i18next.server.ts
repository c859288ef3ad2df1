/** Server-side locale detection: the person's saved preference, then the language cookie, then the browser. */
import { createCookie } from "@remix-run/node";
import { createInstance, type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { RemixI18Next } from "remix-i18next/server";
import { DEFAULT_LOCALE, i18nConfig, isLocale, type Locale, SUPPORTED_LOCALES } from "./config";

/** Remembers the language chosen before signing in (not personal: only "nl" or "en"). */
export const localeCookie = createCookie("werkplek_lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 31536000,
});

const detector = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LOCALES],
    fallbackLanguage: DEFAULT_LOCALE,
    cookie: localeCookie,
  },
  i18next: i18nConfig,
});

/** The locale of a request; a signed-in person's profile setting wins. */
export async function getLocale(request: Request, userLocale?: string | null): Promise<Locale> {
  if (isLocale(userLocale)) return userLocale;
  const detected = await detector.getLocale(request);
  return isLocale(detected) ? detected : DEFAULT_LOCALE;
}

/** A fresh i18next instance for one request. */
export async function createI18n(locale: Locale): Promise<i18n> {
  const instance = createInstance();
  await instance.use(initReactI18next).init({ ...i18nConfig, lng: locale });
  return instance;
}

/** A translation function for loaders and actions (page titles, error messages). */
export async function getFixedT(locale: Locale) {
  return (await createI18n(locale)).getFixedT(locale, "common");
}
