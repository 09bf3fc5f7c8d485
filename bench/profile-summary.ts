/**
 * Where a server process spent its CPU: reads a .cpuprofile written by node --cpu-prof and
 * prints the top functions by self time, and the top files. `npm run bench -- --profile`
 * uses it; it also runs alone:
 *
 *   npx tsx bench/profile-summary.ts bench/results/profiles/<run>/throughput-memory.cpuprofile [--top=15]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the busy time: everything but (idle). */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  busyMs: number;
  idleMs: number;
  functions: ProfileRow[];
  files: ProfileRow[];
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** node_modules/<package>, a repository path, or node:internal… */
function shortWhere(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (inModules) return `${inModules[1]}/${inModules[2]}`;
  return path.startsWith('/') ? relative(root, path) : path;
}

function top(rows: Map<string, ProfileRow>, busyMs: number, count: number): ProfileRow[] {
  return [...rows.values()]
    .map((r) => ({ ...r, percent: (r.selfMs / busyMs) * 100 }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, count);
}

export function summariseProfile(file: string, count = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time since the previous sample: charge it to the sample before.
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + delta);
  }
  const functions = new Map<string, ProfileRow>();
  const files = new Map<string, ProfileRow>();
  let idleMs = 0;
  let busyMs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const ms = us / 1000;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const where = shortWhere(frame.url);
    const name = frame.functionName || '(anonymous)';
    const fnKey = `${name}\u0000${where}\u0000${frame.lineNumber}`;
    // Files that tsx compiled report line 0 for every function: then the file alone is shown.
    const line = frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : '';
    const fn = functions.get(fnKey) ?? { name, where: where ? `${where}${line}` : '', selfMs: 0, percent: 0 };
    fn.selfMs += ms;
    functions.set(fnKey, fn);
    const fileKey = where || name;
    const f = files.get(fileKey) ?? { name: fileKey, where: '', selfMs: 0, percent: 0 };
    f.selfMs += ms;
    files.set(fileKey, f);
  }
  return { file, busyMs, idleMs, functions: top(functions, busyMs, count), files: top(files, busyMs, 10) };
}

export function formatProfile(summary: ProfileSummary): string {
  const out = [
    `Profile ${relative(process.cwd(), summary.file)}: busy ${(summary.busyMs / 1000).toFixed(1)} s, idle ${(summary.idleMs / 1000).toFixed(1)} s`,
    '  Top functions by self time (% of busy time):',
  ];
  for (const r of summary.functions) out.push(`    ${r.percent.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(6)} ms  ${r.name}  ${r.where}`);
  out.push('  Top files by self time:');
  for (const r of summary.files) out.push(`    ${r.percent.toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(6)} ms  ${r.name}`);
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const count = Number(/^--top=(\d+)$/.exec(args.find((a) => a.startsWith('--top=')) ?? '')?.[1] ?? 15);
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    process.stderr.write('Usage: npx tsx bench/profile-summary.ts <file.cpuprofile>… [--top=15]\n');
    process.exit(2);
  }
  for (const file of files) process.stdout.write(`${formatProfile(summariseProfile(file, count))}\n\n`);
}
