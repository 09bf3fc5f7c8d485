/**
 * The translator both browser apps use. Hand-written rather than i18next (16 KB gzip, half
 * the widget's budget for its first view) because we need only four things from it:
 * dotted keys, `{{name}}` interpolation, plurals by `count` (CLDR categories from
 * Intl.PluralRules, so Arabic's six forms and Polish's four work) and a `context` suffix
 * (`key_perpetrator-prevention`). Key names follow i18next's conventions (`key_one`,
 * `key_other`, `key_context_one`), so the JSON files read the same as before.
 *
 * Text goes into the page with textContent, never as HTML, so nothing is escaped here.
 */
export interface Messages {
  [key: string]: string | Messages;
}

export type TOptions = Record<string, string | number | undefined>;

export interface Translator<L extends string> {
  readonly languages: readonly L[];
  /** The first candidate we have a translation for (a region is ignored), else `fallback`. */
  pick(...candidates: Array<string | null | undefined>): L;
  language(): L;
  /** Switch to `lang`, whose messages are already loaded. */
  use(lang: L, messages: Messages): void;
  t(key: string, options?: TOptions): string;
}

export function createTranslator<L extends string>(languages: readonly L[], fallback: L): Translator<L> {
  let current: L = fallback;
  let messages: Messages = {};
  let plurals = new Intl.PluralRules(fallback);

  const lookup = (key: string): string | undefined => {
    let node: string | Messages | undefined = messages;
    for (const part of key.split('.')) {
      if (typeof node !== 'object') return undefined;
      node = node[part];
    }
    return typeof node === 'string' ? node : undefined;
  };

  const candidatesFor = (key: string, options: TOptions): string[] => {
    const bases = typeof options.context === 'string' ? [`${key}_${options.context}`, key] : [key];
    if (typeof options.count !== 'number') return bases;
    const category = plurals.select(options.count);
    // An exact `_0` is how a translator says "no messages" rather than "0 messages".
    const exact = options.count === 0 ? ['_zero'] : [];
    return bases.flatMap((base) => [...exact.map((s) => base + s), `${base}_${category}`, `${base}_other`, base]);
  };

  return {
    languages,
    pick(...candidates) {
      for (const c of candidates) {
        const primary = c?.toLowerCase().split('-')[0] ?? '';
        const found = languages.find((l) => l === primary);
        if (found) return found;
      }
      return fallback;
    },
    language: () => current,
    use(lang, loaded) {
      current = lang;
      messages = loaded;
      plurals = new Intl.PluralRules(lang);
    },
    t(key, options = {}) {
      let text: string | undefined;
      for (const candidate of candidatesFor(key, options)) {
        text = lookup(candidate);
        if (text !== undefined) break;
      }
      if (text === undefined) text = typeof options.defaultValue === 'string' ? options.defaultValue : key;
      return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
        const value = options[name];
        return value === undefined ? whole : formatValue(value, current);
      });
    },
  };
}

/**
 * Numbers with the reader's grouping but Western digits in every language: phone numbers
 * are written that way anyway, and Belgium's Arabic readers mostly come from the Maghreb,
 * where those are the usual digits.
 */
function formatValue(value: string | number, lang: string): string {
  return typeof value === 'number' ? new Intl.NumberFormat(lang, { numberingSystem: 'latn' }).format(value) : value;
}
