import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type RunningChild } from './children.js';
import { operatorsFor } from './load/accounts.js';
import type { Fleet } from './load/chat-link.js';
import { openQuietlineFleet } from './load/quietline-fleet.js';
import { openRawFleet } from './load/raw-fleet.js';
import type { BenchRedis } from './redis-server.js';
import type { QuietlineChildConfig } from './server.js';

/**
 * What a run drives: the raw ws relay (the baseline), one Quietline node with the memory
 * store, or two Quietline nodes sharing the bench's Redis (visitors on node A, operators on
 * node B, so every message crosses the bus).
 */
export type TargetKind = 'raw' | 'memory' | 'redis';

export const TARGET_NAMES: Record<TargetKind, string> = {
  raw: 'raw ws relay',
  memory: 'Quietline, 1 node, memory',
  redis: 'Quietline, 2 nodes, Redis',
};

export interface TargetEnv {
  redis: BenchRedis | null;
  /** Write CPU profiles of the server processes here (--profile). */
  profileDir: string | null;
  /** Names the profiles, e.g. 'throughput'. */
  label: string;
}

export interface Target {
  kind: TargetKind;
  children: RunningChild[];
  /**
   * The measured window starts or ends: returns the CPU time used so far by every server
   * process of this target (Redis included), in µs, or NaN when a process is too busy to
   * answer within a minute. With --profile, also starts or stops (and writes) their profiles.
   */
  mark(at: 'start' | 'end'): Promise<number>;
  /** With --profile: start, or stop and write, a profile of every server process, named `<tag>-<process>`. */
  profile(action: 'start' | 'stop', tag: string): Promise<void>;
  stop(): Promise<void>;
}

export interface DrivenTarget extends Target {
  fleet: Fleet;
}

/** Start the server processes of a target, sized for `chats` chats. */
export async function startTarget(kind: TargetKind, chats: number, env: TargetEnv): Promise<Target> {
  const children: RunningChild[] = [];
  const names: string[] = [];
  const stopAll = async () => {
    await Promise.all(children.map((c) => c.stop()));
  };
  try {
    if (kind === 'raw') {
      children.push(await startChild({ script: 'raw-relay.ts', config: {} }));
      names.push('raw');
    } else if (kind === 'memory') {
      const config: QuietlineChildConfig = { store: 'memory', operators: operatorsFor(chats) };
      children.push(await startChild({ script: 'server.ts', config }));
      names.push('memory');
    } else {
      if (!env.redis) throw new Error('the Redis target needs the bench redis-server');
      const prefix = `qlbench-${env.label}-${randomBytes(4).toString('hex')}`;
      for (const nodeId of ['node-a', 'node-b']) {
        const config: QuietlineChildConfig = { store: 'redis', redisUrl: env.redis.url, prefix, nodeId, operators: operatorsFor(chats) };
        children.push(await startChild({ script: 'server.ts', config }));
        names.push(`redis-${nodeId}`);
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  const profile = async (action: 'start' | 'stop', tag: string) => {
    const dir = env.profileDir;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await Promise.all(children.map((c, i) => c.profile(action, join(dir, `${tag}-${names[i]}.cpuprofile`)).catch(() => undefined)));
  };
  return {
    kind,
    children,
    profile,
    async mark(at) {
      const each = await Promise.all(children.map((c) => c.stats(false).then((s) => s.cpuMicros, () => Number.NaN)));
      const cpu = each.reduce((a, b) => a + b, 0) + (kind === 'redis' && env.redis ? env.redis.cpuMicros() : 0);
      await profile(at === 'start' ? 'start' : 'stop', env.label);
      return cpu;
    },
    stop: stopAll,
  };
}

/** Start a target and open `chats` chats through it, ready to drive. */
export async function startDriven(kind: TargetKind, chats: number, env: TargetEnv): Promise<DrivenTarget> {
  const target = await startTarget(kind, chats, env);
  try {
    const [a, b] = target.children;
    // Opening the chats is profiled too: how set-up time grows with the chats already open.
    await target.profile('start', `${env.label}-setup`);
    const fleet =
      kind === 'raw'
        ? await openRawFleet(a!.wsUrl, chats)
        : await openQuietlineFleet({ visitors: a!, operators: b ?? a!, chats, operatorCount: operatorsFor(chats) });
    await target.profile('stop', `${env.label}-setup`);
    return {
      ...target,
      fleet,
      async stop() {
        await fleet.close();
        await target.stop();
      },
    };
  } catch (error) {
    await target.stop();
    throw error;
  }
}
