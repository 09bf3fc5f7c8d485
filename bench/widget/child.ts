import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Environment of every child: the caller's, minus anything that would point a demo server
 * or build at a real deployment's state (Redis, operators file, lines file, org key).
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'QUIETLINE_OPERATORS', 'QUIETLINE_LINES', 'QUIETLINE_ORG_PUBLIC_KEY', 'PORT', 'HOST']) {
    delete env[name];
  }
  return { ...env, ...extra };
}

/** `node --import tsx <script>` in `cwd`: tsx resolves from that tree's node_modules. */
export function spawnTsx(cwd: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run a script to its end; rejects with its output when it fails or overruns. */
export function runTsx(cwd: string, script: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const child = spawnTsx(cwd, script, env);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${script} ${signal ? `killed (${signal})` : `exited with code ${code}`}:\n${output.trim()}`));
    });
  });
}
