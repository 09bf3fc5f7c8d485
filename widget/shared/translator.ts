import i18next, { type i18n, type Resource } from 'i18next';

/** The languages both browser apps are translated into. */
export const UI_LANGUAGES = ['en', 'nl', 'fr', 'de'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/**
 * An i18next instance over bundled translations, ready at once (nothing is fetched, so no
 * request reveals which language someone reads). Text goes into the page with
 * textContent, never as HTML, so i18next need not escape.
 */
export function createTranslator(translations: Record<UiLanguage, Resource[string]['translation']>): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(UI_LANGUAGES.map((lang) => [lang, { translation: translations[lang] }])),
    lng: 'en',
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  return instance;
}
