import { expect } from 'chai';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, openWidget, OPERATOR_1712, signInOperator, startChat } from './browser.js';

describe('Browser: a visitor and an operator chat through the widget and the console', () => {
  let server: TestServer;
  let browser: Browser;
  let visitorContext: BrowserContext;
  let operatorContext: BrowserContext;
  let visitor: Page;
  let operator: Page;
  let widget: FrameLocator;

  before(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    visitorContext = await browser.newContext();
    operatorContext = await browser.newContext();
    visitor = await visitorContext.newPage();
    operator = await operatorContext.newPage();
  });
  afterEach(async () => {
    await visitorContext.close();
    await operatorContext.close();
  });

  /** Visitor queued, operator accepted: both sides show the chat. */
  async function connect(): Promise<void> {
    widget = await openWidget(visitor, server);
    await startChat(widget);
    await signInOperator(operator, server, OPERATOR_1712.id);
    await operator.getByRole('button', { name: 'Accept' }).click();
    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();
  }

  const operatorPanel = () => operator.getByRole('region', { name: /1712/ });

  it('[BR1] exchanges end-to-end encrypted messages, then the visitor ends and the operator wraps up', async () => {
    await connect();
    const fromVisitor = 'BR1-visitor: I do not know where to start';
    const fromOperator = 'BR1-operator: take your time, I am listening';

    await widget.getByRole('textbox', { name: 'Message' }).fill(fromVisitor);
    await widget.getByRole('button', { name: 'Send' }).click();
    await operatorPanel().getByText(fromVisitor).waitFor();
    await widget.locator('.msg.mine[data-state="sent"]').waitFor();

    await operatorPanel().getByRole('textbox', { name: 'Message' }).fill(fromOperator);
    await operatorPanel().getByRole('textbox', { name: 'Message' }).press('Enter');
    await widget.getByRole('log').getByText(fromOperator).waitFor();

    // The relay only ever carried ciphertext.
    for (const { frame } of server.frames) {
      expect(frame).to.not.include('BR1-visitor');
      expect(frame).to.not.include('BR1-operator');
    }

    // Ending is asked once; the conversation then stays readable until cleared.
    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget.getByRole('button', { name: 'Yes, end the chat' }).click();
    await widget.getByRole('heading', { name: 'The chat has ended' }).waitFor();
    await widget.getByRole('log').getByText(fromOperator).waitFor();
    await widget.getByRole('button', { name: 'Clear now' }).click();
    await widget.getByRole('button', { name: 'Start a new chat' }).waitFor();
    expect(await widget.getByText(fromOperator).count()).to.equal(0);

    await operatorPanel().getByText(/The visitor has left the chat/).waitFor();
    await operatorPanel().getByLabel('Wrap-up category').selectOption('information');
    await operatorPanel().getByRole('button', { name: 'End chat' }).click();
    await operator.getByText('You have no open chats.').waitFor();
  });

  it('[BR2] reconnects after a dropped connection, resumes, and delivers what was sent meanwhile', async () => {
    // Route the visitor's socket through the test so it can be cut like a network drop.
    let connections = 0;
    let cut: (() => Promise<void>) | null = null;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await visitorContext.routeWebSocket(/\/ws\/visitor/, async (page) => {
      connections += 1;
      // The reconnect waits until the test has sent messages across the gap.
      if (connections > 1) await held;
      const upstream = page.connectToServer();
      cut = async () => {
        await page.close({ code: 1012, reason: 'test: connection lost' });
        await upstream.close();
      };
    });
    await connect();
    await operatorPanel().getByRole('textbox', { name: 'Message' }).fill('BR2 before the drop');
    await operatorPanel().getByRole('button', { name: 'Send' }).click();
    await widget.getByText('BR2 before the drop').waitFor();

    await cut!();
    await widget.getByText('Reconnecting…').waitFor();
    await widget.getByRole('textbox', { name: 'Message' }).fill('BR2 typed while offline');
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.locator('.msg.mine[data-state="sending"]').waitFor();
    await operatorPanel().getByRole('textbox', { name: 'Message' }).fill('BR2 sent during the gap');
    await operatorPanel().getByRole('button', { name: 'Send' }).click();
    await operatorPanel().locator('.msg.mine[data-state="sent"]', { hasText: 'BR2 sent during the gap' }).waitFor();
    release();

    await widget.getByText('BR2 sent during the gap').waitFor();
    await operatorPanel().getByText('BR2 typed while offline').waitFor();
    await widget.locator('.msg.mine[data-state="sent"]', { hasText: 'BR2 typed while offline' }).waitFor();
    expect(await widget.getByText('BR2 before the drop').count()).to.equal(1);
    expect(server.frames.some((f) => f.direction === 'in' && f.frame.includes('"type":"resume"'))).to.equal(true);
  });

  it('[BR3] shows a refused sign-in in plain words and stays on the form', async () => {
    await operator.goto(`${server.url}/console/`);
    await operator.getByRole('textbox', { name: 'Operator ID' }).fill(OPERATOR_1712.id);
    await operator.getByLabel('Password').fill('not the password');
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await operator.getByRole('alert').getByText('Unknown operator ID or wrong password.').waitFor();
  });
});
