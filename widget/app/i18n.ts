import { createTranslator, UI_LANGUAGES, type UiLanguage } from '../shared/translator.js';
import en from '../locales/en.json' with { type: 'json' };
import nl from '../locales/nl.json' with { type: 'json' };
import fr from '../locales/fr.json' with { type: 'json' };
import de from '../locales/de.json' with { type: 'json' };

/**
 * The widget's translations are bundled: it loads nothing at run time beyond /api/lines,
 * so no request reveals which language a visitor reads.
 */
export { UI_LANGUAGES, type UiLanguage };

const i18n = createTranslator({ en, nl, fr, de });

export function isUiLanguage(code: string | null | undefined): code is UiLanguage {
  return (UI_LANGUAGES as readonly string[]).includes(code ?? '');
}

/** The first candidate we have a translation for, else English. */
export function pickUiLanguage(...candidates: Array<string | null | undefined>): UiLanguage {
  for (const c of candidates) {
    const primary = c?.toLowerCase().split('-')[0];
    if (isUiLanguage(primary)) return primary;
  }
  return 'en';
}

export function setUiLanguage(lang: UiLanguage): void {
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
}

export function uiLanguage(): UiLanguage {
  return pickUiLanguage(i18n.language);
}

export type TOptions = Record<string, string | number | undefined>;

export function t(key: string, options?: TOptions): string {
  return (i18n.t as (key: string, options?: TOptions) => string)(key, options);
}

/** Topic ids come from the server's config: an untranslated one still reads sensibly. */
export function topicLabel(topic: string): string {
  return t(`topics.${topic}`, { defaultValue: humanise(topic) });
}

function humanise(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
