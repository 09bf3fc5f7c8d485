import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../protocol/errors.js';

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

for (const app of ['widget', 'operator-console']) {
  describe(`Translations: ${app}`, () => {
    const en = read<Tree>(`${app}/locales/en.json`);
    for (const lang of ['nl', 'fr', 'de']) {
      it(`[L1] ${lang} has exactly the keys English has`, () => {
        const theirs = read<Tree>(`${app}/locales/${lang}.json`);
        expect([...new Set(keys(theirs))].sort()).to.deep.equal([...new Set(keys(en))].sort());
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
