import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loadLinesConfig, type LinesConfig } from '../../../server/config/lines-config.js';
import { QUARTER_MS, type Aggregate } from '../../../server/stats/aggregates.js';
import { staffingEstimate } from '../../../server/stats/staffing.js';
import { TestOperator, TestVisitor } from '../../support/chat-parties.js';
import { operatorSocket, signIn, visitorSocket } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const queue = { line: '1712', language: 'nl', topic: 'violence', channel: 'chat' as const };

async function lines(target: number): Promise<LinesConfig> {
  const config = await loadLinesConfig(fileURLToPath(new URL('../../../config/lines.json', import.meta.url)));
  config.lines.find((l) => l.id === '1712')!.serviceLevelTargetSeconds = target;
  return config;
}

/** Four Mondays, 11:00–12:00 in Brussels (10:00 UTC in November): 50 arrivals a quarter hour. */
function fourMondays(perQuarter: Record<string, number>): Aggregate[] {
  const out: Aggregate[] = [];
  for (let week = 0; week < 4; week++) {
    const hour = Date.UTC(2026, 10, 2 + 7 * week, 10);
    for (let q = 0; q < 4; q++) out.push({ ...queue, start: new Date(hour + q * QUARTER_MS).toISOString(), span: '15m', counts: { ...perQuarter } });
  }
  return out;
}

/** The four weeks those Mondays fall in: 2 November 2026 (Brussels midnight) to 30 November. */
const FOUR_WEEKS = { from: Date.UTC(2026, 10, 1, 23), to: Date.UTC(2026, 10, 29, 23) };

describe('The staffing estimate', () => {
  it('needs 14 operators for 200 contacts an hour of 3 minutes each at 80 % within 20 s, beside the 13 on duty', async () => {
    // 50 a quarter hour = 200 an hour; 50 handled for 150 minutes = 180 s each; 13 on duty = 195 operator-minutes a quarter.
    const rows = staffingEstimate(fourMondays({ requested: 50, handled: 50, handleMinutes: 150, staffedMinutes: 195 }), await lines(20), FOUR_WEEKS);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.deep.include({ ...queue, weekday: 1, hour: 11, arrivals: 200, handleSeconds: 180, needed: 14, staffed: 13 });
  });

  it('leaves out hours without arrivals, and uses the default handle time before any contact was handled', async () => {
    const rows = staffingEstimate([...fourMondays({ requested: 1 }), ...fourMondays({ staffedMinutes: 15 }).map((b) => ({ ...b, topic: 'abuse' }))], await lines(60), FOUR_WEEKS);
    expect(rows.map((r) => r.topic)).to.deep.equal(['violence']);
    expect(rows[0]!.handleSeconds).to.equal(12 * 60);
    expect(rows[0]!.arrivals).to.equal(4);
  });

  it('stays finite for hour-long conversations with many arrivals', async () => {
    const rows = staffingEstimate(fourMondays({ requested: 100, handled: 100, handleMinutes: 6000 }), await lines(60), FOUR_WEEKS);
    expect(rows[0]!.needed).to.be.a('number').and.above(400);
  });

  it('averages a deployment younger than four weeks over the weeks it counted, not over four', async () => {
    // Only the last of the four Mondays: counting started that week.
    const rows = staffingEstimate(fourMondays({ requested: 50, staffedMinutes: 195 }).slice(12), await lines(20), FOUR_WEEKS);
    expect(rows[0]).to.deep.include({ weekday: 1, hour: 11, arrivals: 200, staffed: 13 });
  });

  it('averages the hour the clocks go back over the two hours it lasted, and has no row for the hour they skip', async () => {
    // Sunday 25 October 2026: 02:00–03:00 in Brussels happens twice (00:00 and 01:00 UTC),
    // 10 arrivals in each of its eight quarter hours; 29 March 2026 skips 02:00 altogether.
    const quarters = (start: number, n: number) =>
      Array.from({ length: n }, (_, q): Aggregate => ({ ...queue, start: new Date(start + q * QUARTER_MS).toISOString(), span: '15m', counts: { requested: 10 } }));
    const fallBack = staffingEstimate(quarters(Date.UTC(2026, 9, 25, 0), 8), await lines(60), { from: Date.UTC(2026, 9, 24, 22), to: Date.UTC(2026, 9, 25, 23) });
    expect(fallBack.map((r) => [r.weekday, r.hour, r.arrivals])).to.deep.equal([[7, 2, 40]]);
    // A week around the spring change: Sunday's 03:00 (01:00 UTC) happened once, 02:00 never.
    const spring = staffingEstimate(quarters(Date.UTC(2026, 2, 29, 1), 4), await lines(60), { from: Date.UTC(2026, 2, 28, 23), to: Date.UTC(2026, 2, 29, 22) });
    expect(spring.map((r) => [r.weekday, r.hour, r.arrivals])).to.deep.equal([[7, 3, 40]]);
  });

  describe('GET /api/stats/staffing', () => {
    let server: TestServer;
    afterEach(() => server?.close());

    it('gives a supervisor the last four weeks by hour of the week, and refuses an operator', async () => {
      server = await startTestServer({
        clock: 'manual',
        operators: [
          { id: 'anna', lines: ['1712'], languages: ['nl'], topics: ['violence'] },
          { id: 'sofie', role: 'admin', lines: ['1712'], languages: ['nl'], topics: ['violence'] },
        ],
      });
      const anna = new TestOperator(await operatorSocket(server, 'anna'));
      await anna.available();
      await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
      const chat = await anna.acceptNextOffer();
      anna.socket.send({ type: 'end', chat, wrapUp: 'information' });
      await anna.socket.next('ended');
      // A week later the contact of that Monday is in the estimate: the one Monday counted so
      // far had one arrival at 11:00 (not a quarter: the deployment is a week old, not four).
      server.manualClock!.advance(7 * 24 * 3600_000);
      const get = async (id: string) => fetch(`${server.url}/api/stats/staffing`, { headers: { cookie: await signIn(server, id) } });
      expect((await get('anna')).status).to.equal(403);
      const response = await get('sofie');
      const body = (await response.json()) as { weeks: number; rows: { weekday: number; hour: number; arrivals: number; needed: number }[] };
      expect(response.status, JSON.stringify(body)).to.equal(200);
      expect(body.weeks).to.equal(4);
      expect(body.rows).to.have.length(1);
      expect(body.rows[0]).to.include({ weekday: 1, hour: 11, arrivals: 1, needed: 1 });
    });
  });
});
