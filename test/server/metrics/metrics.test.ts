import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../../server/app.js';
import { TestOperator, TestVisitor } from '../../support/chat-parties.js';
import { operatorSocket, visitorSocket } from '../../support/socket-client.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };

/** One sample's value from Prometheus text, by name and exact labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.length === have.length && wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics', () => {
  let server: TestServer;
  afterEach(() => server?.close());
  const scrape = async (token: string | null = TOKEN) => {
    const res = await fetch(`${server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
  };
  const queue = { line: '1712', language: 'nl', topic: 'violence', channel: 'chat' };

  it('shows the waiting gauge rise while a visitor waits and fall when they are answered, with waits and offers counted', async () => {
    server = await startTestServer({ operators: [{ id: 'anna', ...nl }], config: { metrics: { token: TOKEN, port: null, host: '127.0.0.1' } } });
    const before = await scrape();
    expect(before.status).to.equal(200);
    expect(before.type).to.include('text/plain');
    // Every queue of the lines file is there from the start, at 0, so a panel or an alert
    // on it has a series to read; calls only on lines that take calls, with voice on.
    expect(sample(before.text, 'quietline_queue_waiting', queue)).to.equal(0);
    expect(sample(before.text, 'quietline_queue_longest_wait_seconds', queue)).to.equal(0);
    expect(sample(before.text, 'quietline_queue_waiting', { ...queue, line: '108', language: 'de', topic: 'family-violence' })).to.equal(0);
    expect(sample(before.text, 'quietline_queue_waiting', { ...queue, channel: 'call' })).to.equal(undefined);

    const visitor = await TestVisitor.request(await visitorSocket(server), '1712', 'nl', 'violence');
    const waiting = await scrape();
    expect(sample(waiting.text, 'quietline_queue_waiting', queue)).to.equal(1);
    expect(sample(waiting.text, 'quietline_queue_longest_wait_seconds', queue)).to.be.at.least(0);
    expect(sample(waiting.text, 'quietline_connections', { kind: 'visitor' })).to.equal(1);

    const anna = new TestOperator(await operatorSocket(server, 'anna'));
    await anna.available();
    const chat = await anna.acceptNextOffer();
    await visitor.connected();
    const answered = await scrape();
    expect(sample(answered.text, 'quietline_queue_waiting', queue)).to.equal(0);
    expect(sample(answered.text, 'quietline_queue_longest_wait_seconds', queue)).to.equal(0);
    expect(sample(answered.text, 'quietline_offers_total', { outcome: 'made' })).to.equal(1);
    expect(sample(answered.text, 'quietline_offers_total', { outcome: 'accepted' })).to.equal(1);
    expect(sample(answered.text, 'quietline_wait_seconds_count', queue)).to.equal(1);
    expect(sample(answered.text, 'quietline_connections', { kind: 'operator' })).to.equal(1);

    anna.socket.send({ type: 'end', chat, wrapUp: 'information' });
    await anna.socket.next('ended');
    const ended = await scrape();
    expect(sample(ended.text, 'quietline_handle_seconds_count', { line: '1712', channel: 'chat' })).to.equal(1);
    // The defaults: the event loop's delay and the process.
    expect(ended.text).to.match(/^quietline_nodejs_eventloop_lag_p99_seconds \S+$/m);
    expect(ended.text).to.match(/^quietline_process_cpu_seconds_total \S+$/m);
  });

  it('counts typed errors by code, from sockets and HTTP alike, and names nobody in any label', async () => {
    server = await startTestServer({ operators: [{ id: 'anna', ...nl }], config: { metrics: { token: TOKEN, port: null, host: '127.0.0.1' } } });
    const socket = await visitorSocket(server);
    socket.send({ type: 'request', line: 'no-such-line', language: 'nl', topic: 'violence', key: 'A'.repeat(43) });
    await socket.next('error');
    await fetch(`${server.url}/no/such/page`);
    const { text } = await scrape();
    expect(sample(text, 'quietline_errors_total', { code: 'ERR_UNKNOWN_LINE' })).to.equal(1);
    expect(sample(text, 'quietline_errors_total', { code: 'ERR_NOT_FOUND' })).to.equal(1);
    const labelValues = [...text.matchAll(/(\w+)="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    for (const label of labelValues) expect(label).to.not.match(/127\.0\.0\.1|anna|Mozilla|token/i);
  });

  it('asks for the bearer token on the main port, and is not there at all unless configured', async () => {
    server = await startTestServer({ config: { metrics: { token: TOKEN, port: null, host: '127.0.0.1' } } });
    expect((await scrape(null)).status).to.equal(401);
    expect((await scrape('wrong-token-wrong-token')).status).to.equal(401);
    await server.close();
    server = await startTestServer();
    expect((await scrape()).status).to.equal(404);
  });

  it('serves a port of its own instead when METRICS_PORT is set, and nothing else there', async () => {
    server = await startTestServer({ config: { metrics: { token: null, port: 1, host: '127.0.0.1' } } });
    expect((await scrape()).status).to.equal(404);
    await server.close();
    // The port is main.ts's to listen on; here the app's metrics server listens on a free one.
    const deps = await appDeps();
    const app = createApp({ ...deps, config: { ...server.config, metrics: { token: null, port: 1, host: '127.0.0.1' } } });
    await new Promise<void>((resolve) => app.metricsServer!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(app.metricsServer!.address() as AddressInfo).port}`;
    const res = await fetch(`${base}/metrics`);
    expect(res.status).to.equal(200);
    expect(await res.text()).to.include('quietline_offers_total');
    expect((await fetch(`${base}/api/lines`)).status).to.equal(404);
    await app.close();
    await deps.store.close();
  });
});

async function appDeps() {
  const { MemoryStore } = await import('../../../server/store/memory-store.js');
  const { systemClock } = await import('../../../server/clock.js');
  const { createLogger } = await import('../../../server/logging.js');
  const { storeDirectory } = await import('../../../server/accounts/directory.js');
  const store = new MemoryStore(systemClock);
  await store.init();
  return { store, clock: systemClock, logger: createLogger({ level: 'silent' }), directory: storeDirectory(store, 'memory') };
}
