/**
 * Server-side locale choice: the person's saved preference, then the language cookie, then Dutch.
 * The browser's Accept-Language is deliberately ignored: Dutch is the city's administrative language and
 * many staff browsers are set to English; English is shown only to those who choose it.
 */
import { createCookie } from "@remix-run/node";
import { createInstance, type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { DEFAULT_LOCALE, i18nConfig, isLocale, type Locale } from "./config";

/** Remembers the language chosen before signing in (not personal: only "nl" or "en"). */
export const localeCookie = createCookie("werkplek_lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 31536000,
});

/** The locale of a request; a signed-in person's profile setting wins. */
export async function getLocale(request: Request, userLocale?: string | null): Promise<Locale> {
  if (isLocale(userLocale)) return userLocale;
  const fromCookie: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  return isLocale(fromCookie) ? fromCookie : DEFAULT_LOCALE;
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
