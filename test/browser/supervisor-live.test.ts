import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PATHS, type StaffingResponse, type StaffingRow } from '../../protocol/http.js';
import { SUPERVISOR_EVERY_MS } from '../../server/stats/supervisor-feed.js';
import { TestOperator, TestVisitor } from '../support/chat-parties.js';
import { operatorSocket, visitorSocket } from '../support/socket-client.js';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/test-server.js';
import { settle } from '../support/settle.js';
import { DESKTOP, expectNoViolations, PHONE } from './axe.js';
import { launchChromium } from './browser.js';

/**
 * The supervisor view against the real server: no frame is injected. The server runs on a
 * manual clock, so the test decides when the 2-second feed goes and how long a visitor
 * waited before leaving (a short abandon or an abandon), and nothing waits on wall time.
 */

const DUTCH = { lines: ['1712'], languages: ['nl'], topics: ['violence', 'abuse', 'child-abuse'] };
const OPERATORS = [
  { id: 'anna', name: 'Anna', ...DUTCH, capacity: 1 },
  { id: 'bram', name: 'Bram', ...DUTCH },
  // The supervisor never sets herself available: no offer comes to her console.
  { id: 'sofie', name: 'Sofie', role: 'supervisor' as const, ...DUTCH },
];
const SHORT_ABANDON_MS = 5_000;

const section = (page: Page) => page.getByRole('region', { name: 'Supervision' });
const staffing = (page: Page) => page.locator('section.staffing');

/** The figures of the queue 1712 · Dutch · Violence · Chat, as its row shows them. */
interface QueueCells {
  waiting: string;
  answered: string;
  abandoned: string;
  shortAbandoned: string;
}

/** Waits (polling the page, no sleeps) until the queue's row shows these figures. */
async function queueShows(page: Page, expected: QueueCells): Promise<void> {
  await page.waitForFunction((want) => {
    const row = Array.from(document.querySelectorAll('table.queue-table tbody tr')).find((tr) => {
      const cells = Array.from(tr.querySelectorAll('.cell-value'), (c) => c.textContent);
      return cells[0] === '1712' && cells[1] === 'Dutch' && cells[2] === 'Violence' && cells[3] === 'Chat';
    });
    if (!row) return false;
    const cells = Array.from(row.querySelectorAll('.cell-value'), (c) => c.textContent);
    return cells[5] === want.waiting && cells[7] === want.answered && cells[8] === want.abandoned && cells[9] === want.shortAbandoned;
  }, expected);
}

/** Signs in through the console's form; resolves once the socket said welcome (still away). */
async function signInConsole(page: Page, server: TestServer, id: string): Promise<void> {
  await page.goto(`${server.url}/console/`);
  await page.getByRole('textbox', { name: 'Operator ID' }).fill(id);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('button[aria-pressed]:enabled', { hasText: 'Available' }).waitFor();
}

describe('Browser: the supervisor view with the real server', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every staffing request this page made. */
  let staffingRequests: string[];
  let requested: string[];

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await startTestServer({ clock: 'manual', operators: OPERATORS, config: { shortAbandonMs: SHORT_ABANDON_MS } });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/Brussels' });
    context.setDefaultTimeout(10_000);
    staffingRequests = [];
    requested = [];
    context.on('request', (r) => {
      requested.push(r.url());
      if (new URL(r.url()).pathname === PATHS.statsStaffing) staffingRequests.push(r.url());
    });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
    await server?.close();
  });

  /**
   * Lets the server's clock run to its next 2-second round and waits until that round's
   * figures have gone out (a round schedules the next only once it has been sent).
   */
  async function feed(): Promise<void> {
    const clock = server.manualClock!;
    for (let round = 0; round < 20; round++) {
      clock.advance(SUPERVISOR_EVERY_MS);
      await settle();
      const sent = server.frames.some((f) => f.direction === 'out' && f.kind === 'operator' && f.frame.includes('"type":"supervisor"') && (JSON.parse(f.frame) as { at: number }).at === clock.now());
      if (sent) return;
    }
    throw new Error('the supervisor feed sent no figures');
  }

  it('[SL1] never shows an operator the Supervision section, nor reads the staffing estimate', async () => {
    await signInConsole(page, server, 'bram');
    await page.getByRole('heading', { name: 'Your chats' }).waitFor();
    server.manualClock!.advance(3 * SUPERVISOR_EVERY_MS);
    await settle();
    expect(await section(page).count()).to.equal(0);
    expect(await page.getByText('Supervision').isVisible()).to.equal(false);
    expect(server.frames.filter((f) => f.direction === 'out' && f.frame.includes('"type":"supervisor"'))).to.deep.equal([]);
    expect(staffingRequests).to.deep.equal([]);
    expect(requested.filter((url) => /uPlot/i.test(url))).to.deep.equal([]);
  });

  it('[SL2] counts visitors waiting, answered, abandoned and short-abandoned in the queue\'s row', async () => {
    await signInConsole(page, server, 'sofie');
    await section(page).getByText('No queues to show yet.').waitFor();

    // Two visitors queue: "waiting" rises with each.
    const first = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await feed();
    await queueShows(page, { waiting: '1', answered: '0', abandoned: '0', shortAbandoned: '0' });
    const second = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    await feed();
    await queueShows(page, { waiting: '2', answered: '0', abandoned: '0', shortAbandoned: '0' });

    // Anna (one chat at a time) answers the first: one fewer waiting, one answered.
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    expect(await anna.acceptNextOffer()).to.equal(first.chat);
    await feed();
    await queueShows(page, { waiting: '1', answered: '1', abandoned: '0', shortAbandoned: '0' });

    // A third leaves a second after asking: within the short-abandon time.
    const third = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    server.manualClock!.advance(1_000);
    third.socket.send({ type: 'end', quick: false });
    await third.socket.next('ended');
    await feed();
    await queueShows(page, { waiting: '1', answered: '1', abandoned: '0', shortAbandoned: '1' });

    // The second has waited longer than that by now, and leaves: an abandon.
    server.manualClock!.advance(SHORT_ABANDON_MS);
    second.socket.send({ type: 'end', quick: false });
    await second.socket.next('ended');
    await feed();
    await queueShows(page, { waiting: '0', answered: '1', abandoned: '1', shortAbandoned: '1' });
  });

  it('[SL3] downloads the CSV of the chosen days from the server', async () => {
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'abuse');
    await anna.acceptNextOffer();
    await signInConsole(page, server, 'sofie');
    const link = section(page).getByRole('link', { name: 'Download CSV' });
    // The range follows the server's day (the manual clock's 23 November 2026).
    await page.locator('a.button-link[href$="to=2026-11-23"]').waitFor();
    expect(await link.getAttribute('href')).to.equal(`${PATHS.statsExport}?from=2026-11-01&to=2026-11-23`);

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header!.startsWith('start_utc,local_date,local_time,line,language,topic,channel')).to.equal(true);
    expect(rows.some((row) => row.includes(',1712,nl,abuse,chat,'))).to.equal(true);
  });

  it('[SL4] says so when there is no history yet, and reads the estimate once, not with every round', async () => {
    await signInConsole(page, server, 'sofie');
    await staffing(page).getByText('Not enough history yet.').waitFor();
    expect(await staffing(page).getByRole('table').count()).to.equal(0);
    expect(await staffing(page).getByText(/Erlang C assumes/).isVisible()).to.equal(false);
    await feed();
    await feed();
    await feed();
    await section(page).getByText('As of ').waitFor();
    expect(staffingRequests).to.have.length(1);
  });

  it('[SL5] shows the last weeks\' hours per queue, with the shortfall in words', async () => {
    // Monday 23 November 2026, 11:00 in Brussels: two visitors; Anna talks with one for
    // 90 s, the other gives up. Then Anna goes away, and the day becomes history.
    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    const chat = await anna.acceptNextOffer();
    await visitor.connected();
    const leaver = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    server.manualClock!.advance(90_000);
    anna.socket.send({ type: 'end', chat, wrapUp: 'information' });
    await anna.socket.next('ended');
    leaver.socket.send({ type: 'end', quick: false });
    await leaver.socket.next('ended');
    anna.socket.send({ type: 'status', status: 'away' });
    await anna.socket.next('status');
    anna.socket.close();
    server.manualClock!.advance(24 * 3600_000);
    await settle();

    await signInConsole(page, server, 'sofie');
    const table = page.getByRole('table', { name: 'Staffing estimate (last 4 weeks)' });
    await table.waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('.cell-value'), (c) => c.textContent)));
    // Two arrivals on the one Monday counted so far (the deployment is a day old, so it is
    // not averaged over four weeks): 2.0 an hour; handle times are kept in whole minutes (1:30
    // counts as 2:00). Erlang C: one operator is enough for 80 % within 60 s; nobody was on
    // duty on average (a minute of Anna's is 0.0).
    expect(rows).to.deep.equal([['1712 · Dutch · Violence · Chat', 'Monday 11:00–12:00', '2.0', '2:00', '1', '0.0', '⚠ Short by 1']]);
    expect(await table.locator('tbody tr').getAttribute('class')).to.equal('short');
    await staffing(page).getByText(/Erlang C assumes one contact per operator at a time and nobody abandoning/).waitFor();
  });

  it('[SL6] reads the estimate again after 15 minutes', async () => {
    await context.clock.install();
    await signInConsole(page, server, 'sofie');
    await staffing(page).getByText('Not enough history yet.').waitFor();
    expect(staffingRequests).to.have.length(1);
    await page.clock.fastForward('14:00');
    await feed();
    expect(staffingRequests).to.have.length(1);
    const again = page.waitForRequest((r) => new URL(r.url()).pathname === PATHS.statsStaffing);
    await page.clock.fastForward('01:01');
    await again;
    expect(staffingRequests).to.have.length(2);
  });
});

/** A staffing row of the test's own, for what the server's few weeks cannot show at once. */
function row(overrides: Partial<StaffingRow>): StaffingRow {
  return { line: '1712', language: 'nl', topic: 'violence', channel: 'chat', weekday: 1, hour: 10, arrivals: 2.25, handleSeconds: 754.4, needed: 3, staffed: 3.2, ...overrides };
}

describe('Browser: the staffing table (the estimate answered by the test)', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    server = await startTestServer({ clock: 'manual', operators: OPERATORS });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
  });

  /** bypassCSP only so axe can be injected (axe.ts). */
  async function openWith(answer: { status: number; json: unknown }): Promise<void> {
    context = await browser.newContext({ bypassCSP: true, viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Europe/Brussels' });
    context.setDefaultTimeout(10_000);
    await context.route(`**${PATHS.statsStaffing}`, (route) => route.fulfill({ status: answer.status, json: answer.json }));
    page = await context.newPage();
    await signInConsole(page, server, 'sofie');
  }
  const estimate = (rows: StaffingRow[]): { status: number; json: StaffingResponse } =>
    ({ status: 200, json: { weeks: 4, from: '2026-10-26T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', rows } });
  const staffingRows = (p: Page) => p.locator('table.staffing-table tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('.cell-value'), (c) => c.textContent)));

  it('[ST1] puts the largest shortfall first, then the week in order, and marks short hours in words', async () => {
    await openWith(estimate([
      row({ weekday: 1, hour: 10 }),
      row({ weekday: 3, hour: 14, needed: 4, staffed: 2 }),
      row({ weekday: 2, hour: 9, channel: 'call', arrivals: 0.75, handleSeconds: 600, needed: 2, staffed: 1.45 }),
      row({ weekday: 7, hour: 23, needed: null, staffed: 1 }),
    ]));
    const table = page.getByRole('table', { name: 'Staffing estimate (last 4 weeks)' });
    await table.waitFor();
    expect(await staffingRows(page)).to.deep.equal([
      ['1712 · Dutch · Violence · Chat', 'Sunday 23:00–24:00', '2.3', '12:34', '—', '1.0', '⚠ Beyond the estimate'],
      ['1712 · Dutch · Violence · Chat', 'Wednesday 14:00–15:00', '2.3', '12:34', '4', '2.0', '⚠ Short by 2'],
      ['1712 · Dutch · Violence · Phone call', 'Tuesday 09:00–10:00', '0.8', '10:00', '2', '1.5', '⚠ Short by 0.5'],
      ['1712 · Dutch · Violence · Chat', 'Monday 10:00–11:00', '2.3', '12:34', '3', '3.2', 'Enough'],
    ]);
    expect(await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.className))).to.deep.equal(['short', 'short', 'short', '']);
    // Not by colour alone: the short rows' header cell has an edge.
    expect(await table.locator('tbody tr.short th').first().evaluate((el) => getComputedStyle(el).boxShadow)).to.not.equal('none');
    expect(await page.getByRole('button', { name: /^Show all/ }).count()).to.equal(0);

    // In Dutch: the same rows, in its words.
    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    await page.getByRole('table', { name: 'Geschatte bezetting (afgelopen 4 weken)' }).waitFor();
    expect((await staffingRows(page))[1]).to.deep.equal(['1712 · Nederlands · Geweld · Chat', 'Woensdag 14:00–15:00', '2,3', '12:34', '4', '2,0', '⚠ 2 te weinig']);
    await page.getByText(/voor chats schat het de behoefte dus te hoog in/).waitFor();
  });

  it('[ST2] shows the first 20 hours, the rest behind "Show all"', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => row({ weekday: 1 + (i % 7), hour: 8 + Math.floor(i / 7), needed: i % 3 === 0 ? 3 : 1, staffed: 1 }));
    await openWith(estimate(rows));
    const table = page.getByRole('table', { name: 'Staffing estimate (last 4 weeks)' });
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).to.equal(20);
    // The ten short hours come first.
    expect((await staffingRows(page)).slice(0, 10).every((cells) => cells[6] === '⚠ Short by 2')).to.equal(true);
    await page.getByText('The 20 hours with the largest shortfall, of 30.').waitFor();
    const toggle = page.getByRole('button', { name: 'Show all 30' });
    expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
    await toggle.click();
    await page.waitForFunction(() => document.querySelectorAll('table.staffing-table tbody tr').length === 30);
    const fewer = page.getByRole('button', { name: 'Show only the first 20' });
    expect(await fewer.getAttribute('aria-expanded')).to.equal('true');
    expect(await fewer.evaluate((el) => el === document.activeElement)).to.equal(true);
    await fewer.click();
    await page.waitForFunction(() => document.querySelectorAll('table.staffing-table tbody tr').length === 20);

    await expectNoViolations(page, 'the staffing table');
    await page.setViewportSize(PHONE);
    await expectNoViolations(page, 'the staffing table at phone width');
  });

  it('[ST3] says briefly when the estimate could not be read, or may not be', async () => {
    await openWith({ status: 500, json: { error: { code: 'ERR_INTERNAL', message: 'x' } } });
    await page.locator('section.staffing').getByText('The staffing estimate could not be loaded. It will be tried again shortly.').waitFor();
    expect(await page.locator('table.staffing-table').isVisible()).to.equal(false);
    await context.close();

    await openWith({ status: 403, json: { error: { code: 'ERR_FORBIDDEN', message: 'x' } } });
    await page.locator('section.staffing').getByText('Only supervisors can see the staffing estimate.').waitFor();
    expect(await page.locator('table.staffing-table').isVisible()).to.equal(false);
  });
});
