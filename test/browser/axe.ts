import axe from 'axe-core';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';

/** The WCAG 2.1 A and AA rules: the level Quietline promises. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export const PHONE = { width: 320, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * A context for axe runs. bypassCSP is on for these tests only: our CSP (script-src 'self')
 * rightly blocks the inline <script> that addScriptTag uses to inject axe. Every other
 * browser test keeps the real CSP, so nothing here can hide a CSP regression.
 */
export function axeContext(browser: Browser, viewport = DESKTOP, locale = 'en-GB'): Promise<BrowserContext> {
  return browser.newContext({ bypassCSP: true, viewport, locale });
}

interface Violation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** Runs axe in one document (a page or the widget's frame) and returns readable violations. */
export async function axeViolations(target: Page | Frame): Promise<string[]> {
  if (!(await target.evaluate(() => 'axe' in window))) await target.addScriptTag({ content: axe.source });
  const violations = await target.evaluate(async (tags) => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    // iframes: false — each frame is checked on its own, by the test that shows it.
    const result = await run(document, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  }, WCAG_21_AA);
  return (violations as Violation[]).map((v) => `${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n    at ${v.nodes.map((n) => JSON.stringify(n.target)).join('\n    at ')}`);
}

/**
 * Fails with every violation's id, impact, help and targets, not just a count. At phone
 * width also fails if anything scrolls sideways (see sidewaysScrollers).
 */
export async function expectNoViolations(target: Page | Frame, where: string): Promise<void> {
  const found = await axeViolations(target);
  if (found.length) throw new Error(`axe found ${found.length} WCAG 2.1 A/AA violation(s) in ${where}:\n  ${found.join('\n  ')}`);
  const page = 'page' in target ? target.page() : target;
  if ((page.viewportSize()?.width ?? Infinity) > PHONE.width) return;
  const scrollers = await sidewaysScrollers(target);
  if (scrollers.length) throw new Error(`${where} scrolls sideways at ${PHONE.width}px (WCAG 1.4.10 Reflow):\n  ${scrollers.join('\n  ')}`);
}

/** Keyboard focus must be visible: the focused element draws an outline or a box-shadow. */
export function focusIndicator(target: Page | Frame): Promise<{ name: string; outline: string; shadow: string; visible: boolean }> {
  return target.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    const outline = style ? `${style.outlineStyle} ${style.outlineWidth}` : 'none';
    const shadow = style?.boxShadow ?? 'none';
    const hasOutline = !!style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    // Enough of an accessible name to find a control: its aria-label, label or text.
    const labelled = el && 'labels' in el ? (el as HTMLInputElement).labels?.[0]?.textContent : null;
    const name = el?.getAttribute('aria-label') || labelled || el?.textContent?.trim() || el?.tagName || '';
    return { name: name.trim(), outline, shadow, visible: hasOutline || shadow !== 'none' };
  });
}

/**
 * WCAG 1.4.10 Reflow, which axe cannot see: at 320 CSS px nothing may need sideways
 * scrolling. Returns the page or the scroll boxes that do.
 */
export function sidewaysScrollers(target: Page | Frame): Promise<string[]> {
  return target.evaluate(() =>
    [document.documentElement, ...Array.from(document.body.querySelectorAll('*'))]
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && (el === document.documentElement || /auto|scroll/.test(getComputedStyle(el).overflowX)))
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).replace(/ /g, '.')}` : ''} (${el.scrollWidth}px in ${el.clientWidth}px)`),
  );
}
