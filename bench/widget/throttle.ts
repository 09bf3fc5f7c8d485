import type { Browser, CDPSession } from 'playwright-core';
import { freshContext } from './browser.js';
import { explainFailure, openDemoPage, openWidget } from './journey.js';
import { NetworkLog } from './wire.js';

/** A slow phone on a poor connection: DevTools-style network and CPU throttling. */
export const PROFILE = {
  latencyMs: 400,
  /** 400 kbit/s each way. */
  bytesPerSecond: 50_000,
  cpuSlowdown: 4,
};

export interface ThrottledFigure {
  /** Click → first usable view, per run, ms. */
  runs: number[];
  median: number;
  max: number;
  view: string;
  usableBy: string;
  outOfProcessFrames: number;
}

const TIMEOUT_MS = 60_000;

async function throttle(session: CDPSession): Promise<void> {
  await session.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PROFILE.latencyMs,
    downloadThroughput: PROFILE.bytesPerSecond,
    uploadThroughput: PROFILE.bytesPerSecond,
  });
  await session.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpuSlowdown });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * `runs` visits, each in a fresh context (nothing cached), throttled from the first request
 * of the host page on: click → first usable view, timed inside the two documents.
 */
export async function measureThrottled(browser: Browser, baseUrl: string, line: string, lang: string, runs: number): Promise<ThrottledFigure> {
  const times: number[] = [];
  let last = { view: '', usableBy: '', outOfProcessFrames: 0 };
  for (let i = 0; i < runs; i++) {
    const context = await freshContext(browser);
    try {
      const page = await context.newPage();
      const log = await NetworkLog.attach(context, page, throttle);
      const visit = await explainFailure(page, async () => {
        await openDemoPage(page, baseUrl, line, lang, TIMEOUT_MS);
        return openWidget(page, TIMEOUT_MS, () => log.markClick());
      });
      const ms = visit.usableAt - visit.clickAt;
      // The iframe's page and the lines take two round trips at least: faster means no throttling.
      if (ms < 2 * PROFILE.latencyMs) throw new Error(`click → usable took ${Math.round(ms)} ms: the throttling did not take effect`);
      times.push(ms);
      last = { view: visit.view, usableBy: visit.usableBy, outOfProcessFrames: log.outOfProcessFrames };
    } finally {
      await context.close();
    }
  }
  return { runs: times, median: median(times), max: Math.max(...times), ...last };
}
