import {
  AbortError,
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  createClient,
  createCluster,
  DisconnectsClientError,
  ErrorReply,
  MaxCommandRedirectionsError,
  ReconnectStrategyError,
  RootNodesUnavailableError,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
  type RedisClientType,
  type RedisClusterType,
} from 'redis';
import { errorFields, type Logger } from '../logging.js';
import { StoreUnavailableError } from './store.js';

/**
 * One way to reach Redis, single or Cluster, for the store and (with its own connection) the
 * bus. Commands fail fast while Redis is down instead of queueing (`disableOfflineQueue`), the
 * client reconnects for ever with a capped backoff, and every 'error' event has a listener —
 * node-redis would otherwise crash the process on the first dropped socket.
 */
export interface RedisConnectionOptions {
  /** redis://host:port of a single Redis. */
  url?: string;
  /** redis://host:port of some Cluster masters: Cluster mode when given. */
  clusterNodes?: string[];
  logger?: Logger;
}

export type RedisSingleClient = RedisClientType;
export type RedisClusterClient = RedisClusterType;
export type RedisConnection = { mode: 'single'; client: RedisSingleClient } | { mode: 'cluster'; cluster: RedisClusterClient };

/** Attempts at the very first connection before connect() gives up (about 1.5 s): a store that never came up fails init. */
const FIRST_CONNECT_ATTEMPTS = 5;
const CONNECT_TIMEOUT_MS = 2_000;

/** Retry for ever once connected, backing off by 100 ms a try up to 2 s. */
export function reconnectDelay(retries: number): number {
  return Math.min((retries + 1) * 100, 2_000);
}

/**
 * Create (not connect) a client or cluster client with Quietline's options. `everReady` says
 * whether a first connection succeeded: until then the client gives up after a few tries, so
 * connecting to a Redis that is not there fails instead of waiting for ever.
 */
export function createRedisConnection(options: RedisConnectionOptions, everReady: () => boolean = () => true): RedisConnection {
  const socket = {
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectStrategy: (retries: number) => (everReady() || retries < FIRST_CONNECT_ATTEMPTS ? reconnectDelay(retries) : false),
  };
  // No per-command timeout: node-redis makes one AbortSignal.timeout per command, which cost
  // 15–20% of a node's CPU under load (npm run bench). A Redis that is down fails calls at
  // once (no offline queue); a stalled one delays them until TCP keep-alive gives up or it
  // answers again, and the availability probe's ping has a timeout of its own.
  const commandOptions = { timeout: 0 };
  // Every retry while Redis is down emits 'error': debug level, the owner logs the outage itself.
  const log = (event: string) => (error: unknown) => options.logger?.debug({ event, ...errorFields(error) }, 'redis connection error');
  if (options.clusterNodes && options.clusterNodes.length > 0) {
    const cluster = createCluster({
      rootNodes: options.clusterNodes.map((url) => ({ url, socket })),
      defaults: { disableOfflineQueue: true, socket },
      commandOptions,
    });
    cluster.on('error', log('redis-cluster-error'));
    cluster.on('node-error', log('redis-node-error'));
    return { mode: 'cluster', cluster };
  }
  if (!options.url) throw new Error('Redis needs a url or clusterNodes');
  const client = createClient({ url: options.url, disableOfflineQueue: true, socket, commandOptions });
  client.on('error', log('redis-error'));
  return { mode: 'single', client };
}

const DOWN_REPLIES = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|BUSY|NOREPLICAS|READONLY)\b/;
const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'EAI_AGAIN']);

/** Whether a failed command failed because Redis could not be reached (rather than a bug). */
export function isConnectivityError(error: unknown): boolean {
  if (error instanceof ErrorReply) return DOWN_REPLIES.test(error.message);
  if (
    error instanceof ClientClosedError ||
    error instanceof ClientOfflineError ||
    error instanceof SocketClosedUnexpectedlyError ||
    error instanceof ConnectionTimeoutError ||
    error instanceof SocketTimeoutError ||
    error instanceof DisconnectsClientError ||
    error instanceof RootNodesUnavailableError ||
    error instanceof ReconnectStrategyError ||
    error instanceof MaxCommandRedirectionsError ||
    error instanceof AbortError ||
    error instanceof TimeoutError ||
    error instanceof StoreUnavailableError
  ) {
    return true;
  }
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && DOWN_CODES.has(e.code)) return true;
  // The cluster client's own words when a node or the whole cluster cannot be reached.
  return typeof e?.message === 'string' && /^(Cluster closed|Cannot find node|Cluster already open|Socket closed unexpectedly)/.test(e.message);
}

function unavailable(error: unknown): unknown {
  return isConnectivityError(error) && !(error instanceof StoreUnavailableError) ? new StoreUnavailableError(error) : error;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(new Error(`no answer within ${ms} ms`))), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A Lua script, run by its SHA1 and loaded on the first NOSCRIPT (a new or restarted node). */
export interface LuaScript {
  name: string;
  source: string;
  sha: string;
}

const PING_TIMEOUT_MS = 1_000;
const PROBE_EVERY_MS = 250;

/**
 * The store's connection: runs scripts (every command failure caused by connectivity becomes
 * a StoreUnavailableError), pings, and says when Redis goes away and comes back. A single
 * client reports through its own events; a Cluster is unavailable as soon as any node drops
 * and available again once every master answers a ping (probed on a real, unref'd timer).
 */
export class RedisLink {
  private connection: RedisConnection | null = null;
  private readonly listeners: ((available: boolean) => void)[] = [];
  private available = false;
  private ready = false;
  private closing = false;
  private probe: NodeJS.Timeout | null = null;

  constructor(private readonly options: RedisConnectionOptions) {}

  get mode(): 'single' | 'cluster' {
    return this.options.clusterNodes && this.options.clusterNodes.length > 0 ? 'cluster' : 'single';
  }

  onAvailability(listener: (available: boolean) => void): void {
    this.listeners.push(listener);
  }

  async connect(): Promise<void> {
    if (this.connection) return;
    this.closing = false;
    this.ready = false;
    const connection = createRedisConnection(this.options, () => this.ready);
    this.connection = connection;
    if (connection.mode === 'single') {
      const { client } = connection;
      client.on('ready', () => this.setAvailable(true));
      for (const event of ['end', 'reconnecting', 'error'] as const) client.on(event, () => this.setAvailable(false));
    } else {
      const { cluster } = connection;
      for (const event of ['node-error', 'node-reconnecting', 'node-disconnect', 'error'] as const) cluster.on(event, () => this.setAvailable(false));
      cluster.on('node-ready', () => void this.probeOnce());
    }
    try {
      if (connection.mode === 'single') await connection.client.connect();
      else await connection.cluster.connect();
    } catch (error) {
      this.connection = null;
      this.destroy(connection);
      throw new StoreUnavailableError(error);
    }
    this.ready = true;
    this.available = true;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.closing = true;
    this.stopProbe();
    if (!connection) return;
    try {
      // A graceful close waits for replies in flight; a Redis that is down will not send them.
      const closing = connection.mode === 'single' ? connection.client.close() : connection.cluster.close();
      await withTimeout(closing, PING_TIMEOUT_MS);
    } catch {
      // already closed or down: nothing left to wait for
    } finally {
      this.destroy(connection);
    }
  }

  async ping(): Promise<void> {
    const connection = this.live();
    try {
      if (connection.mode === 'single') {
        await withTimeout(connection.client.ping(), PING_TIMEOUT_MS);
      } else {
        // A master that answers is not enough: while one is missing the others refuse with
        // CLUSTERDOWN, so each must also say the cluster is ok.
        const { cluster } = connection;
        if (cluster.masters.length === 0) throw new StoreUnavailableError();
        const check = async (master: (typeof cluster.masters)[number]) => {
          const info = String(await (await cluster.nodeClient(master)).sendCommand(['CLUSTER', 'INFO']));
          if (!info.includes('cluster_state:ok')) throw new StoreUnavailableError(new Error('cluster state is not ok'));
        };
        await withTimeout(Promise.all(cluster.masters.map(check)), PING_TIMEOUT_MS);
      }
    } catch (error) {
      throw isConnectivityError(error) ? unavailable(error) : new StoreUnavailableError(error);
    }
  }

  /** EVALSHA, or EVAL when the node does not know the script yet. Keys route it in a Cluster. */
  async run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    const connection = this.live();
    const options = { keys, arguments: args };
    try {
      try {
        return connection.mode === 'single'
          ? await connection.client.evalSha(script.sha, options)
          : await connection.cluster.evalSha(script.sha, options);
      } catch (error) {
        if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
        return connection.mode === 'single'
          ? await connection.client.eval(script.source, options)
          : await connection.cluster.eval(script.source, options);
      }
    } catch (error) {
      throw unavailable(error);
    }
  }

  /**
   * One plain read command on the slot of `key` (which must be in `args`), raw reply. Cheaper
   * on the client than a script when a read needs no decision, such as many HGETALLs.
   */
  async read(key: string, args: string[]): Promise<unknown> {
    const connection = this.live();
    try {
      return connection.mode === 'single' ? await connection.client.sendCommand(args) : await connection.cluster.sendCommand(key, true, args);
    } catch (error) {
      throw unavailable(error);
    }
  }

  private live(): RedisConnection {
    if (!this.connection) throw new StoreUnavailableError(new Error('store is closed'));
    return this.connection;
  }

  private setAvailable(available: boolean): void {
    if (this.closing || !this.ready || this.available === available) return;
    this.available = available;
    if (available) this.options.logger?.info({ event: 'redis-available' }, 'redis reachable again');
    else this.options.logger?.warn({ event: 'redis-unavailable' }, 'redis unreachable');
    for (const listener of this.listeners) {
      try {
        listener(available);
      } catch {
        // a listener's failure is its own
      }
    }
    // Events alone could leave us 'down' after a stray error with no reconnect to follow:
    // a probe pings until Redis answers (for a Cluster, the only way to learn it is back).
    if (available) this.stopProbe();
    else this.startProbe();
  }

  private startProbe(): void {
    if (this.probe) return;
    this.probe = setInterval(() => void this.probeOnce(), PROBE_EVERY_MS);
    this.probe.unref();
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }

  private async probeOnce(): Promise<void> {
    if (this.available || this.closing || !this.connection) return;
    try {
      await this.ping();
      this.setAvailable(true);
    } catch {
      // still down: the next probe tries again
    }
  }

  private destroy(connection: RedisConnection): void {
    try {
      if (connection.mode === 'single') connection.client.destroy();
      else connection.cluster.destroy();
    } catch {
      // already destroyed
    }
  }
}
