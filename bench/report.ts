import type { LatencyFigure } from './phases/latency.js';
import type { RssFigure } from './phases/rss.js';
import type { ThroughputFigure } from './phases/throughput.js';
import type { RoutingResult } from './routing-child.js';
import { TARGET_NAMES, type TargetKind } from './targets.js';

/** A figure, or why there is none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; skipped: boolean; reason: string };

export interface BenchResults {
  throughput: Partial<Record<TargetKind, Outcome<ThroughputFigure>>>;
  latency: Partial<Record<TargetKind, Outcome<LatencyFigure>>>;
  rss?: Outcome<RssFigure>;
  routing: Partial<Record<'memory' | 'redis', Outcome<RoutingResult>>>;
}

export type Verdict = 'PASS' | 'MISS' | 'info' | 'SKIPPED' | 'ERROR';

export interface Row {
  metric: string;
  unit: string;
  quietline: number | null;
  baseline: number | null;
  /** quietline / baseline. */
  ratio: number | null;
  target: string;
  result: Verdict;
  note?: string;
}

/** The targets, as numbers the rows are checked against. */
export const TARGETS = {
  memoryThroughputRatio: 0.6,
  redisThroughputRatio: 0.35,
  latencyP99Ms: 10,
  rssPerSocketKiB: 16,
  routingMemoryP99Ms: 1,
  routingRedisP99Ms: 5,
};

function missing(metric: string, unit: string, target: string, ...outcomes: (Outcome<unknown> | undefined)[]): Row | null {
  const bad = outcomes.find((o) => o && !o.ok) as Extract<Outcome<unknown>, { ok: false }> | undefined;
  if (!bad) return null;
  return { metric, unit, quietline: null, baseline: null, ratio: null, target, result: bad.skipped ? 'SKIPPED' : 'ERROR', note: bad.reason };
}

const value = <T>(o: Outcome<T> | undefined): T | null => (o?.ok ? o.value : null);
const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b !== 0 ? a / b : null);

export function buildRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const rawT = results.throughput.raw;
  for (const [kind, min] of [
    ['memory', TARGETS.memoryThroughputRatio],
    ['redis', TARGETS.redisThroughputRatio],
  ] as const) {
    const q = results.throughput[kind];
    if (!q) continue;
    const metric = `Throughput, ${kind === 'memory' ? '1 node, memory' : '2 nodes, Redis'}`;
    const target = `≥ ${min.toFixed(2)}× raw`;
    const gap = missing(metric, 'msgs/s', target, q, rawT);
    if (gap) {
      rows.push(gap);
      continue;
    }
    const qv = value(q)!.deliveredPerSecond;
    const bv = value(rawT)!.deliveredPerSecond;
    const r = ratio(qv, bv)!;
    rows.push({ metric, unit: 'msgs/s', quietline: qv, baseline: bv, ratio: r, target, result: r >= min ? 'PASS' : 'MISS' });
    // The same, per second of server CPU: does not depend on who ran out of CPU first.
    const qe = value(q)!.perServerCpuSecond;
    const be = value(rawT)!.perServerCpuSecond;
    rows.push({
      metric: `${metric}, per server CPU-second`,
      unit: 'msgs/s',
      quietline: Number.isFinite(qe) ? qe : null,
      baseline: Number.isFinite(be) ? be : null,
      ratio: Number.isFinite(qe) && Number.isFinite(be) ? qe / be : null,
      target: '—',
      result: 'info',
    });
  }

  const rawL = results.latency.raw;
  for (const kind of ['memory', 'redis'] as const) {
    const q = results.latency[kind];
    if (!q) continue;
    const where = kind === 'memory' ? '1 node, memory' : '2 nodes, Redis';
    // The raw relay was driven at the memory node's load; against Redis it is context only.
    const base = kind === 'memory' ? rawL : undefined;
    const gap = missing(`Latency p50/p99, ${where}`, 'ms', `p99 ≤ ${TARGETS.latencyP99Ms} ms`, q, base);
    if (gap) {
      rows.push(gap);
      continue;
    }
    const qv = value(q)!;
    const bv = value(base);
    const load = `at ${Math.round(qv.offeredDeliveredPerSecond).toLocaleString('en')} msgs/s, ${qv.chats} chats`;
    rows.push({
      metric: `Latency p50, ${where}`,
      unit: 'ms',
      quietline: qv.p50,
      baseline: bv?.p50 ?? null,
      ratio: ratio(qv.p50, bv?.p50 ?? null),
      target: '—',
      result: 'info',
      note: load,
    });
    rows.push({
      metric: `Latency p99, ${where}`,
      unit: 'ms',
      quietline: qv.p99,
      baseline: bv?.p99 ?? null,
      ratio: ratio(qv.p99, bv?.p99 ?? null),
      target: `≤ ${TARGETS.latencyP99Ms} ms`,
      result: qv.p99 <= TARGETS.latencyP99Ms && qv.lost === 0 ? 'PASS' : 'MISS',
      note: qv.lost > 0 ? `${load}; ${qv.lost} lost` : load,
    });
  }

  if (results.rss) {
    const target = `≤ ${TARGETS.rssPerSocketKiB} KiB`;
    const gap = missing('RSS per idle visitor', 'KiB', target, results.rss);
    if (gap) rows.push(gap);
    else {
      const v = value(results.rss)!;
      rows.push({
        metric: 'RSS per idle visitor, connected',
        unit: 'KiB',
        quietline: v.connectedKiB,
        baseline: v.rawConnectedKiB,
        ratio: ratio(v.connectedKiB, v.rawConnectedKiB),
        target,
        result: v.connectedKiB <= TARGETS.rssPerSocketKiB ? 'PASS' : 'MISS',
        note: `${v.sockets.toLocaleString('en')} sockets`,
      });
      rows.push({
        metric: 'RSS per idle visitor, queued',
        unit: 'KiB',
        quietline: v.waitingKiB,
        baseline: v.rawConnectedKiB,
        ratio: ratio(v.waitingKiB, v.rawConnectedKiB),
        target,
        result: v.waitingKiB <= TARGETS.rssPerSocketKiB ? 'PASS' : 'MISS',
        note: `${v.sockets.toLocaleString('en')} tickets waiting`,
      });
    }
  }

  for (const [store, max] of [
    ['memory', TARGETS.routingMemoryP99Ms],
    ['redis', TARGETS.routingRedisP99Ms],
  ] as const) {
    const o = results.routing[store];
    if (!o) continue;
    const name = `Routing decision, ${store}`;
    const gap = missing(`${name} p50/p99`, 'ms', `p99 ≤ ${max} ms`, o);
    if (gap) {
      rows.push(gap);
      continue;
    }
    const v = value(o)!;
    const note = `${v.tickets.toLocaleString('en')} waiting, ${v.operators} operators, head ${v.perQueue}/queue, ${v.decision.count} decisions`;
    const full = v.fullScan.count > 0 ? v.fullScan : null;
    rows.push({ metric: `${name} p50`, unit: 'ms', quietline: v.decision.p50, baseline: full?.p50 ?? null, ratio: ratio(v.decision.p50, full?.p50 ?? null), target: '—', result: 'info', note });
    rows.push({
      metric: `${name} p99`,
      unit: 'ms',
      quietline: v.decision.p99,
      baseline: full?.p99 ?? null,
      ratio: ratio(v.decision.p99, full?.p99 ?? null),
      target: `≤ ${max} ms`,
      result: v.decision.p99 <= max ? 'PASS' : 'MISS',
      note,
    });
  }
  return rows;
}

function fmt(n: number | null, unit: string): string {
  if (n === null || Number.isNaN(n)) return '—';
  if (unit === 'msgs/s') return Math.round(n).toLocaleString('en');
  if (unit === 'ms') return n < 10 ? n.toFixed(3) : n.toFixed(1);
  return n.toFixed(1);
}

export function formatTable(rows: Row[]): string {
  const header = ['Metric', 'Unit', 'Quietline', 'Baseline', 'Ratio', 'Target', 'Result'];
  const body = rows.map((r) => [
    r.metric,
    r.unit,
    fmt(r.quietline, r.unit),
    fmt(r.baseline, r.unit),
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.result,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const right = new Set([2, 3, 4]);
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.metric}: ${r.note}`);
  if (notes.length) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}

const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : 'unknown');
const list = (p: Record<string, number>) => {
  const entries = Object.entries(p);
  return entries.length ? entries.map(([k, n]) => `${k} ×${n}`).join(', ') : 'none';
};
const problems = (v: { setupProblems: Record<string, number>; problems: Record<string, number> }) =>
  `problems during set-up: ${list(v.setupProblems)}; during the run: ${list(v.problems)}`;

/** One line per run: what was driven, how busy each side was, what went wrong. */
export function formatDetails(results: BenchResults): string {
  const out: string[] = [];
  for (const [kind, o] of Object.entries(results.throughput) as [TargetKind, Outcome<ThroughputFigure>][]) {
    if (!o.ok) continue;
    const v = o.value;
    out.push(
      `throughput  ${TARGET_NAMES[kind].padEnd(26)} ${v.chats} chats × ${v.inflight} in flight: ${Math.round(v.deliveredPerSecond).toLocaleString('en')} msgs/s; ` +
        `server CPU ${pct(v.serverCpuPercent)} (${Number.isFinite(v.perServerCpuSecond) ? Math.round(v.perServerCpuSecond).toLocaleString('en') : '?'} msgs per CPU-second), ` +
        `load generator CPU ${pct(v.loadCpuPercent)}; set-up ${v.setupSeconds.toFixed(1)} s; opened end to end ${v.openedEndToEnd}; capped chats ${v.chatsCapped}; ${problems(v)}`,
    );
  }
  for (const [kind, o] of Object.entries(results.latency) as [TargetKind, Outcome<LatencyFigure>][]) {
    if (!o.ok) continue;
    const v = o.value;
    out.push(
      `latency     ${TARGET_NAMES[kind].padEnd(26)} ${v.chats} chats at ${Math.round(v.offeredDeliveredPerSecond).toLocaleString('en')} msgs/s ` +
        `(visitor sends ${Math.round(v.achievedVisitorSendsPerSecond).toLocaleString('en')}/s of ${Math.round(v.visitorSendsPerSecond).toLocaleString('en')}/s offered): ` +
        `p50 ${fmt(v.p50, 'ms')}, p90 ${fmt(v.p90, 'ms')}, p99 ${fmt(v.p99, 'ms')}, max ${fmt(v.max, 'ms')} ms over ${v.samples.toLocaleString('en')} messages, ${v.lost} lost; ` +
        `sender lag ≤ ${v.maxSenderLagMs.toFixed(1)} ms; server CPU ${pct(v.serverCpuPercent)}, load generator CPU ${pct(v.loadCpuPercent)}; set-up ${v.setupSeconds.toFixed(1)} s; ${problems(v)}`,
    );
  }
  if (results.rss?.ok) {
    const v = results.rss.value;
    const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;
    out.push(
      `rss         Quietline RSS ${mib(v.rssBefore)} → ${mib(v.rssConnected)} (${v.sockets} connected) → ${mib(v.rssWaiting)} (queued; requests took ${v.requestSeconds.toFixed(1)} s), ` +
        `heap ${mib(v.heapBefore)} → ${mib(v.heapWaiting)}; raw relay RSS ${mib(v.rawRssBefore)} → ${mib(v.rawRssConnected)}; after gc: ${v.gc ? 'yes' : 'no'}`,
    );
  }
  for (const [store, o] of Object.entries(results.routing) as ['memory' | 'redis', Outcome<RoutingResult>][]) {
    if (!o.ok) continue;
    const v = o.value;
    out.push(
      `routing     ${store.padEnd(26)} ${v.tickets.toLocaleString('en')} tickets in ${v.queues} queues (filled in ${v.fillSeconds.toFixed(1)} s), ${v.operators} operators, ` +
        `head ${v.perQueue}/queue (routingHeadSize: 2 × free slots + 5) → ${v.headTickets} tickets read, ${v.plannedOffers} offers planned; ` +
        `${v.decision.count} decisions: p50 ${fmt(v.decision.p50, 'ms')}, p99 ${fmt(v.decision.p99, 'ms')}, max ${fmt(v.decision.max, 'ms')} ms ` +
        `(p50 read ${fmt(v.read.p50, 'ms')}, plan ${fmt(v.plan.p50, 'ms')}, offer ${fmt(v.offer.p50, 'ms')}); ` +
        `full scan (listTickets): p50 ${fmt(v.fullScan.p50, 'ms')}, p99 ${fmt(v.fullScan.p99, 'ms')} ms over ${v.fullScan.count}`,
    );
  }
  return out.join('\n');
}
