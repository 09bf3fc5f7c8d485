import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildStats } from './child-ipc.js';

/** How a server under test is started: one child process each, so it has a core to itself. */
export interface ChildSpec {
  /** Script in bench/, e.g. 'server.ts' or 'raw-relay.ts'. */
  script: string;
  /** Passed to the child as JSON in BENCH_CHILD. */
  config: unknown;
}

export interface RunningChild {
  port: number;
  url: string;
  wsUrl: string;
  pid: number;
  /** RSS (after a full GC unless gc is false) and CPU time so far. */
  stats(gc?: boolean): Promise<ChildStats>;
  /** Start a CPU profile of the child's main thread, or stop it and write it to `file`. */
  profile(action: 'start' | 'stop', file: string): Promise<void>;
  /** Ask the child to close and exit; kill it if it does not within 10 s. */
  stop(): Promise<void>;
}

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
/** An overloaded child answers late; past this its figure is given up. */
const ANSWER_TIMEOUT_MS = 60_000;

function forkChild(spec: ChildSpec): ChildProcess {
  return fork(benchDir + spec.script, [], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
    env: { ...process.env, BENCH_CHILD: JSON.stringify(spec.config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Run a child that does one job and sends back `{ type: 'result' }`, then exits. */
export function runChildTask<T>(spec: ChildSpec, timeoutMs: number): Promise<T> {
  const child = forkChild(spec);
  return new Promise<T>((resolve, reject) => {
    let result: { value: T } | null = null;
    let failure: string | null = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${spec.script} did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'result') result = { value: message.result as T };
      else if (message.type === 'failed') failure = message.message;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (result) resolve(result.value);
      else reject(new Error(`${spec.script} ${failure ? `failed: ${failure}` : `exited with code ${code} without a result`}`));
    });
  });
}

export async function startChild(spec: ChildSpec): Promise<RunningChild> {
  const child = forkChild(spec);
  let nextId = 0;
  const waiting = new Map<number, (answer: ChildMessage) => void>();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.on('message', (raw) => {
    const message = raw as ChildMessage;
    if (message.type === 'stats' || message.type === 'profiled') {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    }
  });
  const ask = (what: string, command: (id: number) => object) => {
    const id = nextId++;
    return new Promise<ChildMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${spec.script}: no ${what} within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
      waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      child.send(command(id));
    });
  };

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.script} did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${spec.script} failed to start: ${message.message}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.script} exited with code ${code} before it was ready`));
    });
  });

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid: child.pid!,
    async stats(gc = true) {
      const answer = await ask('stats', (id) => ({ cmd: 'stats', id, gc }));
      return (answer as Extract<ChildMessage, { type: 'stats' }>).stats;
    },
    async profile(action, file) {
      await ask(`profile ${action}`, (id) => ({ cmd: 'profile', id, action, file }));
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ cmd: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
