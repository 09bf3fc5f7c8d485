/**
 * The loader's only words. Kept inline (no i18next) so the script on the host page stays
 * tiny and fetches nothing; the chat app in the iframe has the full translations.
 */
export interface LoaderStrings {
  launcher: string;
  frameTitle: string;
}

const STRINGS: Record<string, LoaderStrings> = {
  en: { launcher: 'Chat with us', frameTitle: 'Chat with a counsellor' },
  nl: { launcher: 'Chat met ons', frameTitle: 'Chat met een hulpverlener' },
  fr: { launcher: 'Chattez avec nous', frameTitle: 'Chat avec un·e écoutant·e' },
  de: { launcher: 'Mit uns chatten', frameTitle: 'Chat mit einer Beraterin oder einem Berater' },
};

export function loaderStrings(lang: string | null | undefined): LoaderStrings {
  const primary = (lang ?? '').toLowerCase().split('-')[0] ?? '';
  return STRINGS[primary] ?? (STRINGS.en as LoaderStrings);
}
