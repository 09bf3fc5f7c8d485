import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sources(folder: string): string[] {
  const dir = join(root, folder);
  try {
    statSync(dir);
  } catch {
    return [];
  }
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Top-level folders a file imports from, by resolving each relative import. */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  // `from '…'`, side-effect `import '…'`, and dynamic `import('…')` / import(`…`).
  const specifiers = [
    ...text.matchAll(/(?:import|export)[^'"`;]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"`]([^'"`$]+)/gm),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(root, resolve(dirname(file), s)).split(/[\\/]/)[0] ?? '');
}

function violations(folders: string[], forbidden: string[]): string[] {
  return folders.flatMap((folder) =>
    sources(folder).flatMap((file) =>
      importedFolders(file)
        .filter((f) => forbidden.includes(f))
        .map((f) => `${relative(root, file)} imports ${f}/`),
    ),
  );
}

describe('Architecture: imports go one way', () => {
  it('keeps the server from importing e2e/, so it cannot even name plaintext (the E2E boundary)', () => {
    expect(violations(['server'], ['e2e'])).to.deep.equal([]);
  });

  it('keeps protocol/ a leaf that imports none of server, e2e, widget or console', () => {
    expect(violations(['protocol'], ['server', 'e2e', 'widget', 'operator-console', 'test'])).to.deep.equal([]);
  });

  it('keeps e2e/ free of server and browser app code', () => {
    expect(violations(['e2e'], ['server', 'widget', 'operator-console', 'test'])).to.deep.equal([]);
  });

  it('keeps identity/ free of server, e2e and app code, so all three sides can share it', () => {
    expect(violations(['identity'], ['server', 'e2e', 'widget', 'operator-console', 'test'])).to.deep.equal([]);
  });

  it('keeps browser code away from server/', () => {
    expect(violations(['widget', 'operator-console', 'browser-shared'], ['server', 'test'])).to.deep.equal([]);
  });

  it('keeps the widget and the console apart: what both use lives in browser-shared/', () => {
    expect(violations(['widget'], ['operator-console'])).to.deep.equal([]);
    expect(violations(['operator-console'], ['widget'])).to.deep.equal([]);
  });

  it('keeps browser-shared/ free of either app and of crypto, so both can import it', () => {
    expect(violations(['browser-shared'], ['widget', 'operator-console', 'e2e', 'identity', 'server', 'test'])).to.deep.equal([]);
  });

  it('keeps routing/ pure: no sockets, HTTP, store or relay', () => {
    const impure = sources('server/routing').flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return /from ['"](ws|express|node:http|redis|twilio)['"]|from ['"]\.\.\/(store|relay|http|auth)\//.test(text)
        ? [relative(root, file)]
        : [];
    });
    expect(impure).to.deep.equal([]);
  });

  it('lets nothing outside test/ import test/', () => {
    expect(violations(['protocol', 'e2e', 'identity', 'server', 'widget', 'operator-console', 'browser-shared', 'scripts'], ['test'])).to.deep.equal([]);
  });

  it('finds the imports it checks (the check itself works)', () => {
    expect(importedFolders(join(root, 'server/app.ts'))).to.include('protocol');
    // A side-effect import and a dynamic import count too.
    expect(importedFolders(join(root, 'widget/app/chat-flow.ts'))).to.include('browser-shared');
    expect(importedFolders(join(root, 'test/architecture/fixtures/side-effect.ts'))).to.deep.equal(['protocol', 'widget']);
    expect(sources('server').length).to.be.greaterThan(10);
  });
});
