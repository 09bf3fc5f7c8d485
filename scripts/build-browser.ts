/**
 * Builds the browser side into dist/public, which the server serves as static files:
 *   /widget.js                         the loader a helpline puts on its page
 *   /widget/{index.html,app.js,app.css,chunks/} the chat app inside our iframe (an ES
 *                                      module; crypto and each language are chunks)
 *   /console/{index.html,app.js,app.css,chunks/} the operator console (an ES module; the
 *                                      Twilio voice SDK is a chunk)
 *   /demo/{index.html,demo.js,demo.css}  a neutral host page that embeds the widget
 * Run with `npm run build`.
 *
 * The organisation's public key (QUIETLINE_ORG_PUBLIC_KEY, default config/org-public-key.txt)
 * is baked into the widget, which then trusts only operators it certifies. The demo has no
 * certified operators, so a demo build bakes none. QUIETLINE_BUILD_OUT builds elsewhere
 * (tests build a widget with a test key this way). Every file also gets a .br and a .gz
 * beside it, which the server sends as they are; QUIETLINE_BUILD_META=<dir> writes
 * esbuild's metafiles there.
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { BUILD_INFO_FILE, type BuildInfo } from '../server/config/build-info.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readOrgPublicKey } from '../server/config/org-key.js';
import { runModeOf } from '../server/config/run-mode.js';
import { readSettings } from '../server/config/settings.js';
import { precompress } from './precompress.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = process.env.QUIETLINE_BUILD_OUT ?? join(root, 'dist', 'public');
/** Where to write esbuild's metafiles, if anywhere (never inside `out`: it would be served). */
const metaDir = process.env.QUIETLINE_BUILD_META;
const settings = readSettings(process.env);
const demo = runModeOf(settings, process.env) === 'demo';
const orgPublicKey = demo ? null : await readOrgPublicKey(settings.QUIETLINE_ORG_PUBLIC_KEY);
// A real deployment's widget must check operator identities: never build one that cannot.
if (!demo && !orgPublicKey) {
  throw new Error(
    `no organisation key at ${settings.QUIETLINE_ORG_PUBLIC_KEY}: a non-demo build must carry one (npm run org-key -- create)`,
  );
}
const from = (path: string) => join(root, path);

/**
 * zod re-exports every one of its ~40 error-message locales as a namespace, which defeats
 * tree-shaking (about 250 kB). The browser never shows zod's messages, only our own error
 * codes, so the namespace becomes an empty module; English stays as zod's default.
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

const common: BuildOptions = {
  bundle: true,
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // libsodium falls back to Node's crypto inside a try/catch when Web Crypto is missing;
  // in a browser that path never runs, so the module is left out of the bundle.
  external: ['crypto', 'path', 'fs'],
  define: { 'process.env.NODE_ENV': '"production"', __QUIETLINE_ORG_KEY__: JSON.stringify(orgPublicKey) },
  plugins: [zodWithoutLocales],
};

/** HTML pages are copied as written; the CSP forbids inline scripts and styles, so check. */
const pages: Array<[string, string]> = [
  ['widget/app/index.html', 'widget/index.html'],
  ['operator-console/index.html', 'console/index.html'],
  ['widget/demo/index.html', 'demo/index.html'],
];

async function copyPage(source: string, target: string): Promise<void> {
  const html = await readFile(from(source), 'utf8');
  const inline = /<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=/i.exec(html);
  if (inline) throw new Error(`${source}: inline script or style is not allowed by the CSP (${inline[0]})`);
  await mkdir(dirname(join(out, target)), { recursive: true });
  await copyFile(from(source), join(out, target));
}

/** The widget app is an ES module split in chunks: crypto and each language load when needed. */
const widgetApp: BuildOptions = {
  ...common,
  format: 'esm',
  splitting: true,
  entryPoints: { app: from('widget/app/main.ts') },
  outdir: join(out, 'widget'),
  chunkNames: 'chunks/[name]-[hash]',
};

/**
 * The console is an ES module too: Twilio's voice SDK (about a fifth of it) is a chunk that
 * loads only when the deployment has Twilio voice.
 */
const consoleApp: BuildOptions = {
  ...common,
  format: 'esm',
  splitting: true,
  entryPoints: { app: from('operator-console/main.ts') },
  outdir: join(out, 'console'),
  chunkNames: 'chunks/[name]-[hash]',
};

const builds: Array<[string, BuildOptions]> = [
  ['loader', { ...common, format: 'iife', entryPoints: { widget: from('widget/loader.ts') }, outdir: out }],
  ['widget-app', widgetApp],
  ['console', consoleApp],
  ['demo', { ...common, format: 'iife', entryPoints: { 'demo/demo': from('widget/demo/demo.ts') }, outdir: out }],
  ['styles', {
    ...common,
    entryPoints: {
      'widget/app': from('widget/app/app.css'),
      'console/app': from('operator-console/app.css'),
      'demo/demo': from('widget/demo/demo.css'),
    },
    outdir: out,
  }],
];

const started = performance.now();
await rm(out, { recursive: true, force: true });
const results = await Promise.all(builds.map(([, options]) => build({ ...options, metafile: metaDir !== undefined })));
await Promise.all(pages.map(([source, target]) => copyPage(source, target)));
if (metaDir) {
  // What each dependency weighs in each output (npm run bench:widget reads these).
  await mkdir(metaDir, { recursive: true });
  await Promise.all(results.map((r, i) => writeFile(join(metaDir, `${builds[i]?.[0]}.json`), JSON.stringify(r.metafile))));
}
// The server compares this with its own key at start, so a stale or demo build of the
// widget is never served by a real deployment (server/config/build-info.ts).
await writeFile(join(out, BUILD_INFO_FILE), `${JSON.stringify({ orgPublicKey } satisfies BuildInfo)}\n`);
const compressed = await precompress(out);
console.log(
  `browser build: ${out} in ${Math.round(performance.now() - started)} ms (${compressed} files precompressed), ${orgPublicKey ? 'with' : 'without'} an organisation key`,
);
