import type { Frame, Page } from 'playwright-core';
import { readMarks, waitForMark, type Marks } from './browser.js';

/** What a visitor does: the demo page, the launcher, the first view, Start chat, the queue. */
export interface Visit {
  /** The host page's click on the launcher, epoch ms in the page. */
  clickAt: number;
  usableAt: number;
  usableBy: NonNullable<Marks['usableBy']>;
  view: string;
  frame: Frame;
}

export interface Queued {
  submitAt: number;
  queuedAt: number;
  queuedBy: NonNullable<Marks['queuedBy']>;
}

const LAUNCHER = '#quietline-launcher';

/** The demo host page, loaded and quiet, launcher on screen. */
export async function openDemoPage(page: Page, baseUrl: string, line: string, lang: string, timeoutMs: number): Promise<void> {
  await page.goto(`${baseUrl}/demo/?line=${encodeURIComponent(line)}&lang=${encodeURIComponent(lang)}`, { waitUntil: 'load', timeout: timeoutMs });
  await page.locator(LAUNCHER).waitFor({ state: 'visible', timeout: timeoutMs });
  // The demo page lists the lines with a fetch of its own: let it finish before the click.
  await page.waitForLoadState('networkidle', { timeout: timeoutMs });
}

/** Click the launcher; resolves once the iframe shows its first usable view (start or closed). */
export async function openWidget(page: Page, timeoutMs: number, beforeClick: () => void): Promise<Visit> {
  beforeClick();
  await page.locator(LAUNCHER).click({ timeout: timeoutMs });
  const handle = await page.waitForSelector('#quietline-frame', { state: 'attached', timeout: timeoutMs });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the launcher made no widget iframe');
  await frame.waitForURL(/\/widget\//, { timeout: timeoutMs, waitUntil: 'commit' });
  await waitForMark(frame, 'usable', timeoutMs);
  const host = await readMarks(page);
  const inner = await readMarks(frame);
  if (host.click === undefined) throw new Error('the click on the launcher was not seen by the page');
  return { clickAt: host.click, usableAt: inner.usable!, usableBy: inner.usableBy!, view: inner.view!, frame };
}

/** Pick what must be picked, press Start chat; resolves once the widget says the visitor is queued. */
export async function startChat(frame: Frame, timeoutMs: number): Promise<Queued> {
  for (const name of ['language', 'topic']) {
    const radios = frame.locator(`form.start-form input[type=radio][name="${name}"]`);
    if ((await radios.count()) > 1 && (await frame.locator(`form.start-form input[type=radio][name="${name}"]:checked`).count()) === 0) {
      await radios.first().check({ timeout: timeoutMs });
    }
  }
  await frame.locator('form.start-form button[type=submit]').click({ timeout: timeoutMs });
  await waitForMark(frame, 'queued', timeoutMs);
  const marks = await readMarks(frame);
  return { submitAt: marks.submit!, queuedAt: marks.queued!, queuedBy: marks.queuedBy! };
}

/**
 * Runs `run`; if it fails, the widget's uncaught errors and console errors are added to the
 * reason (a widget mid-edit that throws then says why it never became usable).
 */
export async function explainFailure<T>(page: Page, run: () => Promise<T>): Promise<T> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const states = await Promise.all(
      page.frames().map(async (frame) => {
        const data = await frame.evaluate(() => ({ ...document.documentElement.dataset })).catch(() => ({}));
        return `${new URL(frame.url()).pathname} ${JSON.stringify(data)}`;
      }),
    ).catch(() => []);
    const seen = [...new Set(errors)].slice(0, 3);
    throw new Error(`${reason}; documents: ${states.join(', ')}${seen.length ? `; in the page: ${seen.join(' | ')}` : ''}`);
  }
}
