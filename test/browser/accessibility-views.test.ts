import { existsSync } from 'node:fs';
import { expect } from 'chai';
import axe from 'axe-core';
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import { TestOperator } from '../support/chat-parties.js';
import { operatorSocket } from '../support/socket-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { axeContext, sidewaysScrollers } from './axe.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, widgetFrame } from './browser.js';

/**
 * WCAG 2.2 AA (axe's wcag22aa rules on top of 2.0/2.1 A and AA) on every view a visitor
 * can meet, at the narrowest phone, a common phone and a desktop, left to right and right
 * to left. One chat per run walks start → waiting (nobody available) → chat → confirm end
 * → ended with transcript → ended; a closed line and a refusal come from their own servers.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [320, 360, 1280] as const;
const HAS_ARABIC = existsSync(new URL('../../widget/locales/ar.json', import.meta.url));
const DIRS = [['ltr', 'en'], ['rtl', 'ar']] as const;

/** axe with TAGS (axe.ts's runner is fixed at 2.1 AA), and Reflow at 320 px as axe.ts does. */
async function expectNoViolations(target: Frame, where: string): Promise<void> {
  if (!(await target.evaluate(() => 'axe' in window))) await target.addScriptTag({ content: axe.source });
  const found = (await target.evaluate(async (tags) => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false, resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n    at ${v.nodes.map((n) => JSON.stringify(n.target)).join('\n    at ')}`);
  }, TAGS)) as string[];
  if (found.length) throw new Error(`axe found ${found.length} WCAG 2.2 A/AA violation(s) in ${where}:\n  ${found.join('\n  ')}`);
  if ((target.page().viewportSize()?.width ?? Infinity) > 320) return;
  const scrollers = await sidewaysScrollers(target);
  if (scrollers.length) throw new Error(`${where} scrolls sideways at 320px (WCAG 1.4.10 Reflow):\n  ${scrollers.join('\n  ')}`);
}

const viewIs = (widget: FrameLocator, view: string) => widget.locator(`html[data-view="${view}"]`).waitFor({ state: 'attached' });

describe('Accessibility: every widget view (axe, WCAG 2.2 AA), 320/360/1280 px, ltr and rtl', () => {
  let browser: Browser;
  let closedServer: TestServer;
  let refusingServer: TestServer;

  before(async () => {
    browser = await launchChromium();
    const lines = await linesWithEnglish();
    closedServer = await startTestServer({ clock: 'manual', config: { ignoreHours: false, lines } });
    // Monday 23:00 in Brussels: 1712's chat closed at 22:00 (see closed-line.test.ts).
    closedServer.manualClock!.advance(12 * 60 * 60 * 1000);
    refusingServer = await startTestServer({ config: { lines }, limits: { openChatsPerAddress: 0 } });
  });
  after(async () => {
    await browser?.close();
    await closedServer?.close();
    await refusingServer?.close();
  });

  for (const [d, [dir, lang]] of DIRS.entries()) {
    for (const [w, width] of WIDTHS.entries()) {
      // BR37–BR39 left to right, BR40–BR42 right to left.
      it(`[BR${37 + d * WIDTHS.length + w}] start, waiting (nobody available), chat, confirm end, ended with transcript, ended, closed and refused have no violations (${lang}, ${width} px)`, async function () {
        if (lang === 'ar' && !HAS_ARABIC) this.skip(); // widget/locales/ar.json not written yet
        this.timeout(120_000);
        await allViews(lang, { width, height: width === 1280 ? 800 : 640 });
      });
    }
  }

  async function allViews(lang: string, viewport: { width: number; height: number }): Promise<void> {
    const server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    const context = await axeContext(browser, viewport);
    context.setDefaultTimeout(10_000);
    let operator: TestOperator | null = null;
    try {
      const page = await context.newPage();
      const check = async (view: string) => {
        expect(await (await widgetFrame(page)).evaluate(() => document.documentElement.dir)).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
        await expectNoViolations(await widgetFrame(page), `the ${view} view (${lang}, ${viewport.width} px)`);
      };
      const startIn = async (widget: FrameLocator) => {
        await widget.locator('input[name="topic"][value="violence"]').check();
        await widget.locator('form.start-form button[type="submit"]').click();
      };

      // Nobody signed in yet: the start view says so, and so does the queue.
      let widget = await openWidget(page, server, '1712', lang);
      await viewIs(widget, 'start');
      await widget.locator('.nobody-now').waitFor();
      await check('start');
      await startIn(widget);
      await viewIs(widget, 'waiting');
      await widget.locator('.wait-alert').waitFor();
      await check('waiting');

      operator = new TestOperator(await operatorSocket(server, OPERATOR_1712.id));
      await operator.available();
      const chat = await operator.acceptNextOffer();
      await viewIs(widget, 'chat');
      await operator.say(chat, 'Hello, I am here. Take your time.');
      await widget.getByRole('log').getByText('Hello, I am here.').waitFor();
      await widget.locator('form.composer textarea').fill('I do not know where to start.');
      await widget.locator('form.composer button[type="submit"]').click();
      expect(await operator.hear(chat)).to.equal('I do not know where to start.');
      await widget.locator('.msg.mine[data-state="sent"]').waitFor();
      await check('chat');

      await widget.locator('form.composer button.end').click();
      await widget.locator('.confirm-end').waitFor();
      await check('chat (confirm end open)');
      await widget.locator('.confirm-end button.primary').click();
      await viewIs(widget, 'chat-ended');
      await widget.locator('.ended-panel').waitFor();
      await check('chat-ended (transcript kept)');
      await widget.locator('.ended-panel button.primary').click();
      await viewIs(widget, 'ended');
      await check('ended');

      widget = await openWidget(page, closedServer, '1712', lang);
      await viewIs(widget, 'closed');
      await check('closed');

      widget = await openWidget(page, refusingServer, '1712', lang);
      await viewIs(widget, 'start');
      await startIn(widget);
      await viewIs(widget, 'refused');
      await check('refused');
    } finally {
      operator?.socket.close();
      await context.close();
      await server.close();
    }
  }
});
