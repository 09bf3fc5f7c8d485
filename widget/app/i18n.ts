import { createTranslator, type Messages, type TOptions } from '../../browser-shared/translator.js';

/**
 * The widget's interface languages: those Belgian helplines meet every day. Each one's
 * strings are a chunk of their own (widget/locales/<code>.json), fetched from our origin
 * when chosen, so a visitor downloads one language, not sixteen. The request names the
 * language only to our own server, which learns it from the chat request anyway.
 */
export const UI_LANGUAGES = [
  'nl', 'fr', 'de', 'en', 'ar', 'tr', 'es', 'ru', 'uk', 'ro', 'pl', 'pt', 'it', 'fa', 'so', 'sq',
] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** Written right to left: the whole layout mirrors (CSS uses logical properties). */
const RIGHT_TO_LEFT: ReadonlySet<UiLanguage> = new Set(['ar', 'fa']);

const i18n = createTranslator(UI_LANGUAGES, 'en');

export function isUiLanguage(code: string | null | undefined): code is UiLanguage {
  return (UI_LANGUAGES as readonly string[]).includes(code ?? '');
}

/** The first candidate we have a translation for (a region is ignored), else English. */
export const pickUiLanguage = i18n.pick;
export const uiLanguage = i18n.language;

export function isRightToLeft(lang: string): boolean {
  return RIGHT_TO_LEFT.has(lang as UiLanguage);
}

/** Load `lang`'s strings (once per page) and switch the interface to it. */
export async function setUiLanguage(lang: UiLanguage): Promise<void> {
  const messages = await loadMessages(lang);
  i18n.use(lang, messages);
  document.documentElement.lang = lang;
  document.documentElement.dir = isRightToLeft(lang) ? 'rtl' : 'ltr';
}

const loaded = new Map<UiLanguage, Promise<Messages>>();

function loadMessages(lang: UiLanguage): Promise<Messages> {
  let messages = loaded.get(lang);
  if (!messages) {
    // esbuild turns this template into one chunk per file of widget/locales/.
    messages = import(`../locales/${lang}.json`).then((m: { default: Messages }) => m.default);
    // A failed load (network) may be tried again on the next switch.
    messages.catch(() => loaded.delete(lang));
    loaded.set(lang, messages);
  }
  return messages;
}

export type { TOptions };

export function t(key: string, options?: TOptions): string {
  return i18n.t(key, options);
}

/**
 * A translated sentence with an element in place of `{{name}}`: phone numbers go in as
 * left-to-right isolates, so "+32 2 123 45 67" stays in order inside Arabic or Farsi.
 */
export function tWith(key: string, name: string, node: Node, options: TOptions = {}): Array<string | Node> {
  const marker = '\u0000';
  const [before = '', after = ''] = t(key, { ...options, [name]: marker }).split(marker);
  return [before, node, after];
}

/** A phone number that reads left to right in every language. */
export function numberIsolate(number: string): HTMLElement {
  const el = document.createElement('bdi');
  el.dir = 'ltr';
  el.textContent = number;
  return el;
}

/** Topic ids come from the server's config: an untranslated one still reads sensibly. */
export function topicLabel(topic: string): string {
  return t(`topics.${topic}`, { defaultValue: humanise(topic) });
}

function humanise(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
