import { openLoop } from '../load/open-loop.js';
import { summarise } from '../stats.js';
import { startDriven, type TargetEnv, type TargetKind } from '../targets.js';

export interface LatencyFigure {
  target: TargetKind;
  chats: number;
  /** Offered load in delivered messages per second (both directions), and visitor sends/s. */
  offeredDeliveredPerSecond: number;
  visitorSendsPerSecond: number;
  achievedVisitorSendsPerSecond: number;
  /** One-way visitor → operator, in ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  samples: number;
  lost: number;
  maxSenderLagMs: number;
  serverCpuPercent: number;
  loadCpuPercent: number;
  /** What went wrong while the chats were opened, and afterwards (warm-up, window, drain). */
  setupProblems: Record<string, number>;
  problems: Record<string, number>;
  setupSeconds: number;
}

export interface LatencySettings {
  chats: number;
  deliveredPerSecond: number;
  warmupMs: number;
  durationMs: number;
}

/** One-way latency at a fixed offered load (see open-loop.ts). */
export async function measureLatency(kind: TargetKind, settings: LatencySettings, env: TargetEnv): Promise<LatencyFigure> {
  const setupStart = performance.now();
  const target = await startDriven(kind, settings.chats, env);
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const setupProblems = target.fleet.counters.problems.toJSON();
  try {
    let cpuStart = 0;
    let cpuEnd = 0;
    const seconds = settings.durationMs / 1000;
    const result = await openLoop(target.fleet, {
      deliveredPerSecond: settings.deliveredPerSecond,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      mark: async (at) => {
        if (at === 'start') cpuStart = await target.mark('start');
        else cpuEnd = await target.mark('end');
      },
    });
    const summary = summarise(result.latencies);
    return {
      target: kind,
      chats: settings.chats,
      offeredDeliveredPerSecond: settings.deliveredPerSecond,
      visitorSendsPerSecond: result.offeredPerSecond,
      achievedVisitorSendsPerSecond: result.achievedPerSecond,
      p50: summary.p50,
      p90: summary.p90,
      p99: summary.p99,
      max: summary.max,
      mean: summary.mean,
      samples: summary.count,
      lost: result.lost,
      maxSenderLagMs: result.maxSenderLagMs,
      serverCpuPercent: ((cpuEnd - cpuStart) / 1000 / (seconds * 1000)) * 100,
      loadCpuPercent: result.loadCpuPercent,
      setupProblems,
      problems: target.fleet.counters.problems.since(setupProblems),
      setupSeconds,
    };
  } finally {
    await target.stop();
  }
}
