import { expect } from 'chai';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import type { ServerToOperator } from '../../protocol/operator-messages.js';
import type { CurvePoint, QueueFigures, SupervisorMessage } from '../../protocol/supervisor-messages.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { DESKTOP, expectNoViolations, PHONE } from './axe.js';
import { launchChromium, linesWithEnglish, OPERATOR_1712, signInOperator } from './browser.js';

/**
 * The supervisor's live view in the console. The test stands between console and server:
 * it rewrites the welcome's role (the account is an operator's, so the server itself never
 * sends `supervisor` frames and every figure on screen is one the test injected).
 */

type Role = 'operator' | 'supervisor' | 'admin';

interface Relay {
  inject(message: SupervisorMessage): void;
}

async function relayAs(context: BrowserContext, role: Role): Promise<Relay> {
  let current: WebSocketRoute | null = null;
  await context.routeWebSocket(/\/ws\/operator/, (ws) => {
    current = ws;
    const upstream = ws.connectToServer();
    upstream.onMessage((raw) => {
      const message = JSON.parse(String(raw)) as ServerToOperator;
      if (message.type === 'welcome') message.operator.role = role;
      ws.send(JSON.stringify(message));
    });
  });
  return {
    inject: (message) => {
      if (!current) throw new Error('the console has no socket yet');
      current.send(JSON.stringify(message));
    },
  };
}

/** 10:30:05 in Brussels on 15 March 2027 (UTC+1). */
const AT = Date.parse('2027-03-15T09:30:05Z');
const DAY = '2027-03-15';

function queue(overrides: Partial<QueueFigures> = {}): QueueFigures {
  return {
    line: '1712', language: 'nl', topic: 'violence', channel: 'chat',
    waiting: 2, longestWaitSeconds: 75, targetSeconds: 60,
    today: { requested: 30, answered: 24, abandoned: 3, shortAbandoned: 2, declined: 4, expired: 1, serviceLevel: 0.85 },
    lastHour: { answered: 6, abandoned: 1, medianWaitSeconds: 42, p90WaitSeconds: 118, serviceLevel: 0.8 },
    overTarget: false,
    ...overrides,
  };
}

const CURVE: CurvePoint[] = [
  { start: '2027-03-15T08:30:00.000Z', arrivals: 3, answered: 2, abandoned: 1 },
  { start: '2027-03-15T08:45:00.000Z', arrivals: 5, answered: 4, abandoned: 0 },
  { start: '2027-03-15T09:00:00.000Z', arrivals: 8, answered: 6, abandoned: 2 },
  { start: '2027-03-15T09:15:00.000Z', arrivals: 4, answered: 4, abandoned: 0 },
  { start: '2027-03-15T09:30:00.000Z', arrivals: 1, answered: 0, abandoned: 0 },
];

function figures(overrides: Partial<SupervisorMessage> = {}): SupervisorMessage {
  return {
    type: 'supervisor',
    at: AT,
    day: DAY,
    queues: [
      queue(),
      queue({ channel: 'call', waiting: 0, longestWaitSeconds: 0, today: { requested: 0, answered: 0, abandoned: 0, shortAbandoned: 0, declined: 0, expired: 0, serviceLevel: null },
        lastHour: { answered: 0, abandoned: 0, medianWaitSeconds: null, p90WaitSeconds: null, serviceLevel: null } }),
      queue({ line: '108', language: 'de', topic: 'family-violence', waiting: 0, longestWaitSeconds: 0 }),
    ],
    operators: [
      { id: 'op-1712', name: 'Sam', status: 'available', active: 2, calls: 1, capacity: 3, inStatusSeconds: 600, offersMissedToday: 1 },
      { id: 'op-108', name: 'Lena', status: 'away', active: 0, calls: 0, capacity: 2, inStatusSeconds: 120, offersMissedToday: 0 },
    ],
    curve: CURVE,
    coverage: [
      { line: '1712', language: 'nl', uncoveredMinutes: 0, contactsUncovered: 0 },
      { line: '1712', language: 'en', uncoveredMinutes: 95, contactsUncovered: 2 },
    ],
    ...overrides,
  };
}

const section = (page: Page) => page.getByRole('region', { name: 'Supervision' });
const queueRow = (page: Page, line: string, channel: 'Chat' | 'Phone call') =>
  page.locator('table.queue-table tbody tr').filter({ has: page.locator('th', { hasText: line }) }).filter({ hasText: channel });
/** The cells of a row, as a screen reader has them (the stacked layout's labels are hidden). */
const cells = (page: Page, table: string, row: number) =>
  page.locator(`table.${table} tbody tr`).nth(row).locator('.cell-value').allTextContents();

describe('Browser: the supervisor view in the console', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requested: string[] = [];

  before(async () => {
    server = await startTestServer({ operators: [OPERATOR_1712], config: { lines: await linesWithEnglish() } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await context?.close();
  });

  /** A console signed in whose welcome says `role`. bypassCSP only so axe can be injected. */
  async function openConsole(role: Role): Promise<Relay> {
    context = await browser.newContext({ bypassCSP: true, viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Europe/Brussels' });
    context.setDefaultTimeout(10_000);
    requested.length = 0;
    context.on('request', (r) => requested.push(r.url()));
    const relay = await relayAs(context, role);
    page = await context.newPage();
    await signInOperator(page, server, OPERATOR_1712.id);
    return relay;
  }

  it('[SV1] is not there for an operator, even if figures arrived, and the chart library is never fetched', async () => {
    const relay = await openConsole('operator');
    relay.inject(figures());
    // Something after it, so the frame has surely been handled.
    await page.getByRole('heading', { name: 'Your chats' }).waitFor();
    await page.waitForTimeout(200);
    expect(await section(page).count()).to.equal(0);
    expect(await page.getByText('Supervision').isVisible()).to.equal(false);
    expect(requested.filter((url) => /uPlot/i.test(url))).to.deep.equal([]);
  });

  it('[SV2] appears for a supervisor, fills its tables, and updates them in place', async () => {
    const relay = await openConsole('supervisor');
    await section(page).getByText('Waiting for the first figures…').waitFor();
    relay.inject(figures());
    await section(page).getByText('As of 10:30:05').waitFor();

    expect(await cells(page, 'queue-table', 0)).to.deep.equal([
      '1712', 'Dutch', 'Violence', 'Chat', 'Within target', '2', '1:15', '24', '3', '2', '85%', '4', '1', '0:42', '1:58', '80%',
    ]);
    // No figure to compute from: a dash, not a zero.
    expect(await cells(page, 'queue-table', 1)).to.deep.equal([
      '1712', 'Dutch', 'Violence', 'Phone call', 'Within target', '0', '0:00', '0', '0', '0', '—', '0', '0', '—', '—', '—',
    ]);
    expect((await cells(page, 'queue-table', 2)).slice(0, 3)).to.deep.equal(['108', 'German', 'Family violence']);
    expect(await cells(page, 'operator-table', 0)).to.deep.equal(['Sam', 'Available', '10:00', '2 of 3 (1 call)', '1']);
    expect(await cells(page, 'operator-table', 1)).to.deep.equal(['Lena', 'Away', '2:00', '0 of 2', '0']);
    expect(await cells(page, 'coverage-table', 1)).to.deep.equal(['1712', 'English', '95', '2']);
    expect(await page.locator('table.coverage-table tbody tr').nth(1).getAttribute('class')).to.equal('uncovered');

    // Headers a screen reader can use: a caption, column groups, columns and a row header.
    const table = page.getByRole('table', { name: 'Queues' });
    expect(await table.locator('th[scope="colgroup"]').allTextContents()).to.deep.equal(['Queue', 'Now', 'Today', 'Offers today', 'Last hour']);
    expect(await table.locator('tbody th[scope="row"]').count()).to.equal(3);
    await page.getByRole('table', { name: 'Operators' }).waitFor();

    // The operator is typing a date when the next figures come: focus and rows stay.
    const from = page.getByLabel('From', { exact: true });
    await from.focus();
    const row = await page.locator('table.queue-table tbody tr').first().elementHandle();
    relay.inject(figures({
      at: AT + 2_000,
      queues: [queue({ waiting: 3, longestWaitSeconds: 77, today: { ...queue().today, answered: 25 } }), ...figures().queues.slice(1)],
      operators: [{ id: 'op-1712', name: 'Sam', status: 'available', active: 3, calls: 2, capacity: 3, inStatusSeconds: 600, offersMissedToday: 1 }, figures().operators[1]!],
    }));
    await section(page).getByText('As of 10:30:07').waitFor();
    expect((await cells(page, 'queue-table', 0)).slice(5, 8)).to.deep.equal(['3', '1:17', '25']);
    expect((await cells(page, 'operator-table', 0))[3]).to.equal('3 of 3 (2 calls)');
    expect(await row!.evaluate((el) => el.isConnected)).to.equal(true);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).to.equal('from');

    // A queue that is gone is gone; the rest keep their rows.
    relay.inject(figures({ at: AT + 4_000, queues: figures().queues.slice(0, 2) }));
    await section(page).getByText('As of 10:30:09').waitFor();
    expect(await page.locator('table.queue-table tbody tr').count()).to.equal(2);
    expect(await row!.evaluate((el) => el.isConnected)).to.equal(true);

    // Another interface language: the same rows, in its words, without waiting for figures.
    await page.getByLabel('Language', { exact: true }).selectOption('nl');
    await page.getByRole('table', { name: 'Wachtrijen' }).waitFor();
    expect((await cells(page, 'operator-table', 0)).slice(1, 4)).to.deep.equal(['Beschikbaar', '10:00', '2 van 3 (1 oproep)']);
    expect((await cells(page, 'queue-table', 0)).slice(1, 5)).to.deep.equal(['Nederlands', 'Geweld', 'Chat', 'Binnen de norm']);
  });

  it('[SV3] marks a queue over target in words in its row and announces it once, politely', async () => {
    const relay = await openConsole('admin');
    relay.inject(figures());
    await section(page).getByText('As of 10:30:05').waitFor();
    await page.evaluate(() => {
      const region = document.querySelector('.supervision [aria-live="polite"]')!;
      const seen: string[] = [];
      (window as unknown as { announced: string[] }).announced = seen;
      new MutationObserver(() => {
        if (region.textContent) seen.push(region.textContent);
      }).observe(region, { childList: true, characterData: true, subtree: true });
    });

    const over = () => figures({ queues: [queue({ overTarget: true, longestWaitSeconds: 95 }), ...figures().queues.slice(1)] });
    relay.inject({ ...over(), at: AT + 2_000 });
    const row = queueRow(page, '1712', 'Chat');
    await row.getByText('⚠ Over target').waitFor();
    expect(await row.getAttribute('class')).to.include('over-target');
    // Not by colour alone: the row is drawn apart with more than colour (an edge).
    expect(await row.locator('th').evaluate((el) => getComputedStyle(el).boxShadow)).to.not.equal('none');
    expect(await queueRow(page, '1712', 'Phone call').getByText('Within target').count()).to.equal(1);
    await page.waitForFunction(() => (window as unknown as { announced: string[] }).announced.length > 0);

    // The same figures again, twice (the 2-second refresh): nothing more is said.
    relay.inject({ ...over(), at: AT + 4_000 });
    relay.inject({ ...over(), at: AT + 6_000 });
    await section(page).getByText('As of 10:30:11').waitFor();
    await page.waitForTimeout(150);
    expect(await page.evaluate(() => (window as unknown as { announced: string[] }).announced)).to.deep.equal([
      'Over target: 1712 · Dutch · Violence · Chat.',
    ]);

    relay.inject({ ...figures(), at: AT + 8_000 });
    await row.getByText('Within target').waitFor();
    await page.waitForFunction(() => (window as unknown as { announced: string[] }).announced.length > 1);
    expect(await page.evaluate(() => (window as unknown as { announced: string[] }).announced[1])).to.equal('Back within target: 1712 · Dutch · Violence · Chat.');
  });

  it('[SV4] draws the day\'s curve with uPlot and gives the same numbers as a table', async () => {
    const relay = await openConsole('supervisor');
    relay.inject(figures());
    const chart = section(page).getByRole('img');
    await chart.locator('canvas').first().waitFor();
    expect(requested.some((url) => /uPlot/.test(url))).to.equal(true);
    expect(await chart.getAttribute('aria-label')).to.equal(
      "Chart of today's contacts per quarter hour, 09:30 to 10:30: 21 arrivals, 16 answered, 3 abandoned. Most arrivals at 10:00 (8).",
    );
    // The canvas has been drawn on (not blank).
    expect(await chart.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return data.some((v, i) => i % 4 === 3 && v > 0);
    })).to.equal(true);
    // The legend names each series in words, beside its line and shape.
    expect(await section(page).locator('.curve-legend li').allTextContents()).to.deep.equal(['●Arrivals', '■Answered', '▲Abandoned']);

    await page.getByText('Show as table').click();
    const table = page.getByRole('table', { name: 'Contacts per quarter hour today' });
    await table.waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('.cell-value'), (c) => c.textContent)));
    expect(rows).to.deep.equal(CURVE.map((p, i) => [['09:30', '09:45', '10:00', '10:15', '10:30'][i], String(p.arrivals), String(p.answered), String(p.abandoned)]));

    // A new quarter hour: chart and table follow.
    relay.inject(figures({ at: AT + 2_000, curve: [...CURVE.slice(0, 4), { ...CURVE[4]!, arrivals: 2, answered: 1 }] }));
    await table.locator('tbody tr').last().getByText('2', { exact: true }).waitFor();
    expect(await chart.getAttribute('aria-label')).to.include('22 arrivals, 17 answered');
  });

  it('[SV5] offers the CSV export for the chosen dates (first of the month to today by default)', async () => {
    const relay = await openConsole('supervisor');
    relay.inject(figures());
    await section(page).getByText('As of 10:30:05').waitFor();
    const link = section(page).getByRole('link', { name: 'Download CSV' });
    expect(await link.getAttribute('href')).to.equal('/api/stats/export?from=2027-03-01&to=2027-03-15');

    await page.getByLabel('From', { exact: true }).fill('2027-01-10');
    await page.getByLabel('To', { exact: true }).fill('2027-02-28');
    expect(await link.getAttribute('href')).to.equal('/api/stats/export?from=2027-01-10&to=2027-02-28');

    await context.route('**/api/stats/export?*', (route) =>
      route.fulfill({ status: 200, contentType: 'text/csv', headers: { 'content-disposition': 'attachment; filename="stats.csv"' }, body: 'hour,line\n' }));
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(new URL(download.url()).pathname).to.equal('/api/stats/export');
    expect(new URL(download.url()).search).to.equal('?from=2027-01-10&to=2027-02-28');

    // The wrong way round: no link, and the reason beside it.
    await page.getByLabel('From', { exact: true }).fill('2027-03-05');
    await page.getByLabel('To', { exact: true }).fill('2027-03-01');
    await section(page).getByText('The start date must not be after the end date.').waitFor();
    expect(await section(page).getByRole('link', { name: 'Download CSV' }).count()).to.equal(0);
  });

  it('[SV6] has no axe violations, on a desktop and at 320 px', async () => {
    const relay = await openConsole('supervisor');
    relay.inject(figures({ queues: [queue({ overTarget: true }), ...figures().queues.slice(1)] }));
    await section(page).getByRole('img').locator('canvas').first().waitFor();
    await page.getByText('Show as table').click();
    await expectNoViolations(page, 'the supervisor view');
    await page.setViewportSize(PHONE);
    // The chart follows the width.
    await page.waitForFunction(() => (document.querySelector('.curve-plot canvas') as HTMLCanvasElement | null)?.getBoundingClientRect().width! <= 300);
    await expectNoViolations(page, 'the supervisor view at phone width');
    // Stacked at this width, the tables are still tables to assistive technology.
    const snapshot = await page.getByRole('table', { name: 'Queues' }).ariaSnapshot();
    expect(snapshot).to.match(/columnheader "Longest wait"/);
    expect(snapshot).to.match(/rowheader "1712/);
  });
});
