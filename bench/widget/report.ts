import { totalsByDependency, type OutputComposition } from './composition.js';
import type { RequestRow, WireFigure } from './spans.js';
import type { ThrottledFigure } from './throttle.js';

/** A figure, or why there is none. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** What was measured of one tree (the working tree, or the baseline ref). */
export interface TreeResults {
  label: string;
  /** `git log -1 --format='%h %s'` of the tree's HEAD. */
  commit: string;
  /** Where the metafiles came from: the tree's own build, or the bench's copy of its options. */
  compositionSource: string;
  wire: Outcome<WireFigure>;
  throttled: Outcome<ThrottledFigure>;
  composition: Outcome<OutputComposition[]>;
}

export type Verdict = 'PASS' | 'MISS' | 'info' | 'ERROR';

export interface Row {
  metric: string;
  unit: 'KiB' | 'ms';
  current: number | null;
  baseline: number | null;
  target: string;
  result: Verdict;
  note?: string;
}

/** KiB = 1,024 bytes. */
export const TARGETS = { loaderKiB: 5, openKiB: 30, queueKiB: 60, throttledMs: 3000 };

const kib = (bytes: number) => bytes / 1024;
const value = <T>(o: Outcome<T> | undefined): T | null => (o?.ok ? o.value : null);

export function buildRows(current: TreeResults, baseline: TreeResults | null): Row[] {
  const rows: Row[] = [];
  const add = (metric: string, unit: Row['unit'], pick: (w: TreeResults) => number | null | undefined, max: number | null, outcome: (t: TreeResults) => Outcome<unknown>) => {
    const failed = outcome(current);
    if (!failed.ok) {
      rows.push({ metric, unit, current: null, baseline: null, target: max === null ? '—' : `≤ ${max} ${unit}`, result: 'ERROR', note: failed.reason });
      return;
    }
    const c = pick(current) ?? null;
    const b = baseline ? (pick(baseline) ?? null) : null;
    const result: Verdict = max === null || c === null ? 'info' : c <= max ? 'PASS' : 'MISS';
    const note = baseline && !outcome(baseline).ok ? `baseline: ${(outcome(baseline) as { reason: string }).reason}` : undefined;
    rows.push({ metric, unit, current: c, baseline: b, target: max === null ? '—' : `≤ ${max} ${unit}`, result, ...(note ? { note } : {}) });
  };
  const wire = (t: TreeResults) => t.wire;
  const slow = (t: TreeResults) => t.throttled;
  add('Loader /widget.js on the wire', 'KiB', (t) => { const w = value(t.wire); return w && kib(w.loader.wireBytes); }, TARGETS.loaderKiB, wire);
  add('Click → first usable view, bytes', 'KiB', (t) => { const w = value(t.wire); return w && kib(w.open.bytes); }, TARGETS.openKiB, wire);
  add('Click → waiting in the queue, bytes', 'KiB', (t) => { const w = value(t.wire); return w && kib(w.open.bytes + w.queue.bytes); }, TARGETS.queueKiB, wire);
  add('Click → first usable view, throttled, median', 'ms', (t) => value(t.throttled)?.median, TARGETS.throttledMs, slow);
  add('Click → first usable view, throttled, max', 'ms', (t) => value(t.throttled)?.max, null, slow);
  add('Click → first usable view, unthrottled', 'ms', (t) => value(t.wire)?.openMs, null, wire);
  add('Start chat → queued, unthrottled', 'ms', (t) => value(t.wire)?.queueMs, null, wire);
  return rows;
}

const fmt = (n: number | null, unit: string) => (n === null ? '—' : unit === 'ms' ? Math.round(n).toLocaleString('en') : n.toFixed(1));
const bytes = (n: number) => n.toLocaleString('en');

/** Columns padded to their widest cell; `right` holds the indexes of numeric columns. */
export function table(header: string[], body: string[][], right: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function formatRows(rows: Row[], withBaseline: boolean): string {
  const header = ['Metric', 'Unit', 'Current', ...(withBaseline ? ['Baseline', 'Ratio'] : []), 'Target', 'Result'];
  const body = rows.map((r) => [
    r.metric,
    r.unit,
    fmt(r.current, r.unit),
    ...(withBaseline ? [fmt(r.baseline, r.unit), r.current !== null && r.baseline ? `${(r.current / r.baseline).toFixed(2)}×` : '—'] : []),
    r.target,
    r.result,
  ]);
  const out = [table(header, body, withBaseline ? new Set([2, 3, 4]) : new Set([2]))];
  // A failure shared by several rows is told once.
  const notes = rows.filter((r, i) => r.note && r.note !== rows[i - 1]?.note).map((r) => `  ${r.metric}: ${r.note}`);
  if (notes.length) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}

export function formatRequests(title: string, rows: RequestRow[]): string {
  const body = rows.map((r) => [r.path, r.status === null ? '' : String(r.status), r.encoding, bytes(r.wireBytes), bytes(r.headerBytes), bytes(r.decodedBytes)]);
  const sum = (pick: (r: RequestRow) => number) => bytes(rows.reduce((s, r) => s + pick(r), 0));
  body.push(['total', '', '', sum((r) => r.wireBytes), sum((r) => r.headerBytes), sum((r) => r.decodedBytes)]);
  return `${title}\n${table(['Path', 'Status', 'Encoding', 'Wire B', 'Headers B', 'Decoded B'], body, new Set([3, 4, 5]))}`;
}

export function formatOutputs(outputs: OutputComposition[]): string {
  return outputs
    .map((o) => {
      const head = `${o.file} (${o.role}): ${bytes(o.bytes)} B, gzip -9 ${bytes(o.gzip)} B, brotli ${bytes(o.brotli)} B`;
      // One dependency (a language, a runtime helper): one line is enough.
      if (o.dependencies.length <= 1) return `${head}; ${o.dependencies.map((d) => `${d.name} ${bytes(d.bytes)} B`).join('') || 'no inputs'}`;
      const body = o.dependencies.map((d) => [d.name, bytes(d.bytes)]);
      body.push(['total (inputs)', bytes(o.dependencies.reduce((s, d) => s + d.bytes, 0))]);
      return `\n${head}\n${table(['Dependency', 'Bytes in output'], body, new Set([1]))}\n`;
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Per dependency, the whole widget (loader, app, chunks, CSS) before and after, and what the first view needs now. */
export function formatSideBySide(before: OutputComposition[], after: OutputComposition[]): string {
  const b = totalsByDependency(before);
  const a = totalsByDependency(after);
  const firstOutputs = after.filter((o) => o.role === 'first-view');
  const first = totalsByDependency(firstOutputs);
  const larger = (n: string) => Math.max(a.get(n) ?? 0, b.get(n) ?? 0);
  const names = [...new Set([...b.keys(), ...a.keys()])].sort((x, y) => larger(y) - larger(x));
  const signed = (n: number) => (n > 0 ? `+${bytes(n)}` : bytes(n));
  const body = names.map((n) => [n, bytes(b.get(n) ?? 0), bytes(a.get(n) ?? 0), signed((a.get(n) ?? 0) - (b.get(n) ?? 0)), bytes(first.get(n) ?? 0)]);
  const total = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
  const sumOf = (os: OutputComposition[], pick: (o: OutputComposition) => number) => os.reduce((s, o) => s + pick(o), 0);
  body.push(['total (inputs)', bytes(total(b)), bytes(total(a)), signed(total(a) - total(b)), bytes(total(first))]);
  body.push(['output files', bytes(sumOf(before, (o) => o.bytes)), bytes(sumOf(after, (o) => o.bytes)), signed(sumOf(after, (o) => o.bytes) - sumOf(before, (o) => o.bytes)), bytes(sumOf(firstOutputs, (o) => o.bytes))]);
  body.push(['gzip -9, file by file', bytes(sumOf(before, (o) => o.gzip)), bytes(sumOf(after, (o) => o.gzip)), signed(sumOf(after, (o) => o.gzip) - sumOf(before, (o) => o.gzip)), bytes(sumOf(firstOutputs, (o) => o.gzip))]);
  body.push(['files', String(before.length), String(after.length), '', String(firstOutputs.length)]);
  return [
    table(['Dependency (bytes in output)', 'Baseline', 'Current', 'Δ', 'Current, first view*'], body, new Set([1, 2, 3, 4])),
    "* the outputs the widget's page names: the app's entry, its static imports and app.css (not the loader, not import() targets such as the chat or a language).",
  ].join('\n');
}
