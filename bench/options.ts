/**
 * Command-line options, each also settable by an environment variable (BENCH_<NAME>, e.g.
 * BENCH_DURATION=5); the command line wins. `npm run bench -- --help` lists them.
 */
export const PHASES = ['throughput', 'latency', 'rss', 'routing'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  only: Set<Phase>;
  /** 'auto': the Redis phases run when server/shared-state.ts exists and redis-server runs. */
  redis: 'auto' | 'on' | 'off';
  warmupMs: number;
  durationMs: number;
  chats: number;
  inflight: number;
  latencyChats: number;
  /** Offered load for the latency runs, in delivered messages per second; null: half the max. */
  latencyRate: number | null;
  idleSockets: number;
  tickets: number;
  decisions: number;
  routingOperators: number;
  profile: boolean;
  out: string;
}

interface OptionSpec {
  name: string;
  help: string;
  kind: 'number' | 'flag' | 'text';
  fallback: string;
}

export const OPTION_SPECS: OptionSpec[] = [
  { name: 'only', kind: 'text', fallback: PHASES.join(','), help: 'phases to run, comma-separated: throughput,latency,rss,routing' },
  { name: 'redis', kind: 'flag', fallback: 'auto', help: 'Redis phases: --redis forces them (an error if they cannot run), --no-redis skips them; default: run them when possible' },
  { name: 'warmup', kind: 'number', fallback: '2', help: 'seconds of load before each measured window' },
  { name: 'duration', kind: 'number', fallback: '5', help: 'seconds measured per throughput and latency run' },
  { name: 'chats', kind: 'number', fallback: '300', help: 'concurrent chats in the throughput runs' },
  { name: 'inflight', kind: 'number', fallback: '4', help: 'messages each chat keeps in flight in the throughput runs (K)' },
  { name: 'latency-chats', kind: 'number', fallback: '1000', help: 'concurrent chats in the latency runs' },
  { name: 'latency-rate', kind: 'number', fallback: '', help: 'offered load of the latency runs, delivered msgs/s (default: half the measured max)' },
  { name: 'idle', kind: 'number', fallback: '3000', help: 'idle visitor sockets opened for the RSS figure' },
  { name: 'tickets', kind: 'number', fallback: '10000', help: 'waiting tickets in the store for the routing figure' },
  { name: 'decisions', kind: 'number', fallback: '1000', help: 'routing decisions timed per store' },
  { name: 'routing-operators', kind: 'number', fallback: '100', help: 'available operators in the store for the routing figure' },
  { name: 'profile', kind: 'flag', fallback: 'off', help: 'CPU-profile every server process during each measured window (and the routing decisions); print the top functions by self time' },
  { name: 'out', kind: 'text', fallback: 'bench/results/latest.json', help: 'where to write the JSON results' },
];

export class UsageError extends Error {}

export function usage(): string {
  const lines = ['Usage: npm run bench -- [options]', ''];
  for (const o of OPTION_SPECS) {
    const shown = o.kind === 'flag' ? `--${o.name}` : `--${o.name}=${o.kind === 'number' ? 'N' : '…'}`;
    lines.push(`  ${shown.padEnd(24)} ${o.help}${o.fallback && o.kind !== 'flag' ? ` (default ${o.fallback})` : ''}`);
    lines.push(`  ${''.padEnd(24)} env BENCH_${o.name.toUpperCase().replace(/-/g, '_')}`);
  }
  return lines.join('\n');
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const raw = new Map<string, string>();
  for (const o of OPTION_SPECS) {
    const fromEnv = env[`BENCH_${o.name.toUpperCase().replace(/-/g, '_')}`];
    raw.set(o.name, fromEnv !== undefined && fromEnv !== '' ? fromEnv : o.fallback);
  }
  for (const arg of argv) {
    const match = /^--(no-)?([a-z-]+)(?:=(.*))?$/.exec(arg);
    const spec = match && OPTION_SPECS.find((o) => o.name === match[2]);
    if (!match || !spec) throw new UsageError(`unknown option ${arg}`);
    if (spec.kind === 'flag') {
      if (match[3] !== undefined) throw new UsageError(`--${spec.name} takes no value`);
      raw.set(spec.name, match[1] ? 'off' : 'on');
    } else {
      if (match[1] || match[3] === undefined) throw new UsageError(`--${spec.name} needs a value: --${spec.name}=…`);
      raw.set(spec.name, match[3]);
    }
  }
  const number = (name: string, min: number): number => {
    const value = Number(raw.get(name));
    if (!Number.isFinite(value) || value < min) throw new UsageError(`--${name}: a number ≥ ${min}, not "${raw.get(name)}"`);
    return value;
  };
  const flag = (name: string): 'on' | 'off' | 'auto' => {
    const value = raw.get(name)!;
    if (['on', '1', 'true'].includes(value)) return 'on';
    if (['off', '0', 'false'].includes(value)) return 'off';
    if (value === 'auto') return 'auto';
    throw new UsageError(`--${name}: on, off or auto, not "${value}"`);
  };
  const only = new Set<Phase>();
  for (const name of raw.get('only')!.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(PHASES as readonly string[]).includes(name)) throw new UsageError(`--only: unknown phase "${name}" (${PHASES.join(', ')})`);
    only.add(name as Phase);
  }
  const latencyRate = raw.get('latency-rate');
  return {
    only,
    redis: flag('redis'),
    warmupMs: number('warmup', 0) * 1000,
    durationMs: number('duration', 1) * 1000,
    chats: Math.round(number('chats', 1)),
    inflight: Math.round(number('inflight', 1)),
    latencyChats: Math.round(number('latency-chats', 1)),
    latencyRate: latencyRate ? number('latency-rate', 1) : null,
    idleSockets: Math.round(number('idle', 1)),
    tickets: Math.round(number('tickets', 1)),
    decisions: Math.round(number('decisions', 1)),
    routingOperators: Math.round(number('routing-operators', 1)),
    profile: flag('profile') === 'on',
    out: raw.get('out')!,
  };
}
