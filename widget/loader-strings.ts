/**
 * The loader's only words. Kept inline (no i18next) so the script on the host page stays
 * tiny and fetches nothing; the chat app in the iframe has the full translations.
 */
export interface LoaderStrings {
  /** The language these words are in, for the lang attribute (WCAG 3.1.2 Language of Parts). */
  lang: string;
  launcher: string;
  frameTitle: string;
}

const STRINGS: Record<string, Omit<LoaderStrings, 'lang'>> = {
  en: { launcher: 'Chat with us', frameTitle: 'Chat with a counsellor' },
  nl: { launcher: 'Chat met ons', frameTitle: 'Chat met een hulpverlener' },
  fr: { launcher: 'Chattez avec nous', frameTitle: 'Chat avec un·e écoutant·e' },
  de: { launcher: 'Mit uns chatten', frameTitle: 'Chat mit einer Beraterin oder einem Berater' },
};

export function loaderStrings(lang: string | null | undefined): LoaderStrings {
  const primary = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  const found = STRINGS[primary];
  return found ? { lang: primary, ...found } : { lang: 'en', ...(STRINGS.en as Omit<LoaderStrings, 'lang'>) };
}
