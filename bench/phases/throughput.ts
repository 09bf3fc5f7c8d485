import { closedLoop } from '../load/closed-loop.js';
import { startDriven, type TargetEnv, type TargetKind } from '../targets.js';

export interface ThroughputFigure {
  target: TargetKind;
  chats: number;
  inflight: number;
  /** Messages delivered end to end per second, both directions together. */
  deliveredPerSecond: number;
  delivered: number;
  seconds: number;
  /** CPU of the server processes (Redis included) over the window, in % of one core. */
  serverCpuPercent: number;
  /**
   * Delivered messages per second of server CPU: what one core would carry if the server
   * process were the only limit. NaN when the server's CPU could not be read.
   */
  perServerCpuSecond: number;
  loadCpuPercent: number;
  chatsCapped: number;
  /** Sealed messages opened successfully by the receiving side (the first of each direction). */
  openedEndToEnd: number;
  /** What went wrong while the chats were opened, and afterwards (warm-up, window, drain). */
  setupProblems: Record<string, number>;
  problems: Record<string, number>;
  setupSeconds: number;
}

export interface LoadSettings {
  chats: number;
  inflight: number;
  warmupMs: number;
  durationMs: number;
}

/** Maximum messages per second through one target, with a closed loop (see closed-loop.ts). */
export async function measureThroughput(kind: TargetKind, settings: LoadSettings, env: TargetEnv): Promise<ThroughputFigure> {
  const setupStart = performance.now();
  const target = await startDriven(kind, settings.chats, env);
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const setupProblems = target.fleet.counters.problems.toJSON();
  try {
    let cpuStart = 0;
    let cpuEnd = 0;
    const result = await closedLoop(target.fleet, {
      inflight: settings.inflight,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      mark: async (at) => {
        if (at === 'start') cpuStart = await target.mark('start');
        else cpuEnd = await target.mark('end');
      },
    });
    const serverCpuPercent = ((cpuEnd - cpuStart) / 1000 / (result.seconds * 1000)) * 100;
    return {
      target: kind,
      chats: settings.chats,
      inflight: settings.inflight,
      deliveredPerSecond: result.perSecond,
      delivered: result.delivered,
      seconds: result.seconds,
      serverCpuPercent,
      perServerCpuSecond: result.perSecond / (serverCpuPercent / 100),
      loadCpuPercent: result.loadCpuPercent,
      chatsCapped: result.chatsCapped,
      openedEndToEnd: target.fleet.counters.opened,
      setupProblems,
      problems: target.fleet.counters.problems.since(setupProblems),
      setupSeconds,
    };
  } finally {
    await target.stop();
  }
}
