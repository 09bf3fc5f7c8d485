import { expect } from 'chai';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import consoleEn from '../../operator-console/locales/en.json' with { type: 'json' };
import widgetEn from '../../widget/locales/en.json' with { type: 'json' };
import widgetFr from '../../widget/locales/fr.json' with { type: 'json' };
import { startTestServer, type TestServer } from '../support/test-server.js';
import { axeContext, DESKTOP, expectNoViolations, PHONE } from './axe.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, signInOperator, startChat, widgetFrame } from './browser.js';

/**
 * Many nodes share one store (Redis). When it cannot be reached the server keeps every
 * socket open, says `service: degraded`, and refuses what needs the store with
 * ERR_UNAVAILABLE; then `service: ok`. The visitor must lose nothing and see nothing
 * alarming: the calm "Reconnecting…", messages that wait and then go, exactly once. A
 * visitor who arrives meanwhile is told plainly, shown the numbers to call, and can try
 * again. The test server's outage store (test/support/outage-store.ts) makes the outage
 * on demand.
 */
/** Waits, briefly polling, for something only the server's frames show. */
async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Browser: the service is degraded (its shared store is unreachable)', () => {
  let server: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];

  before(async () => {
    browser = await launchChromium();
  });
  after(() => browser?.close());
  // A server per test: a visitor left queued or chatting would be the next test's offer.
  beforeEach(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() }, faults: 'outage' });
  });
  afterEach(async () => {
    for (const context of contexts) await context.close();
    contexts = [];
    server?.outage?.end();
    await server?.close();
  });

  const outage = () => server.outage!;

  async function newPage(context?: BrowserContext): Promise<Page> {
    const opened = context ?? (await browser.newContext());
    contexts.push(opened);
    return opened.newPage();
  }

  /** Visitor queued, operator accepted in the console: both sides show the chat. */
  async function connect(visitor: Page, operator: Page): Promise<FrameLocator> {
    const widget = await openWidget(visitor, server);
    await startChat(widget);
    await signInOperator(operator, server, OPERATOR_1712.id);
    await operator.getByRole('button', { name: consoleEn.offer.accept }).click();
    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();
    return widget;
  }

  /** Messages the server forwarded to `kind` that carry this seq (every one of them counts). */
  const forwarded = (kind: 'visitor' | 'operator', seq: number) =>
    server.frames.filter((f) => {
      if (f.direction !== 'out' || f.kind !== kind) return false;
      const message = JSON.parse(f.frame) as { type?: string; seq?: number };
      return message.type === 'msg' && message.seq === seq;
    }).length;

  it('[SD1] holds what both sides write during an outage, says "Reconnecting…", then delivers each message exactly once', async () => {
    const visitor = await newPage();
    const operator = await newPage();
    const widget = await connect(visitor, operator);
    const panel = operator.getByRole('region', { name: /1712/ });

    outage().start();
    await widget.getByText(widgetEn.app.reconnecting).waitFor();
    await operator.getByText(consoleEn.desk.degraded).waitFor();

    const fromVisitor = 'SD1-visitor: are you still there?';
    const fromOperator = 'SD1-operator: I am here, one moment';
    await widget.getByRole('textbox', { name: 'Message' }).fill(fromVisitor);
    await widget.getByRole('button', { name: 'Send' }).click();
    await panel.getByRole('textbox', { name: consoleEn.chat.message }).fill(fromOperator);
    await panel.getByRole('button', { name: consoleEn.chat.send }).click();
    const mine = widget.locator('.msg.mine', { hasText: fromVisitor });
    const theirs = panel.locator('.msg.mine', { hasText: fromOperator });
    await mine.and(widget.locator('[data-state="sending"]')).waitFor();
    await theirs.and(panel.locator('[data-state="sending"]')).waitFor();

    // A while into the outage: still waiting, nothing failed, nothing got through.
    await visitor.waitForTimeout(1_000);
    expect(await mine.getAttribute('data-state')).to.equal('sending');
    expect(await theirs.getAttribute('data-state')).to.equal('sending');
    expect(await widget.getByRole('button', { name: widgetEn.chat.retry }).count()).to.equal(0);
    expect(await panel.getByRole('button', { name: consoleEn.chat.retry }).count()).to.equal(0);
    expect(await panel.getByText(fromVisitor).count()).to.equal(0);
    expect(await widget.getByText(fromOperator).count()).to.equal(0);

    outage().end();
    await panel.getByText(fromVisitor).waitFor();
    await widget.getByRole('log').getByText(fromOperator).waitFor();
    await mine.and(widget.locator('[data-state="sent"]')).waitFor();
    await theirs.and(panel.locator('[data-state="sent"]')).waitFor();
    await widget.getByText(widgetEn.app.reconnecting).waitFor({ state: 'hidden' });
    await operator.getByText(consoleEn.desk.degraded).waitFor({ state: 'hidden' });

    expect(await panel.getByText(fromVisitor).count()).to.equal(1);
    expect(await widget.getByText(fromOperator).count()).to.equal(1);
    // However often a side sent it again, the server passed each message on once.
    expect(forwarded('operator', 1)).to.equal(1);
    expect(forwarded('visitor', 1)).to.equal(1);
  });

  it('[SD2] keeps a visitor whose connection drops during an outage trying to resume, and the chat goes on once it is over', async () => {
    const visitorContext = await browser.newContext();
    contexts.push(visitorContext);
    let cut: (() => Promise<void>) | null = null;
    await visitorContext.routeWebSocket(/\/ws\/visitor/, (ws) => {
      const upstream = ws.connectToServer();
      cut = async () => {
        await ws.close({ code: 1001, reason: 'test: connection lost' });
        await upstream.close();
      };
    });
    const visitor = await visitorContext.newPage();
    const operator = await newPage();
    const widget = await connect(visitor, operator);
    const panel = operator.getByRole('region', { name: /1712/ });

    outage().start();
    await cut!();
    await widget.getByText(widgetEn.app.reconnecting).waitFor();
    // The server answers the resume, but cannot look the chat up: the widget tries again.
    const refused = () => server.frames.filter((f) => f.kind === 'visitor' && f.direction === 'out' && f.frame.includes('ERR_UNAVAILABLE')).length;
    await until(() => refused() >= 2);
    await widget.getByText(widgetEn.app.reconnecting).waitFor();

    outage().end();
    await widget.getByText(widgetEn.app.reconnecting).waitFor({ state: 'hidden', timeout: 15_000 });
    await panel.getByRole('textbox', { name: consoleEn.chat.message }).fill('SD6 you are back');
    await panel.getByRole('button', { name: consoleEn.chat.send }).click();
    await widget.getByRole('log').getByText('SD6 you are back').waitFor();
    expect(await widget.getByRole('heading', { name: widgetEn.ended.by.system }).count()).to.equal(0);
  });

  it('[SD3] sends a message again by itself when the server could not store it and no outage was announced (a blip)', async () => {
    const visitorContext = await browser.newContext();
    contexts.push(visitorContext);
    // Stand in for a node whose store failed one call: the first message is refused as
    // not stored, without any `service` message; everything else passes through.
    let refusedOne = false;
    await visitorContext.routeWebSocket(/\/ws\/visitor/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((frame) => {
        const message = JSON.parse(String(frame)) as { type: string; seq?: number };
        if (message.type === 'msg' && !refusedOne) {
          refusedOne = true;
          ws.send(JSON.stringify({ type: 'error', code: 'ERR_UNAVAILABLE', seq: message.seq }));
          return;
        }
        upstream.send(frame);
      });
    });
    const visitor = await visitorContext.newPage();
    const operator = await newPage();
    const widget = await connect(visitor, operator);
    const panel = operator.getByRole('region', { name: /1712/ });

    await widget.getByRole('textbox', { name: 'Message' }).fill('SD7 through in the end');
    await widget.getByRole('button', { name: 'Send' }).click();
    await panel.getByText('SD7 through in the end').waitFor();
    await widget.locator('.msg.mine[data-state="sent"]', { hasText: 'SD7 through in the end' }).waitFor();
    expect(refusedOne).to.equal(true);
    expect(await widget.getByRole('button', { name: widgetEn.chat.retry }).count()).to.equal(0);
    expect(await widget.getByText(widgetEn.errors.ERR_UNAVAILABLE).count()).to.equal(0);
  });

  it('[SD4] tells a visitor who arrives during an outage that chat is briefly unavailable, with the numbers to call, and "Try again" queues them once it is over', async () => {
    outage().start();
    const page = await newPage();
    // /api/lines is served from the configuration: the widget still loads.
    const widget = await openWidget(page, server);
    await widget.getByRole('radio', { name: 'Violence' }).check();
    await widget.getByRole('button', { name: 'Start chat' }).click();

    await widget.getByRole('heading', { name: widgetEn.unavailable.title }).waitFor();
    await widget.getByText(widgetEn.unavailable.text).waitFor();
    await widget.getByRole('link', { name: 'Call 1712' }).waitFor();
    await widget.getByRole('link', { name: 'Call 112' }).waitFor();
    await widget.getByRole('button', { name: 'Quick exit' }).waitFor();
    // Focus moved to the news, so a screen reader reads it.
    expect(await (await widgetFrame(page)).evaluate(() => document.activeElement?.tagName)).to.equal('H1');

    outage().end();
    await widget.getByRole('button', { name: widgetEn.unavailable.retry }).click();
    await widget.getByText(/You are number \d+ in the queue/).waitFor();
  });

  it('[SD5] words it for a perpetrator-prevention line in its own, non-judgemental way', async () => {
    outage().start();
    const page = await newPage();
    const widget = await openWidget(page, server, 'seos', 'fr');
    // SéOS offers one topic, so there is nothing to choose.
    await widget.getByRole('button', { name: widgetFr.start.submit }).click();
    await widget.getByRole('heading', { name: widgetFr.unavailable.title }).waitFor();
    await widget.getByText(widgetFr.unavailable['text_perpetrator-prevention']).waitFor();
    await widget.getByRole('link', { name: '0800 200 99' }).waitFor();
  });

  for (const [size, viewport] of [['320×640', PHONE], ['desktop', DESKTOP]] as const) {
    it(`[SD6] the unavailable view has no axe violations (${size})`, async () => {
      outage().start();
      const page = await newPage(await axeContext(browser, viewport));
      const widget = await openWidget(page, server);
      await widget.getByRole('radio', { name: 'Violence' }).check();
      await widget.getByRole('button', { name: 'Start chat' }).click();
      await widget.getByRole('heading', { name: widgetEn.unavailable.title }).waitFor();
      await expectNoViolations(await widgetFrame(page), 'the unavailable view');
    });
  }

  it('[SD7] comes back at once, without the backoff, when a draining node closes with 1012, and the chat goes on', async () => {
    const visitorContext = await browser.newContext();
    const operatorContext = await browser.newContext();
    contexts.push(visitorContext, operatorContext);
    // Route both sockets through the test, so it can close them as a draining node does.
    const opened: Record<'visitor' | 'operator', number[]> = { visitor: [], operator: [] };
    const drain: Record<'visitor' | 'operator', Array<() => Promise<void>>> = { visitor: [], operator: [] };
    for (const [kind, context] of [['visitor', visitorContext], ['operator', operatorContext]] as const) {
      await context.routeWebSocket(new RegExp(`/ws/${kind}`), (ws) => {
        opened[kind].push(Date.now());
        const upstream = ws.connectToServer();
        drain[kind].push(async () => {
          await ws.close({ code: 1012, reason: 'test: node draining' });
          await upstream.close();
        });
      });
    }
    const visitor = await visitorContext.newPage();
    const operator = await operatorContext.newPage();
    const widget = await connect(visitor, operator);
    const panel = operator.getByRole('region', { name: /1712/ });

    for (const kind of ['visitor', 'operator'] as const) {
      const drainedAt = Date.now();
      await drain[kind].at(-1)!();
      await until(() => opened[kind].length >= 2, 5_000);
      // The backoff's shortest wait is 250 ms; "at once" is well under it.
      expect(opened[kind][1]! - drainedAt, `${kind} reconnected after`).to.be.below(200);
    }

    await widget.getByRole('textbox', { name: 'Message' }).fill('SD5 after the restart');
    await widget.getByRole('button', { name: 'Send' }).click();
    await panel.getByText('SD5 after the restart').waitFor();
    await panel.getByRole('textbox', { name: consoleEn.chat.message }).fill('SD5 still here');
    await panel.getByRole('button', { name: consoleEn.chat.send }).click();
    await widget.getByRole('log').getByText('SD5 still here').waitFor();
    expect(server.frames.some((f) => f.direction === 'in' && f.frame.includes('"type":"resume"'))).to.equal(true);
  });
  it('[SD8] lets the operator accept again, and end again, after the store could not take the first try', async () => {
    const visitor = await newPage();
    const operator = await newPage();
    const widget = await openWidget(visitor, server);
    await startChat(widget);
    await signInOperator(operator, server, OPERATOR_1712.id);
    // Only the accept fails (a blip, no outage announced): the card is not left "Connecting…".
    outage().failOnly(['acceptOffer']);
    await operator.getByRole('button', { name: consoleEn.offer.accept }).click();
    await operator.getByText(consoleEn.errors.ERR_UNAVAILABLE).first().waitFor();
    outage().end();
    await operator.getByRole('button', { name: consoleEn.offer.accept }).click();
    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();

    // The same for the end: the wrap-up can be sent again, and then the chat ends.
    const panel = operator.getByRole('region', { name: /1712/ });
    await panel.getByLabel(consoleEn.chat.wrapUp).selectOption({ index: 1 });
    outage().failOnly(['endTicket']);
    await panel.getByRole('button', { name: consoleEn.chat.end }).click();
    await panel.getByText(consoleEn.errors.ERR_UNAVAILABLE).waitFor();
    outage().end();
    await panel.getByRole('button', { name: consoleEn.chat.end }).click();
    await widget.getByText(widgetEn.ended.by.operator).waitFor();
  });
});
