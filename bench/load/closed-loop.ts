import type { Fleet } from './chat-link.js';

export interface ClosedLoopOptions {
  /** Messages each chat keeps in flight (each one goes visitor → operator → visitor). */
  inflight: number;
  warmupMs: number;
  durationMs: number;
  /** Called at the start and end of the measured window (to read the server's CPU). */
  mark?: (at: 'start' | 'end') => Promise<void>;
}

export interface ClosedLoopResult {
  /** Messages delivered (either direction) inside the measured window. */
  delivered: number;
  seconds: number;
  perSecond: number;
  /** Load generator CPU over the window, in % of one core. */
  loadCpuPercent: number;
  /** Chats that stopped early because they neared the server's per-chat buffer cap. */
  chatsCapped: number;
}

/**
 * How far below Quietline's per-chat, per-direction buffer cap (MAX_BUFFERED_MESSAGES) a
 * chat stops, rather than draw ERR_CHAT_TOO_LONG. The raw relay has no cap.
 */
const CAP_MARGIN = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Maximum throughput: every chat keeps `inflight` messages circulating. A message goes from
 * the visitor to the operator, who answers at once; the answer's arrival lets the visitor
 * send the next. Each arrival at either end is one delivered message.
 */
export async function closedLoop(fleet: Fleet, options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  let counting = false;
  let stopped = false;
  let delivered = 0;
  let capped = 0;
  const sendCap = fleet.messageCap === null ? Infinity : fleet.messageCap - CAP_MARGIN;
  for (const chat of fleet.chats) {
    chat.onAtOperator = () => {
      if (counting) delivered++;
      if (!stopped) chat.sendFromOperator();
    };
    chat.onAtVisitor = () => {
      if (counting) delivered++;
      if (stopped) return;
      if (chat.visitorSent >= sendCap) {
        if (chat.visitorSent === sendCap) capped++;
        return;
      }
      chat.sendFromVisitor();
    };
  }
  for (const chat of fleet.chats) for (let k = 0; k < options.inflight; k++) chat.sendFromVisitor();

  await sleep(options.warmupMs);
  await options.mark?.('start');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  counting = true;
  await sleep(options.durationMs);
  counting = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await options.mark?.('end');
  stopped = true;
  // Let what is in flight land before the sockets close, so nothing reads as an error.
  await sleep(300);
  return {
    delivered,
    seconds,
    perSecond: delivered / seconds,
    loadCpuPercent: ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100,
    chatsCapped: capped,
  };
}
