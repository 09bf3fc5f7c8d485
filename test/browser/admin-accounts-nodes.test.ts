import { expect } from 'chai';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { systemClock } from '../../server/clock.js';
import { openSharedState, type SharedState } from '../../server/shared-state.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';
import { startTestServer, type TestOperator, type TestServer } from '../support/test-server.js';
import { launchChromium, linesWithEnglish, signInOperator } from './browser.js';

const ADMIN: TestOperator = { id: 'op-admin', name: 'Ada', role: 'admin', lines: ['1712'], languages: ['nl', 'en'], topics: ['violence'] };
const PREFIX = 'admin-nodes';
const PASSWORD = 'a passphrase the admin chose';

/**
 * The admin's account management end to end: a real console in Chromium on node A, the
 * new operator's console on node B, both nodes in this process on one real Redis, each with
 * its own connections (as separate processes would have). Nothing is intercepted.
 */
describe('Browser: an admin manages accounts across nodes on Redis', () => {
  let redis: RedisProcess;
  const shared: SharedState[] = [];
  let a: TestServer;
  let b: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    redis = await startRedis();
    const lines = await linesWithEnglish();
    for (const nodeId of ['node-a', 'node-b']) {
      const state = await openSharedState({ redisUrl: redis.url, prefix: PREFIX, clock: systemClock, logger: pino({ level: 'silent' }) });
      shared.push(state);
      const server = await startTestServer({ operators: [ADMIN], nodeId, config: { lines }, shared: { store: state.store, bus: state.bus, keyPrefix: PREFIX } });
      if (nodeId === 'node-a') a = server;
      else b = server;
    }
    browser = await launchChromium();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await a?.close();
    await b?.close();
    for (const state of shared) await state.close();
    await redis?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Brussels' });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  }

  it('adds an operator on node A who then signs in on node B, and removing them closes their console on B at once', async () => {
    const admin = await newPage();
    await signInOperator(admin, a, ADMIN.id);
    const accounts = admin.getByRole('region', { name: 'Operator accounts' });
    await accounts.getByRole('button', { name: 'Add an operator' }).click();
    const form = admin.getByRole('dialog');
    await form.getByLabel('Operator ID').fill('op-noor');
    await form.getByLabel('Display name').fill('Noor');
    await form.getByRole('group', { name: 'Lines' }).getByLabel('1712').check();
    await form.getByRole('group', { name: 'Languages' }).getByLabel('Nederlands').check();
    await form.getByRole('group', { name: 'Topics' }).getByLabel('Violence', { exact: true }).check();
    await form.getByLabel('Initial password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Add operator' }).click();
    await accounts.getByRole('status').getByText('Noor was added.').waitFor();

    // Another browser, the other node: the new account signs in with what the admin typed.
    const noor = await newPage();
    await noor.goto(`${b.url}/console/`);
    await noor.getByRole('textbox', { name: 'Operator ID' }).fill('op-noor');
    await noor.getByLabel('Password').fill(PASSWORD);
    await noor.getByRole('button', { name: 'Sign in' }).click();
    await noor.locator('button[aria-pressed]:enabled', { hasText: 'Available' }).waitFor();
    expect(await noor.getByRole('region', { name: 'Operator accounts' }).count(), 'an operator has no accounts section').to.equal(0);
    expect((await shared[1]!.store.getPresence('op-noor'))?.name).to.equal('Noor');

    // Removed on A: B closes Noor's console now, long before its minute's re-check.
    await accounts.getByRole('button', { name: 'Remove Noor' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Remove Noor' }).click();
    await accounts.getByRole('status').getByText('Noor was removed.').waitFor();
    await noor.getByText('Your session has expired. Please sign in again.').waitFor({ timeout: 5_000 });
    await noor.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await shared[0]!.store.getAccount('op-noor')).to.equal(undefined);
  });
});
