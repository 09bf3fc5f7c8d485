import { expect } from 'chai';
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { TestOperator } from '../support/chat-parties.js';
import { operatorSocket } from '../support/socket-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, OPERATOR_1712, openWidget } from './browser.js';
import { chatting, minimise } from './widget-helpers.js';

/** A phone with its on-screen keyboard up leaves about this much page. */
const KEYBOARD_UP = { width: 360, height: 420 };
const PHONE = { width: 360, height: 640 };

describe('Browser: small screens, touch screens and on-screen keyboards', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext | null = null;
  let operator: TestOperator;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    operator = new TestOperator(await operatorSocket(server, OPERATOR_1712.id));
    await operator.available();
  });
  afterEach(async () => {
    operator.socket.close();
    await operator.socket.closed;
    await context?.close();
    context = null;
    await server?.close();
  });

  async function newPage(options: Parameters<Browser['newContext']>[0]): Promise<Page> {
    context = await browser.newContext(options);
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  /**
   * Fully inside the iframe's box, which is what the visitor sees of the widget (or inside
   * `within`, e.g. the scrolled message log).
   */
  async function expectWithinFrame(page: Page, what: Locator, name: string, within: Locator = page.locator('#quietline-frame')): Promise<void> {
    const frame = (await within.boundingBox())!;
    const box = await what.boundingBox();
    expect(box, `${name} has no box`).to.not.equal(null);
    const inside = box!.x >= frame.x - 0.5 && box!.y >= frame.y - 0.5
      && box!.x + box!.width <= frame.x + frame.width + 0.5 && box!.y + box!.height <= frame.y + frame.height + 0.5;
    expect(inside, `${name} at ${JSON.stringify(box)} is not within the widget at ${JSON.stringify(frame)}`).to.equal(true);
  }

  it('[BR34] at 360×420 (keyboard up) after 15 messages, the message box, the last message and Send are all on screen', async () => {
    const page = await newPage({ viewport: KEYBOARD_UP });
    const { widget, chat } = await chatting(page, server, operator);
    const box = widget.getByRole('textbox', { name: 'Message' });
    for (let i = 1; i <= 15; i += 1) {
      if (i % 2) await operator.say(chat, `BR34 counsellor message ${i}`);
      else {
        await box.fill(`BR34 visitor message ${i}`);
        await box.press('Enter');
        expect(await operator.hear(chat)).to.equal(`BR34 visitor message ${i}`);
      }
    }
    const last = widget.getByRole('log').getByText('BR34 counsellor message 15');
    await last.waitFor();
    await box.focus();
    await expectWithinFrame(page, box, 'the message box');
    await expectWithinFrame(page, last, 'the last message');
    await expectWithinFrame(page, last, 'the last message (in the scrolled log)', widget.getByRole('log'));
    const send = widget.getByRole('button', { name: 'Send' });
    expect(await send.isVisible()).to.equal(true);
    await expectWithinFrame(page, send, 'the Send button');
  });

  async function hintCount(widget: FrameLocator, chat: string): Promise<number> {
    await operator.say(chat, 'hello');
    await widget.getByRole('textbox', { name: 'Message' }).waitFor();
    return widget.locator('.hint').count();
  }

  it('[BR35] on a touch phone there is no "Shift+Enter" hint; on a desktop there is', async () => {
    const touch = await newPage({ viewport: PHONE, hasTouch: true, isMobile: true });
    const onTouch = await chatting(touch, server, operator);
    expect(await hintCount(onTouch.widget, onTouch.chat), 'hints on a touch screen').to.equal(0);
    await context!.close();

    const desktop = await newPage({ viewport: { width: 1280, height: 800 } });
    const onDesktop = await chatting(desktop, server, operator);
    expect(await hintCount(onDesktop.widget, onDesktop.chat), 'hints on a desktop').to.equal(1);
    expect(await onDesktop.widget.locator('.hint').innerText()).to.include('Shift+Enter');
  });

  it('[BR36] at 360 px the open widget makes the rest of the host page inert, and minimising gives it back', async () => {
    const page = await newPage({ viewport: PHONE });
    const others = () => page.evaluate(() =>
      Array.from(document.body.children)
        .filter((el) => el.id !== 'quietline-frame' && el.id !== 'quietline-controls' && el.tagName !== 'SCRIPT')
        .map((el) => ({ el: el.tagName.toLowerCase() + (el.className ? `.${el.className}` : ''), inert: el.hasAttribute('inert') })));
    await page.goto(`${server.url}/demo/?line=1712&lang=en`);
    await page.locator('#quietline-launcher').waitFor();
    const before = await others();
    expect(before.length, 'the demo page has content of its own').to.be.greaterThan(0);
    expect(before.every((o) => !o.inert)).to.equal(true);

    const widget = await openWidget(page, server);
    await widget.getByRole('button', { name: 'Start chat' }).waitFor();
    const open = await others();
    expect(open.filter((o) => !o.inert), 'host page parts still reachable behind the open widget').to.deep.equal([]);
    expect(await page.locator('#quietline-frame').getAttribute('inert')).to.equal(null);
    expect(await page.locator('#quietline-controls').getAttribute('inert')).to.equal(null);

    await minimise(page, widget);
    expect((await others()).filter((o) => o.inert), 'host page parts left inert after minimise').to.deep.equal([]);
  });
});
