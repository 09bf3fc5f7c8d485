/**
 * Options of `npm run bench:widget`; each also settable as BENCH_WIDGET_<NAME> (e.g.
 * BENCH_WIDGET_BASELINE=4598117). The command line wins.
 */
export interface WidgetBenchOptions {
  /** A git ref measured in the same run for comparison, or null for none. */
  baseline: string | null;
  /** Throttled runs (click → first usable view) per tree. */
  runs: number;
  /** The demo line and language opened (a line of config/lines.json). */
  line: string;
  lang: string;
  out: string;
}

interface Spec {
  name: keyof WidgetBenchOptions;
  fallback: string;
  help: string;
}

const SPECS: Spec[] = [
  { name: 'baseline', fallback: '', help: 'git ref to compare with (built from a temporary worktree); default: none' },
  { name: 'runs', fallback: '3', help: 'throttled runs per tree (median and max are reported)' },
  { name: 'line', fallback: '1712', help: 'demo line to open (config/lines.json)' },
  { name: 'lang', fallback: 'nl', help: 'language in the snippet (data-lang)' },
  { name: 'out', fallback: 'bench/results/widget-latest.json', help: 'where to write the JSON results' },
];

export class UsageError extends Error {}

export function usage(): string {
  const lines = ['Usage: npm run bench:widget -- [options]', ''];
  for (const s of SPECS) {
    lines.push(`  ${`--${s.name}=…`.padEnd(14)} ${s.help}${s.fallback ? ` (default ${s.fallback})` : ''}`);
    lines.push(`  ${''.padEnd(14)} env BENCH_WIDGET_${s.name.toUpperCase()}`);
  }
  return lines.join('\n');
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): WidgetBenchOptions {
  const raw = new Map<string, string>();
  for (const s of SPECS) raw.set(s.name, env[`BENCH_WIDGET_${s.name.toUpperCase()}`] || s.fallback);
  for (const arg of argv) {
    const match = /^--([a-z]+)=(.*)$/.exec(arg);
    if (!match || !SPECS.some((s) => s.name === match[1])) throw new UsageError(`unknown option ${arg}`);
    raw.set(match[1]!, match[2]!);
  }
  const runs = Number(raw.get('runs'));
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs: a whole number ≥ 1, not "${raw.get('runs')}"`);
  const line = raw.get('line')!;
  const lang = raw.get('lang')!;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(line)) throw new UsageError(`--line: a line id, not "${line}"`);
  if (!/^[a-z]{2,3}$/.test(lang)) throw new UsageError(`--lang: a language code, not "${lang}"`);
  return { baseline: raw.get('baseline') || null, runs, line, lang, out: raw.get('out')! };
}
