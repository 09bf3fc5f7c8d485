/**
 * Times one routing decision with many people waiting, in a process of its own. The
 * situation is the one a long queue is in: every operator is busy, and one slot comes free.
 * A decision is what the dispatcher then does: read every operator's presence, read as much
 * of each queue's head as the free slots need (routingHeadSize), planOffers, and one
 * offerTicket. Between decisions the offer is withdrawn, so every decision sees the same
 * queue.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../server/clock.js';
import { loadLinesConfig } from '../server/config/lines-config.js';
import { createLogger } from '../server/logging.js';
import { routingHeadSize } from '../server/relay/dispatcher.js';
import { newTicket } from '../server/routing/new-ticket.js';
import { planOffers } from '../server/routing/plan-offers.js';
import type { OperatorPresence, RoutingTicket, Ticket } from '../server/routing/types.js';
import { MemoryStore } from '../server/store/memory-store.js';
import type { Store } from '../server/store/store.js';
import { failStart, Profiler } from './child-ipc.js';
import { openSharedState } from './shared-state.js';
import { summarise, type Summary } from './stats.js';

export interface RoutingChildConfig {
  store: 'memory' | 'redis';
  redisUrl?: string;
  prefix?: string;
  tickets: number;
  operators: number;
  decisions: number;
  /** Stop timing decisions after this long even if fewer than `decisions` were made. */
  budgetMs: number;
  /** Also time the unbounded read (listTickets), for comparison, for at most this long. */
  fullScanMs: number;
  /** Profile the timed (bounded) decisions into this .cpuprofile file. */
  profileFile: string | null;
}

export interface RoutingResult {
  store: 'memory' | 'redis';
  tickets: number;
  queues: number;
  operators: number;
  perQueue: number;
  /** Tickets the bounded read returned, and offers planOffers planned from them. */
  headTickets: number;
  plannedOffers: number;
  fillSeconds: number;
  decision: Summary;
  read: Summary;
  plan: Summary;
  offer: Summary;
  /** The same decision with listTickets() instead of the bounded read. */
  fullScan: Summary;
}

const WARM_UP = 50;
const TTL_MS = 12 * 3600_000;
const key = () => randomBytes(32).toString('base64url');

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.BENCH_CHILD ?? '{}') as RoutingChildConfig;
  const lines = await loadLinesConfig(fileURLToPath(new URL('../config/lines.json', import.meta.url)));
  const logger = createLogger({ level: 'warn' });

  let store: Store;
  let close: () => Promise<void>;
  if (settings.store === 'redis') {
    const shared = await openSharedState({ redisUrl: settings.redisUrl!, prefix: settings.prefix!, clock: systemClock, logger });
    store = shared.store;
    close = () => shared.close();
  } else {
    const memory = new MemoryStore(systemClock);
    await memory.init();
    store = memory;
    close = () => memory.close();
  }

  // Every line × language × topic queue of config/lines.json gets its share, oldest first.
  const queues = lines.lines.flatMap((l) => l.languages.flatMap((language) => l.topics.map((topic) => ({ line: l.id, language, topic }))));
  const fillStart = performance.now();
  const base = Date.now() - settings.tickets;
  for (let i = 0; i < settings.tickets; i++) {
    const queue = queues[i % queues.length]!;
    const ticket: Ticket = newTicket(randomBytes(16).toString('base64url'), { ...queue, visitorKey: key(), tokenHash: key() }, base + i, 'node-a');
    await store.createTicket(ticket, TTL_MS);
  }
  // Operators spread over the lines, each taking all of its line's languages and topics.
  for (let i = 0; i < settings.operators; i++) {
    const line = lines.lines[i % lines.lines.length]!;
    const id = `bench-op-${String(i).padStart(4, '0')}`;
    const profile = { id, name: id, lines: [line.id], languages: [...line.languages], topics: [...line.topics], capacity: 3 };
    await store.upsertPresence(profile, 'available', Date.now(), TTL_MS);
    await store.attachConsole(id, 'node-b');
    // Busy: each operator holds as many chats as they can take, but the first has one slot free.
    const held = i === 0 ? profile.capacity - 1 : profile.capacity;
    for (let k = 0; k < held; k++) {
      const chat = newTicket(randomBytes(16).toString('base64url'), { line: line.id, language: line.languages[0]!, topic: line.topics[0]!, visitorKey: key(), tokenHash: key() }, base - 1, 'node-a');
      await store.createTicket(chat, TTL_MS);
      const now = Date.now();
      await store.offerTicket(chat.id, { operatorId: id, expiresAt: now + 60_000 }, now);
      const accepted = await store.acceptOffer(chat.id, id, key(), now);
      if (!accepted.ok) throw new Error(`fixture: accept refused (${accepted.reason})`);
    }
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;

  const times = { decision: [] as number[], read: [] as number[], plan: [] as number[], offer: [] as number[] };
  let headTickets = 0;
  let plannedOffers = 0;
  const decide = async (read: () => Promise<[readonly RoutingTicket[], OperatorPresence[]]>, record: boolean) => {
    const t0 = performance.now();
    const [tickets, operators] = await read();
    const t1 = performance.now();
    const now = Date.now();
    const plan = planOffers(tickets, operators, now);
    const t2 = performance.now();
    const first = plan[0];
    if (!first) throw new Error('planOffers planned nothing: the fixture is wrong');
    if (!(await store.offerTicket(first.ticketId, { operatorId: first.operatorId, expiresAt: now + 30_000 }, now))) {
      throw new Error('offerTicket refused a planned offer');
    }
    const t3 = performance.now();
    await store.withdrawOffer(first.ticketId, first.operatorId);
    if (record) {
      times.decision.push(t3 - t0);
      times.read.push(t1 - t0);
      times.plan.push(t2 - t1);
      times.offer.push(t3 - t2);
      headTickets = tickets.length;
      plannedOffers = plan.length;
    }
    return t3 - t0;
  };
  // Named functions, so a profile shows their names (V8 inlines the store's reads into them).
  let perQueue = 0;
  async function bounded(): Promise<[readonly RoutingTicket[], OperatorPresence[]]> {
    const operators = await store.listPresence();
    perQueue = routingHeadSize(operators);
    return [await store.waitingTickets(perQueue), operators];
  }
  const warmUpEnd = performance.now() + settings.budgetMs / 10;
  for (let i = 0; i < WARM_UP && performance.now() < warmUpEnd; i++) await decide(bounded, false);
  const profiler = new Profiler();
  if (settings.profileFile) await profiler.start();
  const end = performance.now() + settings.budgetMs;
  for (let i = 0; i < settings.decisions && performance.now() < end; i++) await decide(bounded, true);
  if (settings.profileFile) await profiler.stop(settings.profileFile);

  const fullScan: number[] = [];
  function full() {
    return Promise.all([store.listTickets(), store.listPresence()]);
  }
  await decide(full, false);
  const deadline = performance.now() + settings.fullScanMs;
  do fullScan.push(await decide(full, false));
  while (performance.now() < deadline && fullScan.length < settings.decisions);

  const result: RoutingResult = {
    store: settings.store,
    tickets: settings.tickets,
    queues: queues.length,
    operators: settings.operators,
    perQueue,
    headTickets,
    plannedOffers,
    fillSeconds,
    decision: summarise(times.decision),
    read: summarise(times.read),
    plan: summarise(times.plan),
    offer: summarise(times.offer),
    fullScan: summarise(fullScan),
  };
  await close();
  process.send!({ type: 'result', result }, () => process.exit(0));
}

main().catch(failStart);
