import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkBuildMatches } from '../../server/config/build-info.js';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

describe('The browser build and the organisation key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'quietline-build-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to build a non-demo widget without an organisation key', () => {
    const operators = join(dir, 'operators.json');
    writeFileSync(operators, '{"operators":[]}');
    const result = spawnSync(tsx, ['scripts/build-browser.ts'], {
      encoding: 'utf8',
      env: { ...process.env, QUIETLINE_BUILD_OUT: join(dir, 'public'), QUIETLINE_OPERATORS: operators, QUIETLINE_ORG_PUBLIC_KEY: join(dir, 'none.pub') },
    });
    expect(result.status).to.not.equal(0);
    expect(result.stderr).to.include('no organisation key');
  });

  it('lets the server refuse a widget built without its key, or with another', async () => {
    writeFileSync(join(dir, 'build.json'), JSON.stringify({ orgPublicKey: null }));
    await checkBuildMatches(dir, null);
    let refused: Error | null = null;
    await checkBuildMatches(dir, 'K'.repeat(43)).catch((e: Error) => (refused = e));
    expect(refused).to.match(/built without an organisation key/);
    writeFileSync(join(dir, 'build.json'), JSON.stringify({ orgPublicKey: 'J'.repeat(43) }));
    refused = null;
    await checkBuildMatches(dir, 'K'.repeat(43)).catch((e: Error) => (refused = e));
    expect(refused).to.match(/with another organisation key/);
  });
});
