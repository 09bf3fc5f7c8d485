import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createClient } from 'redis';

/**
 * Real Redis for the tests: each call starts its own `redis-server` on a free loopback port
 * with a tmp dir of its own, so tests never touch a Redis somebody else uses (a system
 * Redis on 6379 included). A missing binary fails loudly: the Redis tests do not skip.
 *
 * `REDIS_URL`, when set, replaces the single server of startRedis() (not the cluster, and
 * not a `dedicated` or `persist` server): such a server cannot be stopped, killed or
 * restarted by the tests, so the tests that do that always ask for a dedicated one.
 */
export interface RedisProcess {
  url: string;
  port: number;
  /** True when this is the REDIS_URL server: stop() leaves it running, kill()/restart() throw. */
  external: boolean;
  /** SIGTERM and wait for the exit; the tmp dir goes too, unless the server persists or is a Cluster node. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit (a crash); the tmp dir stays so restart() finds the AOF. */
  kill(): Promise<void>;
  /** Start again on the same port and dir (stopping it first if it runs): AOF data comes back when persist is true. */
  restart(): Promise<void>;
  /** Stop for good and remove the tmp dir, whatever the options. */
  dispose(): Promise<void>;
}

export interface StartRedisOptions {
  /** Append-only file with fsync on every write, so kill() + restart() keeps the data. */
  persist?: boolean;
  /** Always start an own server, even when REDIS_URL is set (needed to stop or restart it). */
  dedicated?: boolean;
}

export interface RedisClusterProcess {
  /** redis://127.0.0.1:<port> of each master. */
  rootNodes: string[];
  /** The three masters, to stop, kill or restart one of them (a restarted node rejoins with its slots, not its data). */
  nodes: RedisProcess[];
  /** Stop every master and remove their tmp dirs. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const READY_LINE = /Ready to accept connections/;

interface Started {
  child: ChildProcess | null;
  dir: string;
}

/** Everything started and not yet disposed, so an exiting test process leaves nothing behind. */
const started = new Set<Started>();
let exitHookInstalled = false;

/**
 * Kill every redis-server this process started and remove their tmp dirs, synchronously (it
 * runs from process 'exit'). Installed automatically by the first start; exported for a
 * caller that wants to clean up earlier.
 */
export function killStartedRedis(): void {
  for (const s of started) {
    if (s.child && s.child.exitCode === null && s.child.signalCode === null) {
      try {
        s.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(s.dir, { recursive: true, force: true });
  }
  started.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killStartedRedis);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killStartedRedis();
      process.kill(process.pid, signal); // the once-listener is gone: the default action runs now
    });
  }
}

function onPath(binary: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

function requireBinary(binary: 'redis-server' | 'redis-cli'): void {
  if (!onPath(binary)) {
    throw new Error(`${binary} not found on PATH: install it (apt-get install redis-server) — the Redis tests do not skip`);
  }
}

/** A port nobody listens on right now: bind port 0 on loopback, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Spawn redis-server and resolve once it logs that it accepts connections. */
function spawnServer(args: string[], dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not become ready within ${READY_TIMEOUT_MS} ms:\n${output}`));
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (READY_LINE.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining so a chatty server never blocks on a full pipe
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited before it was ready (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

function waitForExit(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** `keepDir`: stop() leaves the tmp dir for restart() (persistent servers, and Cluster nodes, whose nodes.conf holds their slots). */
async function startOwnServer(port: number, extraArgs: string[], persist: boolean, keepDir = persist): Promise<RedisProcess> {
  requireBinary('redis-server');
  installExitHook();
  const entry: Started = { child: null, dir: mkdtempSync(join(tmpdir(), 'quietline-redis-')) };
  started.add(entry);
  const args = () => [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', entry.dir,
    '--daemonize', 'no',
    '--save', '',
    ...(persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ...extraArgs,
  ];
  const launch = async () => {
    mkdirSync(entry.dir, { recursive: true });
    entry.child = await spawnServer(args(), entry.dir);
  };
  try {
    await launch();
  } catch (error) {
    rmSync(entry.dir, { recursive: true, force: true });
    started.delete(entry);
    throw error;
  }
  const dispose = async () => {
    await waitForExit(entry.child, 'SIGTERM');
    rmSync(entry.dir, { recursive: true, force: true });
    started.delete(entry);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    external: false,
    async stop() {
      if (!keepDir) return dispose();
      await waitForExit(entry.child, 'SIGTERM');
    },
    async kill() {
      await waitForExit(entry.child, 'SIGKILL');
    },
    async restart() {
      await waitForExit(entry.child, 'SIGTERM');
      started.add(entry);
      await launch();
    },
    dispose,
  };
}

/** Delete what the tests wrote to a shared REDIS_URL server: every key under one of `prefixes`. */
export async function deleteKeys(url: string, prefixes: readonly string[]): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const prefix of prefixes) {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
        if (keys.length > 0) await client.unlink(keys);
      }
    }
  } finally {
    client.destroy();
  }
}

/** One Redis: a fresh own server, or the REDIS_URL one when set and nothing dedicated is asked for. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisProcess> {
  const external = process.env.REDIS_URL;
  if (external && !options.dedicated && !options.persist) {
    const port = Number(new URL(external).port || 6379);
    const refuse = async () => {
      throw new Error('REDIS_URL is not started by the harness: kill/restart need startRedis({ dedicated: true })');
    };
    return { url: external, port, external: true, stop: async () => {}, kill: refuse, restart: refuse, dispose: async () => {} };
  }
  return startOwnServer(await freePort(), [], options.persist === true);
}

/** Run a command to its end; reject with its output unless it exits 0. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

/** Poll until every node reports cluster_state:ok with all slots assigned and all nodes known. */
async function waitForClusterOk(ports: number[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (const port of ports) {
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    client.on('error', () => {});
    await client.connect();
    try {
      for (;;) {
        const info = String(await client.sendCommand(['CLUSTER', 'INFO']));
        if (info.includes('cluster_state:ok') && info.includes('cluster_slots_assigned:16384') && info.includes(`cluster_known_nodes:${ports.length}`)) break;
        if (Date.now() > deadline) throw new Error(`Redis Cluster node ${port} not ok:\n${info}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      client.destroy();
    }
  }
}

/** Three masters, no replicas, joined with redis-cli --cluster create and checked ok on every node. */
export async function startRedisCluster(): Promise<RedisClusterProcess> {
  requireBinary('redis-server');
  requireBinary('redis-cli');
  const ports: number[] = [];
  while (ports.length < 3) {
    const port = await freePort();
    // Each node's cluster bus listens on port + 10000: that must be a port too, and no node's.
    if (port + 10_000 <= 65_535 && !ports.some((p) => p === port || p + 10_000 === port || port + 10_000 === p)) ports.push(port);
  }
  const nodes: RedisProcess[] = [];
  try {
    for (const port of ports) {
      nodes.push(
        await startOwnServer(port, ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'], false, true),
      );
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitForClusterOk(ports);
  } catch (error) {
    await Promise.all(nodes.map((n) => n.dispose()));
    throw error;
  }
  return {
    rootNodes: ports.map((p) => `redis://127.0.0.1:${p}`),
    nodes,
    async stop() {
      await Promise.all(nodes.map((n) => n.dispose()));
    },
  };
}
