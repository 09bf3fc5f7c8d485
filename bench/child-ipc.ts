import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * The child side of the bench's IPC: a server under test answers `stats` (RSS after a full
 * GC, CPU time so far), `profile` (start or stop a CPU profile of its main thread, so only
 * the measured window is profiled) and `stop` (close, then exit).
 */
export interface ChildStats {
  /** Resident set size in bytes, measured after gc() when the child runs with --expose-gc. */
  rss: number;
  heapUsed: number;
  /** process.cpuUsage(): user + system CPU time since start, in microseconds. */
  cpuMicros: number;
  gc: boolean;
}

export type ParentCommand =
  | { cmd: 'stats'; id: number; gc: boolean }
  | { cmd: 'profile'; id: number; action: 'start' | 'stop'; file: string }
  | { cmd: 'stop' };

export type ChildMessage =
  | { type: 'ready'; port: number }
  | { type: 'stats'; id: number; stats: ChildStats }
  | { type: 'profiled'; id: number }
  | { type: 'result'; result: unknown }
  | { type: 'failed'; message: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function statsNow(gc: boolean): Promise<ChildStats> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) {
    // Two passes and a pause: the second pass picks up what finalisers released.
    collect();
    await sleep(50);
    collect();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return { rss: memory.rss, heapUsed: memory.heapUsed, cpuMicros: cpu.user + cpu.system, gc: gc && collect !== undefined };
}

/** Sampling interval of the CPU profiler, in microseconds. */
const SAMPLE_US = 250;

/** A CPU profile of this thread, started and stopped on demand (the inspector protocol). */
export class Profiler {
  private session: Session | null = null;

  private post(method: string, params: object = {}): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.session!.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  }

  async start(): Promise<void> {
    if (this.session) return;
    this.session = new Session();
    this.session.connect();
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: SAMPLE_US });
    await this.post('Profiler.start');
  }

  /** Stop and write the profile as a .cpuprofile file (the format node --cpu-prof writes). */
  async stop(file: string): Promise<void> {
    if (!this.session) return;
    const { profile } = (await this.post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    this.session.disconnect();
    this.session = null;
  }
}

export function tellParent(message: ChildMessage): void {
  process.send?.(message);
}

/** Answer the parent's commands; `close` releases the server before the process exits. */
export function serveParent(close: () => Promise<void>): void {
  const profiler = new Profiler();
  process.on('message', (raw) => {
    const command = raw as ParentCommand;
    if (command.cmd === 'stats') {
      void statsNow(command.gc).then((stats) => tellParent({ type: 'stats', id: command.id, stats }));
    } else if (command.cmd === 'profile') {
      void (command.action === 'start' ? profiler.start() : profiler.stop(command.file))
        .catch((error: unknown) => process.stderr.write(`bench child: profile ${command.action} failed: ${String(error)}\n`))
        .finally(() => tellParent({ type: 'profiled', id: command.id }));
    } else if (command.cmd === 'stop') {
      void close()
        .catch(() => undefined)
        .finally(() => process.exit(0));
    }
  });
  // The parent went away (it crashed or was interrupted): never linger.
  process.on('disconnect', () => process.exit(0));
}

/** Report a start-up failure to the parent, then exit non-zero once the report is sent. */
export function failStart(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`bench child failed: ${message}\n`);
  const exit = () => process.exit(1);
  if (process.send) process.send({ type: 'failed', message } satisfies ChildMessage, exit);
  else exit();
  setTimeout(exit, 1000).unref();
}
