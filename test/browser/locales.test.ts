import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../protocol/errors.js';
import { UI_LANGUAGES as WIDGET_LANGUAGES } from '../../widget/app/i18n.js';
import { LOADER_STRINGS } from '../../widget/loader-strings.js';

type Tree = { [key: string]: string | Tree };
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = <T>(path: string): T => JSON.parse(readFileSync(`${root}${path}`, 'utf8')) as T;

/** Every leaf key, with i18next plural suffixes folded into their base key. */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k.replace(/_(zero|one|two|few|many|other)$/, '')}`] : keys(v, `${prefix}${k}.`),
  );
}

const config = read<{ topics: string[]; wrapUps: string[] }>('config/lines.json');

/** Every leaf string with its full key. */
function leaves(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

const LANGUAGES: Record<string, readonly string[]> = {
  widget: WIDGET_LANGUAGES.filter((l) => l !== 'en'),
  'operator-console': ['nl', 'fr', 'de'],
};

for (const app of ['widget', 'operator-console']) {
  describe(`Translations: ${app}`, () => {
    const en = read<Tree>(`${app}/locales/en.json`);
    const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
    const englishPlaceholders = new Map(leaves(en).map(([k, v]) => [k.replace(/_(zero|one|two|few|many|other)$/, ''), placeholders(v)]));
    for (const lang of LANGUAGES[app] ?? []) {
      it(`[L1] ${lang} has exactly the keys English has`, () => {
        const theirs = read<Tree>(`${app}/locales/${lang}.json`);
        expect([...new Set(keys(theirs))].sort()).to.deep.equal([...new Set(keys(en))].sort());
      });

      it(`[L5] ${lang} has every plural form its language needs, and keeps every placeholder`, () => {
        const theirs = read<Tree>(`${app}/locales/${lang}.json`);
        const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        const plural = new Map<string, string[]>();
        for (const [key, text] of leaves(theirs)) {
          const m = /^(.*)_(zero|one|two|few|many|other)$/.exec(key);
          const base = m?.[1] ?? key;
          if (m?.[1] && m[2]) plural.set(m[1], [...(plural.get(m[1]) ?? []), m[2]]);
          // A count may be spelt out ("a minute"), so {{count}} is not required; the rest are.
          const expected = (englishPlaceholders.get(base) ?? []).filter((p) => p !== 'count');
          expect(placeholders(text).filter((p) => p !== 'count'), `${lang}: ${key}`).to.include.members(expected);
        }
        for (const [base, forms] of plural) expect(forms, `${lang}: ${base}`).to.include.members(needed);
        expect(Object.values(theirs).length).to.be.greaterThan(0);
      });
    }

    it('[L2] translates every error code in the registry', () => {
      expect(Object.keys(en.errors as Tree).sort()).to.deep.equal([...ERROR_CODES].sort());
    });

    it('[L3] names every configured topic', () => {
      expect(Object.keys(en.topics as Tree)).to.include.members(config.topics);
    });
  });
}

describe('Translations: operator-console wrap-ups', () => {
  it('[L4] names every configured wrap-up category', () => {
    const en = read<Tree>('operator-console/locales/en.json');
    expect(Object.keys(en.wrapUps as Tree)).to.include.members(config.wrapUps);
  });
});

describe('Translations: the loader on the host page', () => {
  it('[L6] has the launcher words in every interface language of the widget', () => {
    expect(Object.keys(LOADER_STRINGS).sort()).to.deep.equal([...WIDGET_LANGUAGES].sort());
    for (const words of Object.values(LOADER_STRINGS)) expect(words.unread).to.include('{n}');
  });
});
