import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { BENCH_REQUEST } from '../load/accounts.js';
import { closeAll, inBatches, openSocket, visitorAddress, within } from '../load/sockets.js';
import { startTarget, type TargetEnv } from '../targets.js';

export interface RssFigure {
  sockets: number;
  /** Quietline: RSS growth per connected visitor socket that has sent nothing, in KiB. */
  connectedKiB: number;
  /** Quietline: RSS growth per visitor socket that sent `request` and got `queued`, in KiB. */
  waitingKiB: number;
  /** Raw relay: RSS growth per connected visitor socket, in KiB. */
  rawConnectedKiB: number;
  /** RSS of the Quietline child (after a full GC) before, connected, waiting; bytes. */
  rssBefore: number;
  rssConnected: number;
  rssWaiting: number;
  heapBefore: number;
  heapWaiting: number;
  rawRssBefore: number;
  rawRssConnected: number;
  /** Whether the child ran gc() before each reading (it is forked with --expose-gc). */
  gc: boolean;
  requestSeconds: number;
}

const WARM_UP_SOCKETS = 50;
const KiB = 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Memory per idle visitor: the server's RSS, after a full GC, before and after opening
 * `count` visitor sockets; then again once each has asked for a chat and been queued (no
 * operator is connected, so every ticket waits). The same for bare sockets on the raw relay.
 */
export async function measureRss(count: number, env: TargetEnv): Promise<RssFigure> {
  const quietline = await startTarget('memory', 0, env);
  let q: { before: number; connected: number; waiting: number; heapBefore: number; heapWaiting: number; gc: boolean; requestSeconds: number };
  try {
    const node = quietline.children[0]!;
    const open = (_: unknown, i: number) => openSocket(`${node.wsUrl}/ws/visitor?v=${PROTOCOL_VERSION}`, { Origin: node.url }, undefined, visitorAddress(i));
    // Warm up first, so lazily built code and buffers are not charged to the first sockets.
    await closeAll(await inBatches(Array.from({ length: WARM_UP_SOCKETS }), 50, open));
    await sleep(200);
    const before = await node.stats();
    const sockets: WebSocket[] = await inBatches(Array.from({ length: count }), 100, open);
    await sleep(200);
    const connected = await node.stats();
    const requestStart = performance.now();
    await inBatches(sockets, 100, async (socket, i) => {
      const queued = new Promise<void>((resolve, reject) => {
        socket.on('message', (raw) => {
          const m = JSON.parse(String(raw)) as { type: string; code?: string };
          if (m.type === 'queued') resolve();
          else if (m.type === 'error') reject(new Error(`visitor ${i}: ${m.code}`));
        });
      });
      socket.send(JSON.stringify({ type: 'request', ...BENCH_REQUEST, key: randomBytes(32).toString('base64url') }));
      await within(queued, 60_000, `visitor ${i}: no queued within 60 s`);
    });
    const requestSeconds = (performance.now() - requestStart) / 1000;
    await sleep(200);
    const waiting = await node.stats();
    await closeAll(sockets);
    q = {
      before: before.rss,
      connected: connected.rss,
      waiting: waiting.rss,
      heapBefore: before.heapUsed,
      heapWaiting: waiting.heapUsed,
      gc: before.gc,
      requestSeconds,
    };
  } finally {
    await quietline.stop();
  }

  const raw = await startTarget('raw', 0, env);
  let r: { before: number; connected: number };
  try {
    const relay = raw.children[0]!;
    const open = (_: unknown, i: number) => openSocket(`${relay.wsUrl}/visitor?chat=c${i}`, {}, undefined, visitorAddress(i));
    await closeAll(await inBatches(Array.from({ length: WARM_UP_SOCKETS }), 50, open));
    await sleep(200);
    const before = await relay.stats();
    const sockets = await inBatches(Array.from({ length: count }), 100, open);
    await sleep(200);
    const connected = await relay.stats();
    await closeAll(sockets);
    r = { before: before.rss, connected: connected.rss };
  } finally {
    await raw.stop();
  }

  return {
    sockets: count,
    connectedKiB: (q.connected - q.before) / count / KiB,
    waitingKiB: (q.waiting - q.before) / count / KiB,
    rawConnectedKiB: (r.connected - r.before) / count / KiB,
    rssBefore: q.before,
    rssConnected: q.connected,
    rssWaiting: q.waiting,
    heapBefore: q.heapBefore,
    heapWaiting: q.heapWaiting,
    rawRssBefore: r.before,
    rawRssConnected: r.connected,
    gc: q.gc,
    requestSeconds: q.requestSeconds,
  };
}
