import { createClient } from 'redis';
import { startRedis, type RedisProcess } from './redis-servers.js';

type Client = ReturnType<typeof adminClient>;
const adminClient = (url: string) => createClient({ url });

export interface MonitoredRedis {
  redis: RedisProcess;
  /** A client of the tests' own, to read keys and TTLs. */
  admin: Client;
  /** Every command Redis received since start, as `"CMD" "arg" …`. */
  commands: string[];
  dispose(): Promise<void>;
}

/** A Redis of the test's own with MONITOR on: what the privacy tests search. */
export async function startMonitoredRedis(): Promise<MonitoredRedis> {
  const redis = await startRedis({ dedicated: true });
  const admin = adminClient(redis.url);
  admin.on('error', () => undefined);
  await admin.connect();
  const monitor = admin.duplicate();
  monitor.on('error', () => undefined);
  await monitor.connect();
  const commands: string[] = [];
  // A monitor line is `<time> [<db> <client address>] "CMD" "arg" …`: keep the command.
  await monitor.monitor((line) => commands.push(String(line).replace(/^[^\]]*\] /, '')));
  return {
    redis,
    admin,
    commands,
    async dispose() {
      monitor.destroy();
      admin.destroy();
      await redis.dispose();
    },
  };
}
