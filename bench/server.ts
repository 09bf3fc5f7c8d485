/**
 * Quietline under test, in its own process: built as test/support/test-server.ts builds it
 * (operators in memory with cheap scrypt hashes, no organisation key, opening hours ignored,
 * config/lines.json), with the abuse limits raised out of the way. Listens on a free loopback
 * port and reports it to the parent over IPC.
 */
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from '../server/app.js';
import { seededDirectory } from '../server/accounts/directory.js';
import { hashPassword } from '../server/auth/password.js';
import { systemClock } from '../server/clock.js';
import { DEFAULT_TIMINGS, type AppConfig } from '../server/config/app-config.js';
import { DEFAULT_CALL_CAPACITY_RULE } from '../server/routing/call-capacity.js';
import { loadLinesConfig } from '../server/config/lines-config.js';
import { createLogger } from '../server/logging.js';
import { MemoryStore } from '../server/store/memory-store.js';
import type { RelayLimits } from '../server/relay/relay-context.js';
import type { Store } from '../server/store/store.js';
import { TEST_PASSWORD, TEST_SCRYPT } from '../test/support/test-server.js';
import { failStart, serveParent, tellParent } from './child-ipc.js';
import { openSharedState, type SharedState } from './shared-state.js';
import { BENCH_OPERATOR, operatorIds } from './load/accounts.js';

export interface QuietlineChildConfig {
  store: 'memory' | 'redis';
  /** With store 'redis': the bench's own redis-server, its key prefix and this node's id. */
  redisUrl?: string;
  prefix?: string;
  nodeId?: string;
  /** How many operator accounts to create (ids from operatorIds()). */
  operators: number;
}

/**
 * Every per-address and per-connection limit out of the way: the bench measures the relay.
 * Visitors are spread over 250 loopback addresses, but every operator signs in from
 * 127.0.0.1, and each socket sends far more than a person's 30 messages per 10 s.
 */
export const UNLIMITED: Omit<RelayLimits, 'leaveBeaconsWhenBack'> = {
  upgradesPerMinute: 1_000_000_000,
  newChatsPer10Min: 1_000_000_000,
  openChatsPerAddress: 1_000_000_000,
  messagesPerWindow: 1_000_000_000,
};

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.BENCH_CHILD ?? '{}') as QuietlineChildConfig;
  const lines = await loadLinesConfig(fileURLToPath(new URL('../config/lines.json', import.meta.url)));
  const config: AppConfig = {
    lines,
    allowedOrigins: [],
    ...DEFAULT_TIMINGS,
    ignoreHours: true,
    cookieSecure: false,
    trustProxyHops: 0,
    publicDir: fileURLToPath(new URL('../dist/public/', import.meta.url)),
    orgPublicKey: null,
    callCapacityRule: DEFAULT_CALL_CAPACITY_RULE,
    voice: null,
    metrics: null,
  };
  const passwordHash = await hashPassword(TEST_PASSWORD, TEST_SCRYPT);
  const accounts = operatorIds(settings.operators).map((id) => ({ ...BENCH_OPERATOR, id, name: id, passwordHash }));

  // Warnings and errors go to stderr, so a refused message or a failed dispatch shows up in
  // the bench's output; info lines (one per chat, none per message) are not written.
  const destination = new Writable({
    write(chunk, _encoding, done) {
      process.stderr.write(`[quietline ${settings.nodeId ?? 'node'}] ${String(chunk)}`);
      done();
    },
  });
  const logger = createLogger({ level: 'warn', destination });

  let store: Store;
  let shared: SharedState | null = null;
  if (settings.store === 'redis') {
    shared = await openSharedState({ redisUrl: settings.redisUrl!, prefix: settings.prefix!, clock: systemClock, logger });
    store = shared.store;
  } else {
    const memory = new MemoryStore(systemClock);
    await memory.init();
    store = memory;
  }

  const deps: AppDeps = {
    config,
    store,
    clock: systemClock,
    logger,
    directory: await seededDirectory(store, accounts),
    limits: UNLIMITED,
    ...(shared ? { bus: shared.bus, nodeId: settings.nodeId!, keyPrefix: settings.prefix! } : {}),
  };
  const app = createApp(deps);
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const { port } = app.server.address() as AddressInfo;

  serveParent(async () => {
    await app.close();
    if (shared) await shared.close();
    else await store.close();
  });
  tellParent({ type: 'ready', port });
}

if (!existsSync(new URL('../config/lines.json', import.meta.url))) failStart(new Error('config/lines.json is missing'));
else main().catch(failStart);
