import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newSigningKeyPair, readyIdentity, type OperatorIdentityFile } from '../../identity/certificates.js';
import { hashPassword } from '../../server/auth/password.js';
import { buildWithOrgKey, writeIdentityFile } from '../browser/browser.js';
import { TEST_SCRYPT, TEST_PASSWORD, type TestOperator } from './test-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A real deployment on disk, as `npm run org-key`, `npm run operators` and `npm run build`
 * make one: an organisation key, a widget built with it, an operators file, and each
 * operator's certified identity. Nodes started from it are real `server/main.ts` processes.
 */
export interface Deployment {
  dir: string;
  env: Record<string, string>;
  identities: Map<string, OperatorIdentityFile>;
  dispose(): void;
}

export async function makeDeployment(operators: TestOperator[]): Promise<Deployment> {
  await readyIdentity();
  const dir = mkdtempSync(join(tmpdir(), 'quietline-deploy-'));
  const org = newSigningKeyPair();
  const publicDir = buildWithOrgKey(dir, org.publicKey);
  const accounts = await Promise.all(
    operators.map(async (o) => ({
      id: o.id,
      name: o.name ?? o.id,
      role: o.role ?? 'operator',
      lines: o.lines,
      languages: o.languages,
      topics: o.topics,
      capacity: o.capacity ?? 3,
      passwordHash: await hashPassword(TEST_PASSWORD, TEST_SCRYPT),
    })),
  );
  // buildWithOrgKey wrote an empty operators file; the real accounts replace it.
  writeFileSync(join(dir, 'operators.json'), `${JSON.stringify({ operators: accounts }, null, 2)}\n`, { mode: 0o600 });
  const identities = new Map<string, OperatorIdentityFile>();
  for (const a of accounts) identities.set(a.id, writeIdentityFile(dir, `${a.id}.identity.json`, org.secretKey, a).identity);
  return {
    dir,
    identities,
    env: {
      QUIETLINE_DEMO: '0',
      QUIETLINE_OPERATORS: join(dir, 'operators.json'),
      QUIETLINE_ORG_PUBLIC_KEY: join(dir, 'org-public-key.txt'),
      QUIETLINE_PUBLIC_DIR: publicDir,
      QUIETLINE_IGNORE_HOURS: '1',
      COOKIE_SECURE: '0',
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface NodeProcess {
  nodeId: string;
  url: string;
  wsUrl: string;
  child: ChildProcess;
  /** Every JSON log line the node wrote. */
  logLines: string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Start `server/main.ts` as its own process; resolves once it listens. */
export async function startNode(deployment: Deployment, nodeId: string, env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, ...deployment.env, ...env, PORT: '0', HOST: '127.0.0.1', QUIETLINE_NODE_ID: nodeId, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logLines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk) => {
      buffered += String(chunk);
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        logLines.push(line);
        const entry = JSON.parse(line) as { event?: string; port?: number };
        if (entry.event === 'listening' && entry.port) resolve(entry.port);
      }
    });
    void exited.then((code) => reject(new Error(`node ${nodeId} exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    nodeId,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    child,
    logLines,
    exited,
    kill: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

const running = new Set<ChildProcess>();
// A failing test must not leave nodes running behind it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
