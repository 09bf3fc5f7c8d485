import type { Browser } from 'playwright-core';
import { freshContext } from './browser.js';
import { explainFailure, openDemoPage, openWidget, startChat } from './journey.js';
import { NetworkLog, type RequestRecord } from './wire.js';

export interface RequestRow {
  path: string;
  status: number | null;
  encoding: string;
  headerBytes: number;
  wireBytes: number;
  decodedBytes: number;
}

export interface Span {
  /** Bytes received: every row's wireBytes. */
  bytes: number;
  rows: RequestRow[];
}

/** Bytes on the wire of one unthrottled visit, in the spans the targets are about. */
export interface WireFigure {
  /** /widget.js, as the host page downloads it. */
  loader: RequestRow;
  /** Requests sent from the click to the first usable view. */
  open: Span;
  /** From that view to "waiting in the queue" (Start chat pressed); socket frames included. */
  queue: Span;
  /** The first view the widget showed ('start' or 'closed') and how it was recognised. */
  view: string;
  usableBy: string;
  queuedBy: string | null;
  /** Unthrottled, for context: click → usable, submit → queued. */
  openMs: number;
  queueMs: number | null;
  outOfProcessFrames: number;
}

const TIMEOUT_MS = 30_000;

const row = (r: RequestRecord): RequestRow => ({
  path: r.failed ? `${r.path} (failed: ${r.failed})` : r.path,
  status: r.status,
  encoding: r.encoding || 'identity',
  headerBytes: r.headerBytes,
  wireBytes: r.wireBytes ?? 0,
  decodedBytes: r.decodedBytes,
});

const span = (rows: RequestRow[]): Span => ({ bytes: rows.reduce((sum, r) => sum + r.wireBytes, 0), rows });

export async function measureWire(browser: Browser, baseUrl: string, line: string, lang: string): Promise<WireFigure> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    const log = await NetworkLog.attach(context, page);
    const { visit, queued } = await explainFailure(page, async () => {
      await openDemoPage(page, baseUrl, line, lang, TIMEOUT_MS);
      const visit = await openWidget(page, TIMEOUT_MS, () => log.markClick());
      // A closed line has no Start chat: the queue span then stays empty.
      return { visit, queued: visit.view === 'start' ? await startChat(visit.frame, TIMEOUT_MS) : null };
    });
    await log.settle(5_000);
    const missing = log.uncounted();
    if (missing.length) throw new Error(`requests not seen by any CDP session: ${missing.join(', ')}`);

    const all = [...log.requests.values()];
    const loader = all.find((r) => !r.afterClick && new URL(r.url).pathname === '/widget.js');
    if (!loader) throw new Error('the host page did not fetch /widget.js');
    const after = all.filter((r) => r.afterClick).sort((a, b) => a.sentAt - b.sentAt);
    const open = after.filter((r) => r.sentAt <= visit.usableAt);
    const queue = queued ? after.filter((r) => r.sentAt > visit.usableAt && r.sentAt <= queued.queuedAt) : [];
    if (!open.some((r) => new URL(r.url).pathname.startsWith('/widget/'))) throw new Error('no request of the widget iframe was counted');
    const queueRows = queue.map(row);
    if (queued) {
      const frames = log.frames.filter((f) => f.at >= visit.usableAt && f.at <= queued.queuedAt);
      const bytes = frames.reduce((sum, f) => sum + f.bytes, 0);
      const paths = [...new Set(frames.map((f) => new URL(f.url).pathname))].join(', ') || 'WebSocket';
      queueRows.push({ path: `${paths} (${frames.length} frames received, payload)`, status: null, encoding: 'ws', headerBytes: 0, wireBytes: bytes, decodedBytes: bytes });
    }
    return {
      loader: row(loader),
      open: span(open.map(row)),
      queue: span(queueRows),
      view: visit.view,
      usableBy: visit.usableBy,
      queuedBy: queued?.queuedBy ?? null,
      openMs: visit.usableAt - visit.clickAt,
      queueMs: queued ? queued.queuedAt - queued.submitAt : null,
      outOfProcessFrames: log.outOfProcessFrames,
    };
  } finally {
    await context.close();
  }
}
