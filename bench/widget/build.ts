import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { childEnv, runTsx } from './child.js';

/** A demo build of one tree's browser side, in a folder of the bench's own. */
export interface TreeBuild {
  /** Served as QUIETLINE_PUBLIC_DIR. */
  publicDir: string;
  /** esbuild's metafiles, when the tree's build script writes them (QUIETLINE_BUILD_META). */
  metaDir: string | null;
  ms: number;
}

const BUILD_TIMEOUT_MS = 180_000;

/**
 * Runs the tree's own scripts/build-browser.ts with QUIETLINE_BUILD_OUT (never dist/public,
 * which others use) and QUIETLINE_DEMO=1: a demo build bakes no organisation key, which is
 * what a demo server accepts. Asks for metafiles only if the script knows the variable.
 */
export async function buildTree(root: string, workDir: string): Promise<TreeBuild> {
  const script = join(root, 'scripts', 'build-browser.ts');
  const writesMeta = (await readFile(script, 'utf8')).includes('QUIETLINE_BUILD_META');
  const publicDir = join(workDir, 'public');
  const metaDir = writesMeta ? join(workDir, 'meta') : null;
  await mkdir(workDir, { recursive: true });
  const env = childEnv({
    QUIETLINE_BUILD_OUT: publicDir,
    QUIETLINE_DEMO: '1',
    ...(metaDir ? { QUIETLINE_BUILD_META: metaDir } : {}),
  });
  const started = performance.now();
  await runTsx(root, 'scripts/build-browser.ts', env, BUILD_TIMEOUT_MS);
  return { publicDir, metaDir, ms: performance.now() - started };
}
