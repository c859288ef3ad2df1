/**
 * Texts for digests rendered outside a request (the planner and the delivery jobs), in the person's language.
 * The renderers are synchronous (the delivery jobs call them in a loop), so the i18next instances are built
 * once per language with `initImmediate: false`: the resources are bundled, nothing is loaded.
 */
import { createInstance, type TFunction } from "i18next";
import { DEFAULT_LOCALE, i18nConfig, isLocale, type Locale } from "~/i18n/config";

const translators = new Map<Locale, TFunction>();

/** The translation function of a language ("common" namespace, like `getFixedT`). */
export function digestTranslator(locale: Locale): TFunction {
  let t = translators.get(locale);
  if (!t) {
    const instance = createInstance();
    void instance.init({ ...i18nConfig, lng: locale, initImmediate: false });
    t = instance.getFixedT(locale, "common");
    translators.set(locale, t);
  }
  return t;
}

/** A stored locale as one of ours; anything else reads Dutch, the city's language. */
export function digestLocale(value: string | null | undefined): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}
