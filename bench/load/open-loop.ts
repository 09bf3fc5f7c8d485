import type { Fleet } from './chat-link.js';

export interface OpenLoopOptions {
  /** Messages delivered per second in total, as counted by the closed loop: both directions. */
  deliveredPerSecond: number;
  warmupMs: number;
  durationMs: number;
  mark?: (at: 'start' | 'end') => Promise<void>;
}

export interface OpenLoopResult {
  /** One-way visitor → operator latencies of messages sent in the window, in ms, sorted. */
  latencies: Float64Array;
  /** Visitor messages sent in the window, and how many of them never arrived. */
  sent: number;
  lost: number;
  /** Offered visitor messages per second, and what the sender achieved. */
  offeredPerSecond: number;
  achievedPerSecond: number;
  /** Largest delay of the sender behind its schedule, in ms. */
  maxSenderLagMs: number;
  loadCpuPercent: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The sender wakes this often and sends whatever is due. */
const TICK_MS = 1;

/**
 * Latency at a fixed offered load: visitors send at a fixed total rate, round-robin over
 * the chats, whatever the server does (an open loop). Each operator answers every message
 * at once, so the server carries the same two-way traffic as in the closed loop; half of
 * `deliveredPerSecond` is visitor messages. Send → arrival is timed in this one process.
 */
export async function openLoop(fleet: Fleet, options: OpenLoopOptions): Promise<OpenLoopResult> {
  const visitorRate = options.deliveredPerSecond / 2;
  const chats = fleet.chats;
  const sentAt = chats.map(() => [] as number[]);
  const heads = chats.map(() => 0);
  const latencies: number[] = [];
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let sentInWindow = 0;
  let arrivedInWindow = 0;

  chats.forEach((chat, i) => {
    chat.onAtOperator = () => {
      const now = performance.now();
      const at = sentAt[i]![heads[i]!++]!;
      if (at >= windowStart && at < windowEnd) {
        latencies.push(now - at);
        arrivedInWindow++;
      }
      chat.sendFromOperator();
    };
    chat.onAtVisitor = () => undefined;
  });

  const start = performance.now();
  let sent = 0;
  let next = 0;
  let maxLag = 0;
  let cpu0 = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const due = Math.floor(((now - start) * visitorRate) / 1000) - sent;
    if (due > 1) maxLag = Math.max(maxLag, ((due - 1) * 1000) / visitorRate);
    for (let n = 0; n < due; n++) {
      const i = next;
      next = (next + 1) % chats.length;
      const at = performance.now();
      sentAt[i]!.push(at);
      if (at >= windowStart && at < windowEnd) sentInWindow++;
      chats[i]!.sendFromVisitor();
      sent++;
    }
  }, TICK_MS);

  await sleep(options.warmupMs);
  await options.mark?.('start');
  cpu0 = process.cpuUsage();
  windowStart = performance.now();
  const sentBefore = sent;
  await sleep(options.durationMs);
  windowEnd = performance.now();
  const sentDuring = sent - sentBefore;
  const cpu = process.cpuUsage(cpu0);
  await options.mark?.('end');
  clearInterval(timer);
  // Whatever has not arrived 2 s after the window closed counts as lost.
  await sleep(2000);
  const seconds = (windowEnd - windowStart) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    latencies: sorted,
    sent: sentInWindow,
    lost: sentInWindow - arrivedInWindow,
    offeredPerSecond: visitorRate,
    achievedPerSecond: sentDuring / seconds,
    maxSenderLagMs: maxLag,
    loadCpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
  };
}
