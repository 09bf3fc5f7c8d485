import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runChildTask } from '../children.js';
import type { BenchRedis } from '../redis-server.js';
import type { RoutingChildConfig, RoutingResult } from '../routing-child.js';

/** Timing stops after this long even if fewer decisions were made (Redis is slow). */
export const ROUTING_BUDGET_MS = 12_000;
export const FULL_SCAN_BUDGET_MS = 3_000;

export interface RoutingSettings {
  tickets: number;
  operators: number;
  decisions: number;
}

/** Routing decision time with many waiting tickets, in a fresh process (routing-child.ts). */
export function measureRouting(
  store: 'memory' | 'redis',
  settings: RoutingSettings,
  redis: BenchRedis | null,
  profileDir: string | null,
): Promise<RoutingResult> {
  const config: RoutingChildConfig = {
    store,
    ...(store === 'redis' ? { redisUrl: redis!.url, prefix: `qlbench-routing-${randomBytes(4).toString('hex')}` } : {}),
    tickets: settings.tickets,
    operators: settings.operators,
    decisions: settings.decisions,
    budgetMs: ROUTING_BUDGET_MS,
    fullScanMs: FULL_SCAN_BUDGET_MS,
    profileFile: profileDir ? join(profileDir, `routing-${store}.cpuprofile`) : null,
  };
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  return runChildTask<RoutingResult>({ script: 'routing-child.ts', config }, 180_000);
}
