/**
 * `npm run bench:widget`: what a visitor's phone downloads when it opens the chat widget —
 * the loader, click → first usable view, click → waiting in the queue — and how long the
 * first view takes on a throttled phone, plus what each bundle is made of. With
 * --baseline=<ref>, the same for another commit in the same run. A report, not a test: a
 * MISS exits 0; only a figure that could not be measured exits 1. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.js';
import { parseOptions, usage, UsageError } from './options.js';
import { buildRows, formatOutputs, formatRequests, formatRows, formatSideBySide, type TreeResults } from './report.js';
import { PROFILE } from './throttle.js';
import { measureTree, type Tree } from './tree.js';
import { addWorktree, describeCommit, type Worktree } from './worktree.js';

const mainRoot = fileURLToPath(new URL('../..', import.meta.url));

function describeTree(t: TreeResults): string[] {
  const out: string[] = [];
  if (t.wire.ok) {
    const w = t.wire.value;
    const by = (how: string | null, marker: string) => (how === null ? 'not reached' : how === marker ? `<html ${marker}>` : `DOM fallback (no ${marker} marker)`);
    out.push(
      `${t.label}: first view "${w.view}", recognised by ${by(w.usableBy, 'data-view')}; queue by ${by(w.queuedBy, 'data-queued')}; ` +
        `widget iframe ${w.outOfProcessFrames ? 'out of process (own CDP session)' : "in the page's process (the page's CDP session)"}.`,
      '',
      formatRequests(`${t.label}: loader (host page)`, [w.loader]),
      '',
      formatRequests(`${t.label}: click → first usable view`, w.open.rows),
      '',
      formatRequests(`${t.label}: first view → waiting in the queue (Start chat)`, w.queue.rows),
    );
  }
  if (t.throttled.ok) out.push('', `${t.label}: throttled runs, click → first usable view: ${t.throttled.value.runs.map((ms) => `${Math.round(ms)} ms`).join(', ')}`);
  return out;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const options = parseOptions(argv, process.env);
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const work = await mkdtemp(join(tmpdir(), 'quietline-bench-widget-'));
  const trees: Tree[] = [{ label: 'current', root: mainRoot, commit: `${await describeCommit(mainRoot)} + working tree` }];
  let worktree: Worktree | null = null;
  const results: TreeResults[] = [];
  const browser = await launchChromium();
  const chromium = browser.version();
  try {
    if (options.baseline) {
      worktree = await addWorktree(mainRoot, options.baseline);
      // Ctrl-C must not leave a worktree behind (the servers get the same SIGINT and stop).
      const interrupted = worktree;
      process.once('SIGINT', () => void interrupted.remove().finally(() => process.exit(130)));
      trees.push({ label: 'baseline', root: worktree.root, commit: await describeCommit(worktree.root) });
    }
    process.stderr.write(`Widget bench: Chromium ${chromium}, line ${options.line} (${options.lang}), ${options.runs} throttled runs per tree; work in ${work}\n`);
    for (const tree of trees) {
      results.push(await measureTree(browser, tree, join(work, tree.label), { line: options.line, lang: options.lang, runs: options.runs }));
    }
  } finally {
    await browser.close();
    await worktree?.remove();
    await rm(work, { recursive: true, force: true });
  }

  const [current, baseline] = [results[0]!, results[1] ?? null];
  const rows = buildRows(current, baseline);
  const wallSeconds = (performance.now() - started) / 1000;
  const out = [
    '',
    `Current:  ${current.commit}`,
    ...(baseline ? [`Baseline: ${baseline.commit} (--baseline=${options.baseline})`] : []),
    `Demo host page /demo/?line=${options.line}&lang=${options.lang} in Chromium ${chromium}, phone viewport, fresh context per run. KiB = 1,024 bytes.`,
    `Bytes: Chrome DevTools Protocol, loadingFinished.encodedDataLength (headers + body as sent) of each request, by when it was sent;`,
    `  the queue span adds the WebSocket frames received (payload). Throttled: ${PROFILE.latencyMs} ms latency, ${(PROFILE.bytesPerSecond * 8) / 1000} kbit/s each way, CPU ÷${PROFILE.cpuSlowdown}.`,
    '',
    formatRows(rows, baseline !== null),
    '',
  ];
  for (const t of results) out.push(...describeTree(t), '');
  for (const t of results) {
    if (!t.composition.ok) out.push(`${t.label}: bundle composition: ERROR ${t.composition.reason}`, '');
    else if (t === current || !current.composition.ok) out.push(`${t.label}: bundle composition, from ${t.compositionSource}`, '', formatOutputs(t.composition.value), '');
  }
  if (baseline?.composition.ok && current.composition.ok) {
    out.push(`Baseline → current, the whole widget (loader, app, chunks, CSS); baseline from ${baseline.compositionSource}`, '');
    out.push(formatSideBySide(baseline.composition.value, current.composition.value), '');
  }
  const loadAfter = loadavg()[0]!;
  // Bytes do not depend on the machine; the times do, the throttled ones most (CPU ÷4).
  const busy = loadBefore > cpus().length || loadAfter > cpus().length + 1;
  out.push(
    `Machine load (1-minute average) ${loadBefore.toFixed(1)} at start, ${loadAfter.toFixed(1)} at end; ${cpus().length} cores` +
      (busy ? ': other processes were using the CPU, so the times are noisy (the bytes are not); run again on an idle machine.' : '.'),
  );
  out.push(`Wall time ${wallSeconds.toFixed(0)} s. JSON: ${options.out}`);
  process.stdout.write(`${out.join('\n')}\n`);

  const outFile = resolve(mainRoot, options.out);
  mkdirSync(dirname(outFile), { recursive: true });
  const json = { startedAt: new Date(Date.now() - wallSeconds * 1000).toISOString(), wallSeconds, options, chromium, profile: PROFILE, rows, results };
  writeFileSync(outFile, `${JSON.stringify(json, null, 2)}\n`);

  const unmeasured = results.some((t) => !t.wire.ok || !t.throttled.ok || !t.composition.ok);
  return unmeasured ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usage()}\n`);
      process.exit(2);
    }
    process.stderr.write(`bench:widget crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
