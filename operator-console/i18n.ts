import { createTranslator, type TOptions } from '../browser-shared/translator.js';
import en from './locales/en.json' with { type: 'json' };
import nl from './locales/nl.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };
import de from './locales/de.json' with { type: 'json' };

/**
 * Console translations, bundled. The operator may switch language at any time without
 * losing open chats, so translated text is bound with live()/liveAttr() and re-applied on
 * a switch instead of re-rendering the page.
 */
export const UI_LANGUAGES = ['en', 'nl', 'fr', 'de'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

const MESSAGES = { en, nl, fr, de } satisfies Record<UiLanguage, unknown>;
const i18n = createTranslator(UI_LANGUAGES, 'en');
i18n.use('en', en);

export function t(key: string, options?: TOptions): string {
  return i18n.t(key, options);
}

export const pickUiLanguage = i18n.pick;
export const uiLanguage = i18n.language;

/**
 * What follows the language, held no longer than its node: a view dropped (an ended chat, a
 * closed dialog, a redrawn table row) is collected with its bindings, so a seven-hour shift
 * does not pile them up. The node is held weakly; its updates hang off it in a WeakMap, so
 * their closures (which refer to the node) do not keep it alive either.
 */
const updates = new WeakMap<Node, Array<() => void>>();
const bound = new Set<WeakRef<Node>>();
const collected = new FinalizationRegistry<WeakRef<Node>>((ref) => bound.delete(ref));

function bind(node: Node, apply: () => void): void {
  const list = updates.get(node);
  if (list) return void list.push(apply);
  updates.set(node, [apply]);
  const ref = new WeakRef(node);
  bound.add(ref);
  collected.register(node, ref);
}

export function setUiLanguage(lang: UiLanguage): void {
  i18n.use(lang, MESSAGES[lang]);
  document.documentElement.lang = lang;
  for (const ref of bound) {
    const node = ref.deref();
    if (!node) bound.delete(ref);
    // Detached views too: one shown again later must not come back in the old language.
    else for (const apply of updates.get(node) ?? []) apply();
  }
}

/** A text node that follows the interface language. */
export function live(text: () => string): Text {
  const node = document.createTextNode(text());
  bind(node, () => (node.data = text()));
  return node;
}

/** An attribute that follows the interface language. */
export function liveAttr<E extends Element>(el: E, name: string, text: () => string): E {
  el.setAttribute(name, text());
  bind(el, () => el.setAttribute(name, text()));
  return el;
}

/** Config ids (topics, wrap-ups) may be newer than our translations: still say something. */
export function labelFor(group: 'topics' | 'wrapUps', id: string): string {
  const plain = id.replace(/[-_]+/g, ' ');
  return t(`${group}.${id}`, { defaultValue: plain.charAt(0).toUpperCase() + plain.slice(1) });
}

export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([uiLanguage()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "m:ss" for waits and countdowns. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A calendar date in the interface language ("3 Jan 2027"). */
export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'medium' }).format(ms);
}
