import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { buildTree, type TreeBuild } from './build.js';
import { composition, type BuildMeta } from './composition.js';
import type { Outcome, TreeResults } from './report.js';
import { readBuildMeta, replicaBuild } from './replica.js';
import { startDemoServer } from './serve.js';
import { measureWire } from './spans.js';
import { measureThrottled } from './throttle.js';

export interface Tree {
  label: string;
  root: string;
  commit: string;
}

export interface TreeSettings {
  line: string;
  lang: string;
  runs: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function outcome<T>(label: string, run: () => Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  log(`▶ ${label}`);
  try {
    const value = await run();
    log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { ok: true, value };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${reason}`);
    return { ok: false, reason: reason.split('\n')[0] ?? reason };
  }
}

/** Build one tree, serve it with its own server, and measure it: composition, wire, throttled. */
export async function measureTree(browser: Browser, tree: Tree, workDir: string, settings: TreeSettings): Promise<TreeResults> {
  const built = await outcome<TreeBuild>(`${tree.label}: build (scripts/build-browser.ts, demo)`, () => buildTree(tree.root, join(workDir, 'build')));
  const failed = <T>(reason: string): Outcome<T> => ({ ok: false, reason });
  if (!built.ok) {
    const reason = `build failed: ${built.reason}`;
    return { label: tree.label, commit: tree.commit, compositionSource: '—', wire: failed(reason), throttled: failed(reason), composition: failed(reason) };
  }
  const { publicDir, metaDir } = built.value;
  const compositionSource = metaDir
    ? 'metafiles written by its scripts/build-browser.ts (QUIETLINE_BUILD_META)'
    : "the bench's copy of its build options (bench/widget/replica.ts): its build script writes no metafiles";
  const replicaDir = join(workDir, 'replica');
  const parts = await outcome(`${tree.label}: bundle composition`, async () => {
    const metas: BuildMeta[] = metaDir ? await readBuildMeta(metaDir, tree.root) : await replicaBuild(tree.root, replicaDir);
    return composition(metas, metaDir ? publicDir : replicaDir);
  });

  const server = await outcome(`${tree.label}: start server/main.ts (demo, memory store)`, () => startDemoServer(tree.root, publicDir));
  if (!server.ok) {
    const reason = `server did not start: ${server.reason}`;
    return { label: tree.label, commit: tree.commit, compositionSource, wire: failed(reason), throttled: failed(reason), composition: parts };
  }
  try {
    const url = server.value.url;
    const wire = await outcome(`${tree.label}: bytes on the wire, ${url}/demo/ line ${settings.line} (${settings.lang})`, () =>
      measureWire(browser, url, settings.line, settings.lang),
    );
    const throttled = await outcome(`${tree.label}: throttled click → first view, ${settings.runs} runs`, () =>
      measureThrottled(browser, url, settings.line, settings.lang, settings.runs),
    );
    return { label: tree.label, commit: tree.commit, compositionSource, wire, throttled, composition: parts };
  } finally {
    await server.value.stop();
  }
}
