import { createClient, createCluster } from 'redis';
import type { Logger } from '../logging.js';
import { StoreUnavailableError } from '../store/store.js';
import type { Bus, BusHandler } from './bus.js';

export interface RedisBusOptions {
  url?: string;
  clusterNodes?: string[];
  logger?: Logger;
}

/** As in the store (redis-connection.ts): a timer per command costs too much CPU. */
const NO_COMMAND_TIMEOUT = { timeout: 0 };

/** Retry for ever, never faster than every 100 ms nor slower than every 2 s. */
const reconnectStrategy = (retries: number) => Math.min(100 + retries * 100, 2000);

/** The few calls used here, so both client shapes type-check without node-redis's generics. */
interface Client {
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  close(): Promise<unknown>;
}
interface Cluster {
  sPublish(channel: string, message: string): Promise<unknown>;
  sSubscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  sUnsubscribe(channel: string): Promise<unknown>;
  close(): Promise<unknown>;
}

/**
 * Redis pub/sub between nodes. On one Redis: PUBLISH/SUBSCRIBE on a dedicated subscriber
 * connection. On a Cluster: sharded pub/sub (SPUBLISH/SSUBSCRIBE), so a chat's messages stay
 * on its own shard instead of being broadcast to every master. Publishing while Redis is down
 * rejects at once (no offline queue): the message is in the store already and is caught up
 * from there; node-redis subscribes again by itself after a reconnect.
 */
export class RedisBus implements Bus {
  private readonly handlers = new Map<string, BusHandler>();
  private readonly reconnectListeners: (() => void)[] = [];

  private constructor(
    private readonly mode: { kind: 'single'; publisher: Client; subscriber: Client } | { kind: 'cluster'; cluster: Cluster },
  ) {}

  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const onError = (error: unknown) =>
      options.logger?.debug({ event: 'bus.error', code: (error as { code?: string }).code ?? 'redis' }, 'bus connection error');
    if (options.clusterNodes && options.clusterNodes.length > 0) {
      const cluster = createCluster({
        rootNodes: options.clusterNodes.map((url) => ({ url })),
        defaults: { disableOfflineQueue: true, socket: { reconnectStrategy } },
        commandOptions: NO_COMMAND_TIMEOUT,
      });
      cluster.on('error', onError);
      await cluster.connect();
      const bus = new RedisBus({ kind: 'cluster', cluster });
      // A shard's connection coming back (node-redis subscribes again on it).
      cluster.on('node-ready', () => bus.reconnected());
      return bus;
    }
    const publisher = createClient({ url: options.url, disableOfflineQueue: true, socket: { reconnectStrategy }, commandOptions: NO_COMMAND_TIMEOUT });
    publisher.on('error', onError);
    // Subscriptions are made again by node-redis after a reconnect; one asked for while Redis
    // is down fails at once, like every other call, instead of hanging a socket's queue.
    const subscriber = createClient({ url: options.url, disableOfflineQueue: true, socket: { reconnectStrategy }, commandOptions: NO_COMMAND_TIMEOUT });
    subscriber.on('error', onError);
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const bus = new RedisBus({ kind: 'single', publisher, subscriber });
    // Every 'ready' after the first is a reconnect, subscriptions made again by node-redis.
    subscriber.on('ready', () => bus.reconnected());
    return bus;
  }

  async publish(channel: string, message: object): Promise<void> {
    const text = JSON.stringify(message);
    await unavailableOnFailure(() =>
      this.mode.kind === 'cluster' ? this.mode.cluster.sPublish(channel, text) : this.mode.publisher.publish(channel, text),
    );
  }

  async subscribe(channel: string, handler: BusHandler): Promise<void> {
    if (this.handlers.has(channel)) await this.unsubscribe(channel);
    const listener = (text: string) => this.handlers.get(channel)?.(JSON.parse(text));
    await unavailableOnFailure(() =>
      this.mode.kind === 'cluster' ? this.mode.cluster.sSubscribe(channel, listener) : this.mode.subscriber.subscribe(channel, listener),
    );
    this.handlers.set(channel, handler);
  }

  async unsubscribe(channel: string): Promise<void> {
    if (!this.handlers.delete(channel)) return;
    // One channel per call: node-redis 6 crashes on a multi-slot sUnsubscribe in a Cluster.
    if (this.mode.kind === 'cluster') await this.mode.cluster.sUnsubscribe(channel);
    else await this.mode.subscriber.unsubscribe(channel);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  private reconnected(): void {
    for (const listener of this.reconnectListeners) listener();
  }

  async close(): Promise<void> {
    this.handlers.clear();
    const quit = async (c: { close(): Promise<unknown> }) => {
      try {
        await c.close();
      } catch {
        // already closed, or Redis is gone: nothing left to release
      }
    };
    if (this.mode.kind === 'cluster') await quit(this.mode.cluster);
    else await Promise.all([quit(this.mode.publisher), quit(this.mode.subscriber)]);
  }
}

/** Any failure to reach Redis is the shared state being away, whatever node-redis calls it. */
async function unavailableOnFailure(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    throw new StoreUnavailableError(error);
  }
}
