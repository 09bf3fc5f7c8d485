import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps, type QuietlineApp } from '../../server/app.js';
import type { Bus } from '../../server/bus/bus.js';
import type { Store } from '../../server/store/store.js';
import { withOutages, type Outage } from './outage-store.js';
import type { OperatorAccount } from '../../server/accounts/account.js';
import { seededDirectory } from '../../server/accounts/directory.js';
import { hashPassword } from '../../server/auth/password.js';
import { ManualClock, systemClock, type Clock } from '../../server/clock.js';
import { DEFAULT_TIMINGS, type AppConfig } from '../../server/config/app-config.js';
import { DEFAULT_CALL_CAPACITY_RULE } from '../../server/routing/call-capacity.js';
import { loadLinesConfig } from '../../server/config/lines-config.js';
import { createLogger } from '../../server/logging.js';
import { MemoryStore } from '../../server/store/memory-store.js';
import type { SocketKind } from '../../server/relay/wire.js';

/** Cheap scrypt for tests only: real hashes use OWASP parameters. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 };
export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestOperator {
  id: string;
  name?: string;
  lines: string[];
  languages: string[];
  topics: string[];
  capacity?: number;
  role?: OperatorAccount['role'];
}

export interface TestServerOptions {
  operators?: TestOperator[];
  /** 'manual' gives a ManualClock that only moves on advance(); or pass one to share it. */
  clock?: 'real' | 'manual' | ManualClock;
  config?: Partial<AppConfig>;
  /**
   * Shared state of several nodes in one process: a store and bus of the caller's (closed by
   * the caller). Unset: a MemoryStore of this server's own.
   */
  shared?: { store: Store; bus: Bus; keyPrefix?: string };
  /** 'outage': the store can be made unreachable with `server.outage`. */
  faults?: 'outage';
  nodeId?: string;
  limits?: AppDeps['limits'];
  /** Stands in for Twilio's REST API (it cannot run here): see test/support/voice-calls.ts. */
  twilioRest?: AppDeps['twilioRest'];
}

export interface Frame {
  direction: 'in' | 'out';
  kind: SocketKind;
  frame: string;
}

export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  clock: Clock;
  /** Present when started with clock: 'manual'. */
  manualClock: ManualClock | null;
  /** This server's MemoryStore; with `shared`, the shared store. */
  store: MemoryStore;
  /** Present with faults: 'outage'. */
  outage: Outage | null;
  nodeId: string;
  /** Every WebSocket frame the server received or sent, in order. */
  frames: Frame[];
  /** Every log line the server wrote (JSON text). */
  logLines: string[];
  config: AppConfig;
  close(): Promise<void>;
}

const publicDir = fileURLToPath(new URL('../../dist/public/', import.meta.url));

/** A real Quietline on a free loopback port, with the memory store; everything captured. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const manualClock = options.clock instanceof ManualClock ? options.clock : options.clock === 'manual' ? new ManualClock() : null;
  const clock = manualClock ?? systemClock;
  const lines = await loadLinesConfig(fileURLToPath(new URL('../../config/lines.json', import.meta.url)));
  const config: AppConfig = {
    lines,
    allowedOrigins: [],
    ...DEFAULT_TIMINGS,
    ignoreHours: true,
    cookieSecure: false,
    trustProxyHops: 0,
    publicDir,
    orgPublicKey: null,
    callCapacityRule: DEFAULT_CALL_CAPACITY_RULE,
    voice: null,
    metrics: null,
    ...options.config,
  };
  const accounts = await Promise.all(
    (options.operators ?? []).map(async (o) => ({
      id: o.id,
      name: o.name ?? o.id,
      role: o.role ?? 'operator',
      lines: o.lines,
      languages: o.languages,
      topics: o.topics,
      capacity: o.capacity ?? 3,
      passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT),
    })),
  );
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const frames: Frame[] = [];
  const own = options.shared ? null : new MemoryStore(clock);
  await own?.init();
  const base = options.shared?.store ?? own!;
  const faults = options.faults === 'outage' ? withOutages(base) : null;
  const store = faults?.store ?? base;
  const app: QuietlineApp = createApp({
    config,
    store,
    clock,
    ...(options.shared ? { bus: options.shared.bus, keyPrefix: options.shared.keyPrefix } : {}),
    ...(options.nodeId ? { nodeId: options.nodeId } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.twilioRest ? { twilioRest: options.twilioRest } : {}),
    logger: createLogger({ level: 'debug', destination }),
    directory: await seededDirectory(store, accounts),
    frameObserver: (direction, kind, frame) => frames.push({ direction, kind, frame }),
  });
  await app.ready;
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    clock,
    manualClock,
    // Tests of the memory store read its counts(); with shared state they use the Store API.
    store: (own ?? base) as MemoryStore,
    outage: faults?.outage ?? null,
    nodeId: app.nodeId,
    frames,
    logLines,
    config,
    async close() {
      await app.close();
      await own?.close();
    },
  };
}
