import type { Metafile } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Dependency {
  /** npm package for node_modules/…, top-level repo folder otherwise. */
  name: string;
  bytes: number;
}

/** What one output file of the widget is made of. */
export interface OutputComposition {
  /** Relative to the public folder, e.g. widget/app.js or widget/chunks/chat-flow-XXXX.js. */
  file: string;
  /**
   * 'loader': widget.js, on the host page. 'first-view': what the iframe's page names (the
   * app's entry, its static imports, app.css). 'on-demand': import() targets — the chat and
   * the languages; one language is fetched for the first view too.
   */
  role: 'loader' | 'first-view' | 'on-demand';
  bytes: number;
  gzip: number;
  brotli: number;
  /** bytesInOutput per dependency, largest first; their sum is a little under `bytes` (glue). */
  dependencies: Dependency[];
}

/** One esbuild build's metafile and the folder its paths are relative to. */
export interface BuildMeta {
  name: string;
  metafile: Metafile;
  workingDir: string;
}

/**
 * node_modules/@noble/curves/… → @noble/curves; widget/app/main.ts → widget; a plugin's
 * namespace as is. Translations (a `locales` folder) apart: a visitor downloads one of them.
 */
export function dependencyOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at >= 0) {
    const parts = input.slice(at + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (/^[a-z-]+:/.test(input)) return input;
  const parts = input.split('/').filter((part) => part !== '.' && part !== '..');
  return parts.includes('locales') ? `${parts[0]}/locales` : (parts[0] ?? input);
}

/** Outputs that a visitor opening the widget downloads; not the console's or the demo's. */
const isWidgetFile = (file: string) => file === 'widget.js' || (file.startsWith(`widget/`) && /\.(js|css)$/.test(file));

/** The scripts the pages name; esbuild also marks every import() target as an entry point. */
const PAGE_ENTRIES = new Set(['widget/loader.ts', 'widget/app/main.ts']);

/** Output files loaded before the first view: the pages' scripts, what they import statically, the CSS. */
function firstViewFiles(metafile: Metafile): Set<string> {
  const outputs = metafile.outputs;
  const found = new Set(Object.keys(outputs).filter((path) => PAGE_ENTRIES.has(outputs[path]!.entryPoint ?? '') || path.endsWith('.css')));
  const queue = [...found];
  while (queue.length) {
    for (const link of outputs[queue.pop()!]?.imports ?? []) {
      if (link.kind === 'import-statement' && !link.external && !found.has(link.path)) {
        found.add(link.path);
        queue.push(link.path);
      }
    }
  }
  return found;
}

export async function composition(builds: BuildMeta[], publicDir: string): Promise<OutputComposition[]> {
  const result: OutputComposition[] = [];
  for (const { metafile, workingDir } of builds) {
    const first = firstViewFiles(metafile);
    for (const [path, output] of Object.entries(metafile.outputs)) {
      const file = relative(publicDir, resolve(workingDir, path)).split(sep).join('/');
      if (file.startsWith('..') || !isWidgetFile(file)) continue;
      const sums = new Map<string, number>();
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const name = dependencyOf(input);
        sums.set(name, (sums.get(name) ?? 0) + bytesInOutput);
      }
      const data = await readFile(join(publicDir, file));
      result.push({
        file,
        role: file === 'widget.js' ? 'loader' : first.has(path) ? 'first-view' : 'on-demand',
        bytes: data.length,
        gzip: gzipSync(data, { level: 9 }).length,
        brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length,
        dependencies: [...sums].map(([name, bytes]) => ({ name, bytes })).filter((d) => d.bytes > 0).sort((a, b) => b.bytes - a.bytes),
      });
    }
  }
  const order = { loader: 0, 'first-view': 1, 'on-demand': 2 };
  return result.sort((a, b) => order[a.role] - order[b.role] || a.file.localeCompare(b.file));
}

/** Bytes per dependency summed over some outputs. */
export function totalsByDependency(outputs: OutputComposition[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const o of outputs) for (const d of o.dependencies) totals.set(d.name, (totals.get(d.name) ?? 0) + d.bytes);
  return totals;
}
