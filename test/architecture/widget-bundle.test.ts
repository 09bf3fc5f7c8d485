import { expect } from 'chai';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every module the widget's bundle (all its chunks) is made of. */
async function widgetInputs(): Promise<string[]> {
  const result = await build({
    entryPoints: [`${root}widget/app/main.ts`, `${root}widget/loader.ts`],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    outdir: '/tmp/quietline-widget-bundle-test',
    logLevel: 'silent',
    define: { __QUIETLINE_ORG_KEY__: 'null' },
  });
  return Object.keys(result.metafile.inputs);
}

describe('Architecture: what the visitor downloads', function () {
  this.timeout(30_000);

  it('keeps libsodium, i18next and classic zod out of the widget: noble, our translator and zod/mini instead', async () => {
    const inputs = await widgetInputs();
    expect(inputs.filter((i) => /node_modules\/(libsodium|i18next)/.test(i))).to.deep.equal([]);
    // zod/mini lives under zod/v4/mini and the shared core; classic zod under zod/v4/classic.
    expect(inputs.filter((i) => /node_modules\/zod\/.*classic/.test(i))).to.deep.equal([]);
    expect(inputs.some((i) => /node_modules\/@noble\/ciphers/.test(i))).to.equal(true);
  });
});
