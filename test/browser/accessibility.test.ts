import { expect } from 'chai';
import type { Browser, BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import consoleEn from '../../operator-console/locales/en.json' with { type: 'json' };
import { loaderStrings } from '../../widget/loader-strings.js';
import widgetNl from '../../widget/locales/nl.json' with { type: 'json' };
import { TestOperator, TestVisitor } from '../support/chat-parties.js';
import { operatorSocket, visitorSocket, type SocketClient } from '../support/socket-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { axeContext, DESKTOP, expectNoViolations, focusIndicator, PHONE } from './axe.js';
import { EXIT_HOST, launchChromium, linesWithEnglish, OPERATOR_1712, signInOperator, stubExitSite } from './browser.js';

/**
 * Accessibility is a product requirement: visitors may be in distress, on a small phone,
 * with a screen reader or keyboard only. axe checks WCAG 2.1 A/AA on every view a visitor
 * or an operator sees; a keyboard-only walk checks what axe cannot.
 */
const SIZES = [['320×640', PHONE], ['desktop', DESKTOP]] as const;
const words = widgetNl;

/** The (English) demo host page with 1712 in Dutch, launcher pressed: the widget's frame. */
async function openWidget(page: Page, server: TestServer): Promise<{ widget: FrameLocator; frame: Frame }> {
  await page.goto(`${server.url}/demo/?line=1712&lang=nl`);
  await page.getByRole('button', { name: loaderStrings('nl').launcher }).click();
  const frame = await (await page.locator('#quietline-frame').elementHandle())!.contentFrame();
  return { widget: page.frameLocator('#quietline-frame'), frame: frame! };
}

describe('Accessibility: the widget (axe, WCAG 2.1 A and AA)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext | null = null;
  let operator: TestOperator | null = null;

  // A server per test: a visitor left queued or chatting by one test (the server keeps
  // them for a resume) would otherwise be the next test's first offer.
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
  });
  afterEach(async () => {
    operator?.socket.close();
    operator = null;
    await context?.close();
    context = null;
    await server?.close();
  });

  async function availableOperator(): Promise<TestOperator> {
    operator = new TestOperator(await operatorSocket(server, OPERATOR_1712.id));
    await operator.available();
    return operator;
  }

  for (const [size, viewport] of SIZES) {
    describe(`in nl at ${size}`, () => {
      let page: Page;
      beforeEach(async () => {
        context = await axeContext(browser, viewport);
        page = await context.newPage();
      });

      async function waiting(): Promise<{ widget: FrameLocator; frame: Frame }> {
        const opened = await openWidget(page, server);
        await opened.widget.getByRole('radio', { name: words.topics.violence }).check();
        await opened.widget.getByRole('button', { name: words.start.submit }).click();
        await opened.widget.locator('.position', { hasText: /\d/ }).waitFor();
        return opened;
      }

      /** Connected, one message each way, both delivered. */
      async function chatting(): Promise<{ widget: FrameLocator; frame: Frame }> {
        const op = await availableOperator();
        const opened = await waiting();
        const chat = await op.acceptNextOffer();
        await opened.widget.getByRole('heading', { name: words.chat.title.replace('{{name}}', OPERATOR_1712.name) }).waitFor();
        await op.say(chat, 'Hallo, ik ben er. Vertel maar.');
        await opened.widget.getByRole('log').getByText('Hallo, ik ben er.').waitFor();
        await opened.widget.getByRole('textbox', { name: words.chat.message }).fill('Ik weet niet goed waar te beginnen.');
        await opened.widget.getByRole('button', { name: words.chat.send }).click();
        expect(await op.hear(chat)).to.equal('Ik weet niet goed waar te beginnen.');
        await opened.widget.locator('.msg.mine[data-state="sent"]').waitFor();
        return opened;
      }

      it(`[A11Y1] the start view has no violations (nl, ${size})`, async () => {
        const { widget, frame } = await openWidget(page, server);
        await widget.getByRole('button', { name: words.start.submit }).waitFor();
        await expectNoViolations(frame, 'the start view');
      });

      it(`[A11Y2] the demo host page with the launcher and the open widget has no violations (nl, ${size})`, async () => {
        const { widget } = await openWidget(page, server);
        await widget.getByRole('button', { name: words.start.submit }).waitFor();
        await expectNoViolations(page, 'the host page');
      });

      it(`[A11Y3] the waiting view has no violations (nl, ${size})`, async () => {
        const { frame } = await waiting();
        await expectNoViolations(frame, 'the waiting view');
      });

      it(`[A11Y4] the chat view with a message each way has no violations (nl, ${size})`, async () => {
        const { frame } = await chatting();
        await expectNoViolations(frame, 'the chat view');
      });

      it(`[A11Y5] the ended view has no violations (nl, ${size})`, async () => {
        const { widget, frame } = await chatting();
        await widget.getByRole('button', { name: words.chat.end }).click();
        await widget.getByRole('button', { name: words.chat.confirmEndYes }).click();
        await widget.getByRole('heading', { name: words.ended.by.visitor }).waitFor();
        await expectNoViolations(frame, 'the ended view');
      });
    });
  }

  for (const [size, viewport] of SIZES) {
    it(`[A11Y6] a visitor can open the chat, start it, send a message and quick-exit with the keyboard only, always seeing where focus is (${size})`, async () => {
      await keyboardOnly(viewport);
    });
  }

  async function keyboardOnly(viewport: typeof DESKTOP): Promise<void> {
    context = await axeContext(browser, viewport);
    await stubExitSite(context);
    const page = await context.newPage();
    // No mouse from here on: Tab / Shift+Tab to move, Enter to press, typing in the box.
    const op = await availableOperator();
    await page.goto(`${server.url}/demo/?line=1712&lang=en`);
    const frameOf = async () => (await (await page.locator('#quietline-frame').elementHandle())!.contentFrame())!;

    /** Tab (or Shift+Tab) until `name` has focus in `target`; fails if it is never reached. */
    const tabTo = async (target: Page | Frame, name: string, key = 'Tab') => {
      for (let i = 0; i < 30; i += 1) {
        const focused = await focusIndicator(target);
        if (focused.name === name) {
          expect(focused.visible, `focus on "${name}" is not visible (outline ${focused.outline}, box-shadow ${focused.shadow})`).to.equal(true);
          return;
        }
        await page.keyboard.press(key);
      }
      expect.fail(`"${name}" could not be reached with ${key}`);
    };

    await tabTo(page, 'Chat with us');
    await page.keyboard.press('Enter');
    const frame = await frameOf();
    await frame.getByRole('button', { name: 'Start chat' }).waitFor();
    // The one exception to Tab/Enter: a topic is a radio button, which Space checks (its
    // standard key; Enter would submit the form without a topic).
    await tabTo(frame, 'Violence');
    await page.keyboard.press('Space');
    await tabTo(frame, 'Start chat');
    await page.keyboard.press('Enter');
    const chat = await op.acceptNextOffer();
    await frame.getByRole('heading', { name: 'Chat with Sam' }).waitFor();

    // The chat view puts focus in the message box itself.
    await frame.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    expect((await focusIndicator(frame)).visible, 'focus in the message box is not visible').to.equal(true);
    await page.keyboard.type('A11Y6 typed, not clicked');
    await tabTo(frame, 'Send');
    await page.keyboard.press('Enter');
    expect(await op.hear(chat)).to.equal('A11Y6 typed, not clicked');

    await tabTo(frame, 'Quick exit', 'Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(EXIT_HOST);
    expect(await op.socket.next<{ by: string }>('ended')).to.include({ chat, by: 'visitor' });
  }

  it('[A11Y11] marks words in another language than their page: the launcher on an English host page, and each language named in its own language', async () => {
    context = await axeContext(browser, DESKTOP);
    const page = await context.newPage();
    const { widget } = await openWidget(page, server);
    expect(await page.evaluate(() => document.documentElement.lang)).to.equal('en');
    expect(await page.locator('#quietline-launcher').getAttribute('lang')).to.equal('nl');
    expect(await page.locator('#quietline-frame').getAttribute('lang')).to.equal('nl');
    const choices = widget.locator('input[name="language"]');
    await choices.first().waitFor();
    const langs = await choices.evaluateAll((inputs) => inputs.map((i) => [(i as HTMLInputElement).value, (i as HTMLInputElement).labels?.[0]?.lang]));
    expect(langs).to.deep.equal([['nl', 'nl'], ['en', 'en']]);
  });
});

describe('Accessibility: a closed line (axe, WCAG 2.1 A and AA)', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ clock: 'manual', config: { ignoreHours: false, lines: await linesWithEnglish() } });
    // Monday 23:00 in Brussels: 1712's chat closed at 22:00 (see closed-line.test.ts).
    server.manualClock!.advance(12 * 60 * 60 * 1000);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [size, viewport] of SIZES) {
    it(`[A11Y7] the closed-line view has no violations (nl, ${size})`, async () => {
      const context = await axeContext(browser, viewport);
      try {
        const { widget, frame } = await openWidget(await context.newPage(), server);
        await widget.getByRole('heading', { name: widgetNl.closed.title }).waitFor();
        await expectNoViolations(frame, 'the closed-line view');
      } finally {
        await context.close();
      }
    });
  }
});

describe('Accessibility: the operator console (axe, WCAG 2.1 A and AA)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let visitorSockets: SocketClient[] = [];

  // A server per test, as for the widget: no offer or chat carries over.
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    context = await axeContext(browser, DESKTOP);
    page = await context.newPage();
  });
  afterEach(async () => {
    for (const socket of visitorSockets) socket.close();
    visitorSockets = [];
    await context?.close();
    await server?.close();
  });

  /** Signed in and available, with one visitor's offer on the desk. */
  async function deskWithOffer(): Promise<TestVisitor> {
    await signInOperator(page, server, OPERATOR_1712.id);
    const socket = await visitorSocket(server);
    visitorSockets.push(socket);
    const visitor = await TestVisitor.request(socket, '1712', 'nl', 'violence');
    await page.getByRole('button', { name: consoleEn.offer.accept }).waitFor();
    return visitor;
  }

  it('[A11Y8] the sign-in view has no violations', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByRole('button', { name: consoleEn.signIn.submit }).waitFor();
    await expectNoViolations(page, 'the console sign-in view');
  });

  it('[A11Y9] the desk with an offer has no violations', async () => {
    await deskWithOffer();
    await expectNoViolations(page, 'the desk with an offer');
  });

  it('[A11Y10] a chat panel with a message each way has no violations', async () => {
    const visitor = await deskWithOffer();
    await page.getByRole('button', { name: consoleEn.offer.accept }).click();
    await visitor.connected();
    const panel = page.getByRole('region', { name: /1712/ });
    await visitor.say('Ik weet niet goed waar te beginnen.');
    await panel.getByText('Ik weet niet goed waar te beginnen.').waitFor();
    await panel.getByRole('textbox', { name: consoleEn.chat.message }).fill('Neem je tijd, ik luister.');
    await panel.getByRole('button', { name: consoleEn.chat.send }).click();
    expect(await visitor.hear()).to.equal('Neem je tijd, ik luister.');
    await panel.locator('.msg.mine[data-state="sent"]').waitFor();
    await expectNoViolations(page, 'a chat panel');
  });
});
