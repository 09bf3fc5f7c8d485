import type { Bus } from './bus/bus.js';
import { localBus } from './bus/local-bus.js';
import { RedisBus } from './bus/redis-bus.js';
import type { Clock } from './clock.js';
import type { Logger } from './logging.js';
import { MemoryStore } from './store/memory-store.js';
import { RedisStore } from './store/redis-store.js';
import type { Store } from './store/store.js';

export interface SharedStateOptions {
  redisUrl?: string;
  clusterNodes?: string[];
  prefix: string;
  clock: Clock;
  logger: Logger;
}

export interface SharedState {
  kind: 'memory' | 'redis' | 'redis-cluster';
  store: Store;
  bus: Bus;
  close(): Promise<void>;
}

/**
 * The store and the bus, from the settings: Redis (one server or a Cluster) for many nodes,
 * or memory for one node alone. The memory store is the embedded default; nothing else is
 * needed to run it.
 */
export async function openSharedState(options: SharedStateOptions): Promise<SharedState> {
  const { redisUrl, clusterNodes, prefix, clock, logger } = options;
  const cluster = clusterNodes && clusterNodes.length > 0 ? clusterNodes : undefined;
  if (!redisUrl && !cluster) {
    const store = new MemoryStore(clock);
    await store.init();
    const bus = localBus();
    return { kind: 'memory', store, bus, close: async () => void (await Promise.all([bus.close(), store.close()])) };
  }
  const connection = cluster ? { clusterNodes: cluster } : { url: redisUrl! };
  const store = await RedisStore.connect({ ...connection, prefix, clock, logger });
  const bus = await RedisBus.connect({ ...connection, logger });
  return {
    kind: cluster ? 'redis-cluster' : 'redis',
    store,
    bus,
    close: async () => void (await Promise.allSettled([bus.close(), store.close()])),
  };
}
