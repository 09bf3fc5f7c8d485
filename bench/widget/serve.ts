import { childEnv, spawnTsx } from './child.js';

/** A tree's own server (`server/main.ts`), demo mode, memory store, on a free loopback port. */
export interface DemoServer {
  url: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** main.ts prints the demo page's address once it listens; PORT=0 lets the OS pick the port. */
const READY_LINE = /Visitor \(demo host page\): (http:\/\/[^\s/]+)\/demo\//;

export function startDemoServer(root: string, publicDir: string): Promise<DemoServer> {
  const child = spawnTsx(
    root,
    'server/main.ts',
    childEnv({ PORT: '0', HOST: '127.0.0.1', QUIETLINE_DEMO: '1', QUIETLINE_PUBLIC_DIR: publicDir, LOG_LEVEL: 'warn', DRAIN_SECONDS: '2' }),
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return new Promise<DemoServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`server/main.ts did not listen within ${READY_TIMEOUT_MS / 1000} s:\n${output.trim()}`));
    }, READY_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stderr.write(chunk); // the server's warnings and errors stay visible
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = READY_LINE.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({ url: match[1]!, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server/main.ts exited with code ${code} before listening:\n${output.trim()}`));
    });
  });
}
