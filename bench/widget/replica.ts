import { build, type BuildOptions, type Plugin } from 'esbuild';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildMeta } from './composition.js';

/**
 * For a tree whose scripts/build-browser.ts cannot write metafiles (QUIETLINE_BUILD_META,
 * e.g. the baseline 4598117): the widget's part of that script, rebuilt here with a
 * metafile. It copies the script's options (demo build: no organisation key) because the
 * script exports none; keep the two in step, or better, have the script export them.
 */
const zodWithoutLocales: Plugin = {
  name: 'zod-without-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

export async function replicaBuild(root: string, outDir: string): Promise<BuildMeta[]> {
  const script = await readFile(join(root, 'scripts', 'build-browser.ts'), 'utf8');
  const common: BuildOptions = {
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: ['crypto', 'path', 'fs'],
    define: { 'process.env.NODE_ENV': '"production"', __QUIETLINE_ORG_KEY__: 'null' },
    plugins: script.includes('zod-without-locales') ? [zodWithoutLocales] : [],
    metafile: true,
    outdir: outDir,
  };
  // The app as the script builds it: one IIFE, or an ES module split in chunks.
  const split = /splitting:\s*true/.test(script);
  const app: BuildOptions = split
    ? { ...common, format: 'esm', splitting: true, entryPoints: { 'widget/app': join(root, 'widget/app/main.ts') }, chunkNames: 'widget/chunks/[name]-[hash]' }
    : { ...common, format: 'iife', entryPoints: { 'widget/app': join(root, 'widget/app/main.ts') } };
  const builds: Array<[string, BuildOptions]> = [
    ['loader', { ...common, format: 'iife', entryPoints: { widget: join(root, 'widget/loader.ts') } }],
    ['widget-app', app],
    ['styles', { ...common, entryPoints: { 'widget/app': join(root, 'widget/app/app.css') } }],
  ];
  const results = await Promise.all(builds.map(([, options]) => build(options)));
  return results.map((r, i) => ({ name: builds[i]![0], metafile: r.metafile!, workingDir: root }));
}

/** The metafiles scripts/build-browser.ts wrote (QUIETLINE_BUILD_META), named after its builds. */
export async function readBuildMeta(metaDir: string, workingDir: string): Promise<BuildMeta[]> {
  const files = (await readdir(metaDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (f) => ({ name: f.replace(/\.json$/, ''), metafile: JSON.parse(await readFile(join(metaDir, f), 'utf8')) as BuildMeta['metafile'], workingDir })),
  );
}
