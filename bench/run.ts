/**
 * `npm run bench`: drives encrypted chats through Quietline and through a raw ws relay in
 * the same run, and prints throughput, latency, memory per idle visitor and routing time
 * against their targets. A report, not a test: a MISS still exits 0; only a crash (a run
 * that could not produce its figure) exits 1. See bench/README.md.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseOptions, usage, UsageError, type BenchOptions } from './options.js';
import { measureLatency } from './phases/latency.js';
import { measureRss } from './phases/rss.js';
import { measureRouting } from './phases/routing.js';
import { measureThroughput, type ThroughputFigure } from './phases/throughput.js';
import { formatProfile, summariseProfile, type ProfileSummary } from './profile-summary.js';
import { startBenchRedis, type BenchRedis } from './redis-server.js';
import { buildRows, formatDetails, formatTable, type BenchResults, type Outcome } from './report.js';
import { TARGET_NAMES, type TargetEnv, type TargetKind } from './targets.js';

/** Offered load of the latency runs when no throughput was measured and none was given. */
const FALLBACK_LATENCY_RATE = 4000;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function outcome<T>(label: string, run: () => Promise<T>): Promise<Outcome<T>> {
  const start = performance.now();
  log(`▶ ${label}`);
  try {
    const value = await run();
    log(`  done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return { ok: true, value };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${reason}`);
    return { ok: false, skipped: false, reason };
  }
}

/** Start the bench's Redis, or say why the Redis phases are skipped (or, with --redis, fail). */
async function redisFor(options: BenchOptions): Promise<{ redis: BenchRedis | null; skip: string | null }> {
  if (options.redis === 'off') return { redis: null, skip: 'turned off (--no-redis)' };
  if (![...options.only].some((p) => p !== 'rss')) return { redis: null, skip: 'not asked for' };
  try {
    return { redis: await startBenchRedis(), skip: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (options.redis === 'on') throw new Error(`--redis: ${reason}`);
    return { redis: null, skip: reason };
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const options = parseOptions(argv, process.env);
  const outFile = resolve(options.out);
  mkdirSync(dirname(outFile), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const profileDir = options.profile ? join(dirname(outFile), 'profiles', stamp) : null;

  const loadBefore = loadavg()[0]!;
  const { redis, skip } = await redisFor(options);
  const redisSkipped: Outcome<never> = { ok: false, skipped: true, reason: skip ?? '' };
  const env = (label: string): TargetEnv => ({ redis, profileDir, label });
  const results: BenchResults = { throughput: {}, latency: {}, routing: {} };
  const seconds = (ms: number) => ms / 1000;
  log(
    `Quietline bench: ${cpus().length} cores, Node ${process.version}; phases ${[...options.only].join(', ')}; ` +
      `Redis ${redis ? `on (${redis.url})` : `off: ${skip}`}; warm-up ${seconds(options.warmupMs)} s, measured ${seconds(options.durationMs)} s per run` +
      (profileDir ? `; profiles in ${profileDir}` : ''),
  );

  try {
    if (options.only.has('throughput')) {
      const load = { chats: options.chats, inflight: options.inflight, warmupMs: options.warmupMs, durationMs: options.durationMs };
      for (const kind of ['raw', 'memory', 'redis'] as TargetKind[]) {
        if (kind === 'redis' && !redis) {
          results.throughput.redis = redisSkipped;
          continue;
        }
        results.throughput[kind] = await outcome(`throughput: ${TARGET_NAMES[kind]}, ${load.chats} chats × ${load.inflight} in flight`, () =>
          measureThroughput(kind, load, env('throughput')),
        );
      }
    }

    if (options.only.has('latency')) {
      const max = (kind: TargetKind): ThroughputFigure | null => {
        const o = results.throughput[kind];
        return o?.ok ? o.value : null;
      };
      const rateFor = (kind: 'memory' | 'redis') => options.latencyRate ?? (max(kind) ? max(kind)!.deliveredPerSecond / 2 : FALLBACK_LATENCY_RATE);
      const runs: [TargetKind, number][] = [
        ['raw', rateFor('memory')],
        ['memory', rateFor('memory')],
        ['redis', rateFor('redis')],
      ];
      for (const [kind, rate] of runs) {
        if (kind === 'redis' && !redis) {
          results.latency.redis = redisSkipped;
          continue;
        }
        const settings = { chats: options.latencyChats, deliveredPerSecond: rate, warmupMs: options.warmupMs, durationMs: options.durationMs };
        results.latency[kind] = await outcome(`latency: ${TARGET_NAMES[kind]}, ${settings.chats} chats at ${Math.round(rate)} msgs/s`, () =>
          measureLatency(kind, settings, env('latency')),
        );
      }
    }

    if (options.only.has('rss')) {
      results.rss = await outcome(`rss: ${options.idleSockets} idle visitor sockets, Quietline (memory) and raw relay`, () =>
        measureRss(options.idleSockets, env('rss')),
      );
    }

    if (options.only.has('routing')) {
      const settings = { tickets: options.tickets, operators: options.routingOperators, decisions: options.decisions };
      for (const store of ['memory', 'redis'] as const) {
        if (store === 'redis' && !redis) {
          results.routing.redis = redisSkipped;
          continue;
        }
        results.routing[store] = await outcome(`routing: ${store} store, ${settings.tickets} waiting tickets, ${settings.decisions} decisions`, () =>
          measureRouting(store, settings, redis, profileDir),
        );
      }
    }
  } finally {
    await redis?.stop();
  }

  const rows = buildRows(results);
  const wallSeconds = (performance.now() - started) / 1000;
  const loadAfter = loadavg()[0]!;
  // The bench wants the machine to itself: before it starts, nothing else should be running;
  // by the end its own two busy processes (three with Redis) are in the average.
  const busy = loadBefore > 1 || loadAfter > cpus().length + 1;
  const loadLine =
    `Machine load (1-minute average) ${loadBefore.toFixed(1)} at start, ${loadAfter.toFixed(1)} at end` +
    (busy ? ': other processes were using the CPU, so these figures are noisy; run again on an idle machine.' : '.');
  let profiles: ProfileSummary[] = [];
  if (profileDir && existsSync(profileDir)) {
    profiles = readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort()
      .map((f) => summariseProfile(join(profileDir, f)));
  }

  const out = [
    '',
    formatTable(rows),
    '',
    'Baseline: the raw ws relay (bench/raw-relay.ts) driven the same way in this run; for routing, the same',
    'decision with listTickets() (every ticket) instead of the bounded head read. Ratio = Quietline / baseline.',
    '',
    formatDetails(results),
    '',
    loadLine,
    `Wall time ${wallSeconds.toFixed(0)} s. JSON: ${options.out}`,
  ];
  if (profiles.length) out.push('', ...profiles.map(formatProfile));
  process.stdout.write(`${out.join('\n')}\n`);

  const json = {
    startedAt: new Date(Date.now() - wallSeconds * 1000).toISOString(),
    wallSeconds,
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '', node: process.version, loadBefore, loadAfter },
    options: { ...options, only: [...options.only] },
    redis: redis ? 'on' : `off: ${skip}`,
    rows,
    results,
    profiles,
  };
  writeFileSync(outFile, `${JSON.stringify(json, null, 2)}\n`);

  const crashed = rows.some((r) => r.result === 'ERROR');
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usage()}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
