import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { SETTING_NAMES } from '../../server/config/settings.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's configuration table is how operators learn the settings: keep it complete. */
describe('README configuration table', () => {
  it('lists every setting the server reads, and no setting it does not', () => {
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('Two more variables are read by the commands only'));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect([...new Set(documented)].sort()).to.deep.equal([...SETTING_NAMES].sort());
  });
});
