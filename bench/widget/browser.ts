import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser; quiet flags so nothing phones home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** What the marks script (below) records in each document, as epoch milliseconds. */
export interface Marks {
  click?: number;
  usable?: number;
  /** 'data-view': `<html data-view>` said so; 'dom': fallback on the view's elements. */
  usableBy?: 'data-view' | 'dom';
  view?: string;
  submit?: number;
  queued?: number;
  queuedBy?: 'data-queued' | 'dom';
}

/**
 * Runs in every document before its own scripts. The widget marks `<html data-view>` with
 * its view and `data-queued="true"` once the queue answered; the moment each appears is
 * taken in the page, so detection delay and CPU throttling of the bench do not enter it.
 * Only a document with no data-view at all (a widget from before the markers) falls back
 * on its elements: the start form or closed view, and a queue position with a number.
 * A string, not a function: tsx would add helpers the browser does not have.
 */
const MARKS_SCRIPT = `(() => {
  if (window.__qlMarks) return;
  const marks = {};
  window.__qlMarks = marks;
  const now = () => performance.timeOrigin + performance.now();
  const check = () => {
    const root = document.documentElement;
    if (!root) return;
    const marked = 'view' in root.dataset;
    if (marks.usable === undefined) {
      const view = root.dataset.view;
      if (view === 'start' || view === 'closed') Object.assign(marks, { usable: now(), usableBy: 'data-view', view });
      else if (!marked) {
        const found = document.querySelector('.view.closed') ? 'closed' : document.querySelector('.view.start form.start-form') ? 'start' : null;
        if (found) Object.assign(marks, { usable: now(), usableBy: 'dom', view: found });
      }
    }
    if (marks.queued === undefined) {
      if (root.dataset.queued === 'true') Object.assign(marks, { queued: now(), queuedBy: 'data-queued' });
      else if (!marked) {
        const position = document.querySelector('.view.waiting .position');
        if (position && /\\d/.test(position.textContent || '')) Object.assign(marks, { queued: now(), queuedBy: 'dom' });
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  document.addEventListener('click', (event) => {
    if (marks.click === undefined && event.target instanceof Element && event.target.closest('#quietline-launcher')) marks.click = now();
  }, true);
  document.addEventListener('submit', () => { if (marks.submit === undefined) marks.submit = now(); }, true);
})();`;

/** A fresh context (nothing cached, no cookies) with the marks script in every frame. */
export async function freshContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: false });
  await context.addInitScript({ content: MARKS_SCRIPT });
  return context;
}

type MarkedWindow = { __qlMarks?: Marks };

/*
 * Functions, not strings, for what runs in the widget: the CSP (no 'unsafe-eval') stops
 * Playwright from evaluating a string inside the page. Kept free of inner named functions,
 * which tsx would wrap in a helper the page does not have.
 */
export async function readMarks(target: Page | Frame): Promise<Marks> {
  return target.evaluate(() => (window as unknown as MarkedWindow).__qlMarks ?? {});
}

/** Resolves when the document's marks have `name`; rejects after `timeoutMs`. */
export async function waitForMark(frame: Frame, name: keyof Marks, timeoutMs: number): Promise<void> {
  await frame.waitForFunction((key) => (window as unknown as MarkedWindow).__qlMarks?.[key] !== undefined, name, { timeout: timeoutMs });
}
