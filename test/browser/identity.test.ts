import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { ChatCipher } from '../../e2e/chat-cipher.js';
import { newSigningKeyPair, proveChatKey, readyIdentity, type OperatorIdentityFile } from '../../identity/certificates.js';
import { startTestServer, type TestOperator, type TestServer } from '../support/test-server.js';
import { axeContext, DESKTOP, expectNoViolations, PHONE } from './axe.js';
import {
  buildWithOrgKey,
  launchChromium,
  linesWithEnglish,
  loadIdentityKey,
  OPERATOR_1712,
  openWidget,
  signInOperator,
  startChat,
  writeIdentityFile,
} from './browser.js';

/**
 * Operator identity end to end: a widget built with the organisation's public key trusts
 * only chat keys signed by an operator the organisation certified. A relay that answers
 * with a key of its own — even one "certified" by a key of its own — gets nothing.
 * (Set QUIETLINE_SCREENSHOTS to a folder to keep pictures of the views for review.)
 */
describe('Browser: operator identity (a widget built with an organisation key)', function () {
  this.timeout(60_000);

  let dir: string;
  let publicDir: string;
  let org: { publicKey: string; secretKey: string };
  let impostorOrg: { publicKey: string; secretKey: string };
  let sam: { path: string; identity: OperatorIdentityFile };
  let impostor: { path: string; identity: OperatorIdentityFile };
  let browser: Browser;
  let server: TestServer | null = null;
  let visitorContext: BrowserContext;
  let operatorContext: BrowserContext;
  let visitor: Page;
  let operator: Page;
  const shots = process.env.QUIETLINE_SCREENSHOTS;
  const sam1712 = { id: OPERATOR_1712.id, name: OPERATOR_1712.name };

  before(async () => {
    await readyIdentity();
    org = newSigningKeyPair();
    impostorOrg = newSigningKeyPair();
    dir = mkdtempSync(join(tmpdir(), 'quietline-identity-'));
    publicDir = buildWithOrgKey(dir, org.publicKey);
    sam = writeIdentityFile(dir, 'op-1712.quietline-identity.json', org.secretKey, sam1712);
    // Looks just like Sam's, but certified by a key the widget was not built with.
    impostor = writeIdentityFile(dir, 'impostor.quietline-identity.json', impostorOrg.secretKey, sam1712);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
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
    await server?.close();
    server = null;
  });

  /** A server per test (no visitor left over from another), serving the widget built with `org`. */
  async function start(orgPublicKey: string, operators: TestOperator[] = [OPERATOR_1712]): Promise<TestServer> {
    server = await startTestServer({ operators, config: { lines: await linesWithEnglish(), publicDir, orgPublicKey } });
    return server;
  }

  const operatorPanel = () => operator.getByRole('region', { name: /1712/ });
  const accept = () => operator.getByRole('button', { name: 'Accept' });
  const framesOf = (s: TestServer, kind: 'visitor' | 'operator', direction: 'in' | 'out', type: string) =>
    s.frames.filter((f) => f.kind === kind && f.direction === direction && (JSON.parse(f.frame) as { type: string }).type === type);

  /** Visitor waiting, operator signed in with `identityPath` loaded, offer accepted. */
  async function acceptWith(s: TestServer, identityPath: string): Promise<FrameLocator> {
    const widget = await openWidget(visitor, s);
    await startChat(widget);
    await signInOperator(operator, s, OPERATOR_1712.id);
    await loadIdentityKey(operator, identityPath);
    await accept().click();
    return widget;
  }

  it('[ID1] a certified operator accepts; the widget verifies the key and shows the certified name; messages flow both ways', async () => {
    const s = await start(org.publicKey);
    const widget = await openWidget(visitor, s);
    await startChat(widget);
    await signInOperator(operator, s, OPERATOR_1712.id);

    await operator.getByLabel('Load identity key').setInputFiles(sam.path);
    const expires = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(sam.identity.certificate.expires);
    await operator.locator('.top-bar').getByText(`Identity: Sam, valid until ${expires}`).waitFor();
    expect(await operator.getByLabel('Load identity key').isHidden(), 'the control goes once a key is loaded').to.equal(true);
    await accept().click();

    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();
    await widget.getByText('Sam has joined the chat.').waitFor();
    await widget.getByRole('textbox', { name: 'Message' }).fill('ID1 from the visitor');
    await widget.getByRole('button', { name: 'Send' }).click();
    await operatorPanel().getByText('ID1 from the visitor').waitFor();
    await operatorPanel().getByRole('textbox', { name: 'Message' }).fill('ID1 from Sam');
    await operatorPanel().getByRole('textbox', { name: 'Message' }).press('Enter');
    await widget.getByRole('log').getByText('ID1 from Sam').waitFor();

    // The accept carried a proof; the visitor got it; the secret half never left the console.
    const [acceptFrame] = framesOf(s, 'operator', 'in', 'accept');
    expect(JSON.parse(acceptFrame!.frame)).to.have.nested.property('proof.certificate.signature', sam.identity.certificate.signature);
    expect(JSON.parse(framesOf(s, 'visitor', 'out', 'connected')[0]!.frame)).to.have.property('proof');
    for (const { frame } of s.frames) expect(frame).to.not.include(sam.identity.secretKey);
    // Memory only: nothing of the key in any storage of the console's origin.
    expect((await operatorContext.storageState({ indexedDB: true })).origins).to.deep.equal([]);
    const stored = (await operator.evaluate('({ local: localStorage.length, session: sessionStorage.length })')) as object;
    expect(stored).to.deep.equal({ local: 0, session: 0 });
    if (shots) await operator.screenshot({ path: join(shots, 'id1-console-identity-loaded.png'), fullPage: true });

    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget.getByRole('button', { name: 'Yes, end the chat' }).click();
    await widget.getByRole('heading', { name: 'The chat has ended' }).waitFor();
  });

  it('[ID2] the console cannot accept before the key is loaded, refuses files that are not this operator’s, and says so when the server refuses a key', async () => {
    const s = await start(org.publicKey);
    const widget = await openWidget(visitor, s);
    await startChat(widget);
    await signInOperator(operator, s, OPERATOR_1712.id);

    // The offer shows, but Accept waits for the key and says why.
    await accept().waitFor();
    expect(await accept().isDisabled()).to.equal(true);
    const hint = operator.getByText('Load your identity key before you accept this chat.');
    await hint.waitFor();
    expect(await accept().getAttribute('aria-describedby')).to.equal(await hint.getAttribute('id'));
    if (shots) await operator.screenshot({ path: join(shots, 'id2-console-needs-key.png'), fullPage: true });

    // Files that are not this operator's valid identity are refused in plain words.
    const notAKey = join(dir, 'not-a-key.json');
    writeFileSync(notAKey, '{"hello":"world"}');
    await operator.getByLabel('Load identity key').setInputFiles(notAKey);
    await operator.getByRole('alert').getByText('This file is not an identity key.', { exact: false }).waitFor();
    const someoneElse = writeIdentityFile(dir, 'someone-else.json', org.secretKey, { id: 'op-other', name: 'Alex' });
    await operator.getByLabel('Load identity key').setInputFiles(someoneElse.path);
    await operator.getByRole('alert').getByText('This identity key belongs to another operator.', { exact: false }).waitFor();
    const expired = writeIdentityFile(dir, 'expired.json', org.secretKey, sam1712, Date.now() - 60_000);
    await operator.getByLabel('Load identity key').setInputFiles(expired.path);
    await operator.getByRole('alert').getByText('This identity key expired on', { exact: false }).waitFor();
    expect(await accept().isDisabled()).to.equal(true);
    if (shots) await operator.screenshot({ path: join(shots, 'id2-console-wrong-file.png'), fullPage: true });

    // Forced with a key the console cannot tell apart (another organisation's): the server
    // refuses, the console says so, and the offer stays for another try.
    await loadIdentityKey(operator, impostor.path);
    await accept().click();
    await operator.getByRole('alert').getByText('Your identity key was not accepted.', { exact: false }).waitFor();
    expect(framesOf(s, 'operator', 'out', 'error').map((f) => JSON.parse(f.frame) as { code: string })).to.deep.include.members([
      { type: 'error', code: 'ERR_IDENTITY_REQUIRED', ticket: (JSON.parse(framesOf(s, 'visitor', 'out', 'queued')[0]!.frame) as { chat: string }).chat },
    ]);
    expect(framesOf(s, 'visitor', 'out', 'connected')).to.deep.equal([]);
    expect(await accept().isDisabled()).to.equal(true);
    if (shots) await operator.screenshot({ path: join(shots, 'id2-console-refused.png'), fullPage: true });

    // With the right key the same offer goes through.
    await loadIdentityKey(operator, sam.path);
    await accept().click();
    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();
  });

  it('[ID3] a relay that answers with its own key (certified by another organisation key) is refused by the widget, which sends nothing', async () => {
    // This relay vouches for the impostor's key; the widget it serves was built with ours.
    const s = await start(impostorOrg.publicKey);
    const widget = await acceptWith(s, impostor.path);

    await widget.getByRole('heading', { name: 'The chat was stopped for your safety' }).waitFor();
    await widget.getByText('We could not confirm that the person answering belongs to this helpline', { exact: false }).waitFor();
    await widget.getByRole('link', { name: 'Call 1712' }).waitFor();
    await widget.getByRole('main').getByRole('link', { name: 'Call 112' }).waitFor();
    expect(await widget.getByRole('textbox', { name: 'Message' }).count()).to.equal(0);
    if (shots) await visitor.screenshot({ path: join(shots, 'id3-widget-safety-view.png') });

    // The chat was ended for the visitor; not one message (nor typing) went to the impostor.
    await operatorPanel().getByText(/The visitor has left the chat/).waitFor();
    expect(framesOf(s, 'visitor', 'in', 'end').map((f) => f.frame)).to.deep.equal(['{"type":"end","quick":false}']);
    expect(framesOf(s, 'visitor', 'in', 'msg')).to.deep.equal([]);
    expect(framesOf(s, 'visitor', 'in', 'typing')).to.deep.equal([]);
  });

  it('[ID4] shows the certified name, not the name the server sends', async () => {
    const s = await start(org.publicKey, [{ ...OPERATOR_1712, name: 'A name the relay chose' }]);
    const widget = await acceptWith(s, sam.path);
    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();
    expect(JSON.parse(framesOf(s, 'visitor', 'out', 'connected')[0]!.frame)).to.include({ operator: 'A name the relay chose' });
    expect(await widget.getByText('A name the relay chose').count()).to.equal(0);
  });

  it('[ID5] on a resume, a different operator key for the established chat is refused, even with a valid proof', async () => {
    const s = await start(org.publicKey);
    // The visitor's socket runs through the test: after a drop, the "relay" swaps the key.
    const swapped = (await ChatCipher.create('operator')).publicKey;
    let connections = 0;
    let cut: (() => Promise<void>) | null = null;
    await visitorContext.routeWebSocket(/\/ws\/visitor/, (ws) => {
      connections += 1;
      const upstream = ws.connectToServer();
      if (connections > 1) {
        upstream.onMessage((message) => {
          const m = JSON.parse(String(message)) as { type: string; key?: string; proof?: unknown };
          if (m.type === 'connected') {
            const chat = (JSON.parse(framesOf(s, 'visitor', 'out', 'queued')[0]!.frame) as { chat: string }).chat;
            // Signed by Sam's own certified identity: only the key changed.
            Object.assign(m, { key: swapped, proof: proveChatKey(sam.identity, chat, swapped, Date.now()) });
          }
          ws.send(JSON.stringify(m));
        });
      }
      cut = async () => {
        await ws.close({ code: 1012, reason: 'test: connection lost' });
        await upstream.close();
      };
    });
    const widget = await acceptWith(s, sam.path);
    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();
    await widget.getByRole('textbox', { name: 'Message' }).fill('ID5 before the drop');
    await widget.getByRole('button', { name: 'Send' }).click();
    await operatorPanel().getByText('ID5 before the drop').waitFor();
    await widget.locator('.msg.mine[data-state="sent"]').waitFor(); // acked: nothing left to resend
    const sentBefore = framesOf(s, 'visitor', 'in', 'msg').length;

    await cut!();
    await widget.getByRole('heading', { name: 'The chat was stopped for your safety' }).waitFor();
    await operatorPanel().getByText(/The visitor has left the chat/).waitFor();
    expect(connections).to.equal(2);
    expect(framesOf(s, 'visitor', 'in', 'resume')).to.have.length(1);
    expect(framesOf(s, 'visitor', 'in', 'msg')).to.have.length(sentBefore);
    expect(framesOf(s, 'visitor', 'in', 'end').map((f) => f.frame)).to.deep.equal(['{"type":"end","quick":false}']);
  });

  it('[ID6] the demo (no organisation key) asks for no identity key and checks nothing', async () => {
    // The default test server: dist/public, the demo build, and no organisation key.
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    const widget = await openWidget(visitor, server);
    await startChat(widget);
    await signInOperator(operator, server, OPERATOR_1712.id);
    await accept().click();
    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();
    expect(await operator.getByLabel('Load identity key').isHidden()).to.equal(true);
    expect(JSON.parse(framesOf(server, 'operator', 'in', 'accept')[0]!.frame)).to.not.have.property('proof');
  });

  it('[ID7] the key control, a locked offer and the safety view pass axe (WCAG 2.1 A/AA), the widget at 320px', async () => {
    const s = await start(impostorOrg.publicKey);
    const phone = await axeContext(browser, PHONE);
    const desk = await axeContext(browser, DESKTOP);
    try {
      const page = await phone.newPage();
      const console = await desk.newPage();
      const widget = await openWidget(page, s);
      await startChat(widget);
      await signInOperator(console, s, OPERATOR_1712.id);
      await console.getByText('Load your identity key before you accept this chat.').waitFor();
      await expectNoViolations(console, 'the console waiting for the identity key');
      await loadIdentityKey(console, impostor.path);
      await expectNoViolations(console, 'the console with an identity key loaded');
      await console.getByRole('button', { name: 'Accept' }).click();
      await widget.getByRole('heading', { name: 'The chat was stopped for your safety' }).waitFor();
      const frame = await (await page.locator('#quietline-frame').elementHandle())!.contentFrame();
      await expectNoViolations(frame!, 'the widget safety view');
    } finally {
      await phone.close();
      await desk.close();
    }
  });
});
