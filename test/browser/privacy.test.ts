import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../support/test-server.js';
import { encodings } from '../support/encodings.js';
import { crossOriginSetup, launchChromium, OPERATOR_1712, signInOperator, startChat, type CrossOriginSetup } from './browser.js';

describe('Browser privacy: a whole chat through the real widget and console (invariants 1–3)', () => {
  let setup: CrossOriginSetup;
  let quietline: TestServer;
  let host: CrossOriginSetup['host'];
  let browser: Browser;

  before(async () => {
    setup = await crossOriginSetup();
    ({ quietline, host } = setup);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await setup?.close();
  });

  it('[BP1] carries sentinel sentences both ways with none of them in any frame or log line, and leaves no storage on any origin', async () => {
    const sentinels = [
      'BP1-SENTINEL-visitor-4e1f: he checks my phone every evening',
      'BP1-SENTINEL-operator-a7c2: we can make a safety plan together, at your pace',
      'BP1-SENTINEL-visitor-0b93: dank je, ça m’aide — danke 🙏',
    ];
    const visitorContext = await browser.newContext();
    const operatorContext = await browser.newContext();
    const visitor = await visitorContext.newPage();
    const operator = await operatorContext.newPage();

    await visitor.goto(`${host.origin}/`);
    expect(host.origin).to.not.equal(quietline.url);
    await visitor.getByRole('button', { name: 'Chat with us' }).click();
    const widget = visitor.frameLocator('iframe');
    await startChat(widget);
    await signInOperator(operator, quietline, OPERATOR_1712.id);
    await operator.getByRole('button', { name: 'Accept' }).click();
    await widget.getByRole('heading', { name: 'Chat with Sam' }).waitFor();
    const panel = operator.getByRole('region', { name: /1712/ });

    await widget.getByRole('textbox', { name: 'Message' }).fill(sentinels[0]!);
    await widget.getByRole('button', { name: 'Send' }).click();
    await panel.getByText(sentinels[0]!).waitFor();
    await panel.getByRole('textbox', { name: 'Message' }).fill(sentinels[1]!);
    await panel.getByRole('button', { name: 'Send' }).click();
    await widget.getByRole('log').getByText(sentinels[1]!).waitFor();
    await widget.getByRole('textbox', { name: 'Message' }).fill(sentinels[2]!);
    await widget.getByRole('button', { name: 'Send' }).click();
    await panel.getByText(sentinels[2]!).waitFor();

    await widget.getByRole('button', { name: 'End chat' }).click();
    await widget.getByRole('button', { name: 'Yes, end the chat' }).click();
    await widget.getByRole('heading', { name: 'The chat has ended' }).waitFor();

    // Invariants 2 and 3: what the server saw and wrote.
    expect(quietline.frames.filter((f) => f.frame.includes('"type":"msg"')).length).to.be.at.least(3);
    for (const sentinel of sentinels) {
      for (const encoded of encodings(sentinel)) {
        for (const { frame } of quietline.frames) expect(frame).to.not.include(encoded);
        for (const line of quietline.logLines) expect(line).to.not.include(encoded);
      }
    }

    // Invariant 1: after the chat, nothing on the visitor's device, for any origin involved.
    const state = await visitorContext.storageState({ indexedDB: true });
    expect(state.cookies, 'cookies').to.deep.equal([]);
    expect(state.origins, 'localStorage/IndexedDB per origin').to.deep.equal([]);
    expect(visitorContext.serviceWorkers(), 'service workers').to.deep.equal([]);
    for (const frame of visitor.frames()) {
      // An API the browser refuses to this frame (e.g. CacheStorage in a third-party frame
      // on plain http) cannot hold anything either: count it as empty.
      // (Passed as text: the test runner's transpiler would wrap a named helper in code the
      // page does not have.)
      const stored = (await frame.evaluate(`(async () => {
        const count = async (read) => { try { return await read(); } catch { return 0; } };
        return {
          origin: location.origin,
          cookies: document.cookie,
          caches: await count(async () => (await caches.keys()).length),
          databases: await count(async () => (await indexedDB.databases()).length),
          local: await count(() => localStorage.length),
          session: await count(() => sessionStorage.length),
          workers: await count(async () => (await navigator.serviceWorker.getRegistrations()).length),
        };
      })()`)) as { origin: string; cookies: string; caches: number; databases: number; local: number; session: number; workers: number };
      expect(stored, stored.origin).to.deep.include({ cookies: '', caches: 0, databases: 0, local: 0, session: 0, workers: 0 });
    }
    expect(new Set(visitor.frames().map((f) => new URL(f.url()).origin))).to.deep.equal(new Set([host.origin, quietline.url]));

    await visitorContext.close();
    await operatorContext.close();
  });
});
