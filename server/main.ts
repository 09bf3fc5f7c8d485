import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.js';
import { demoAccounts } from './auth/demo-accounts.js';
import { processDirectory, type AccountDirectory } from './accounts/directory.js';
import { openAccounts } from './accounts/open-directory.js';
import { systemClock } from './clock.js';
import { buildAppConfig, relayLimits } from './config/build-app-config.js';
import { ConfigError, loadLinesConfig } from './config/lines-config.js';
import { readSettings } from './config/settings.js';
import { runModeOf } from './config/run-mode.js';
import { readOrgPublicKey } from './config/org-key.js';
import { checkBuildMatches } from './config/build-info.js';
import { createLogger } from './logging.js';
import { readVoiceConfig } from './voice/voice-config.js';
import { openSharedState } from './shared-state.js';

/** The only place that reads the environment and listens. */
async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const logger = createLogger({ level: settings.LOG_LEVEL });
  const lines = await loadLinesConfig(settings.QUIETLINE_LINES);
  const publicDir = settings.QUIETLINE_PUBLIC_DIR
    ? resolve(settings.QUIETLINE_PUBLIC_DIR)
    : fileURLToPath(new URL('../dist/public/', import.meta.url));
  if (!existsSync(publicDir)) throw new ConfigError(`${publicDir}: missing; run \`npm run build\` first`);

  const demo = runModeOf(settings, process.env) === 'demo';
  // Real operators must prove their identity to visitors; demo accounts have none to prove.
  const orgPublicKey = demo ? null : await readOrgPublicKey(settings.QUIETLINE_ORG_PUBLIC_KEY);
  if (!demo && !orgPublicKey) {
    throw new ConfigError(
      `environment: QUIETLINE_ORG_PUBLIC_KEY: no organisation key at ${settings.QUIETLINE_ORG_PUBLIC_KEY} (create one with \`npm run org-key -- create\`, then rebuild)`,
    );
  }
  await checkBuildMatches(publicDir, orgPublicKey);
  // A suffix per start: a node restarted under the same name must not be taken for the one
  // before it, whose sockets (recorded in Redis as held by that name) died with it.
  const nodeId = `${settings.QUIETLINE_NODE_ID ?? hostname()}-${randomBytes(3).toString('hex')}`;
  const clusterNodes = settings.REDIS_CLUSTER_NODES?.split(',').map((s) => s.trim()).filter(Boolean);
  const shared = await openSharedState({
    redisUrl: settings.REDIS_URL,
    clusterNodes,
    prefix: settings.REDIS_KEY_PREFIX,
    clock: systemClock,
    logger,
  });
  const { store, bus } = shared;
  // The demo's admin manages the demo accounts like real ones, in this process only.
  let directory: AccountDirectory;
  let demoPasswords: Map<string, string> | null = null;
  if (demo) {
    const { accounts, passwords } = await demoAccounts(lines);
    directory = processDirectory(accounts);
    demoPasswords = passwords;
  } else {
    // Fail now, not at first sign-in: the accounts parse and name only known lines and topics.
    const opened = await openAccounts(shared, settings.QUIETLINE_OPERATORS, lines);
    directory = opened.directory;
    if (opened.imported > 0) logger.info({ event: 'accounts.imported', count: opened.imported }, 'operators file copied into Redis');
  }
  const localBase = `http://${settings.HOST === '0.0.0.0' ? 'localhost' : settings.HOST}:${settings.PORT}`;
  const voice = readVoiceConfig(settings, demo, localBase);
  const config = buildAppConfig(
    // The demo runs on plain http at any hour; a real deployment keeps both safeguards.
    demo ? { ...settings, QUIETLINE_IGNORE_HOURS: true, COOKIE_SECURE: false } : settings,
    lines,
    publicDir,
    orgPublicKey,
    voice,
  );

  const app = createApp({
    config,
    store,
    bus,
    nodeId,
    keyPrefix: settings.REDIS_KEY_PREFIX,
    clock: systemClock,
    logger,
    directory,
    limits: relayLimits(settings),
  });
  await app.ready;
  await new Promise<void>((resolve) => app.server.listen(settings.PORT, settings.HOST, resolve));
  if (app.metricsServer && config.metrics?.port) {
    await new Promise<void>((resolve) => app.metricsServer!.listen(config.metrics!.port!, config.metrics!.host, resolve));
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const base = `http://${settings.HOST === '0.0.0.0' ? 'localhost' : settings.HOST}:${port}`;
  logger.info({ event: 'listening', port, mode: demo ? 'demo' : 'configured', node: nodeId, status: shared.kind }, 'listening');

  const storeName = { memory: 'memory store', redis: 'Redis', 'redis-cluster': 'Redis Cluster' }[shared.kind];
  const out = [`\nQuietline is running (${storeName}${demo ? ', demo mode' : ''}, node ${nodeId}).`, `  Visitor (demo host page): ${base}/demo/`, `  Operator console:         ${base}/console/`];
  if (config.voice?.mode === 'simulated') {
    const flags = voice!.publicBaseUrl === 'http://127.0.0.1:8080' ? '' : ` --base ${voice!.publicBaseUrl}`;
    out.push(`  Phone call (simulated):    npm run call -- --line stop-it-now${flags}   (in another terminal)`);
  }
  if (demoPasswords) {
    out.push('', 'Demo accounts, shown once, valid until restart:');
    for (const [id, password] of demoPasswords) out.push(`  ${id.padEnd(16)} ${password}`);
    out.push('Opening hours are ignored in demo mode. Add real accounts with `npm run operators -- add …`.');
  }
  process.stdout.write(`${out.join('\n')}\n\n`);

  // SIGTERM drains (app.close): clients move to other nodes, what they sent is stored, and
  // they are marked away so their grace runs elsewhere. Exit anyway after DRAIN_SECONDS.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'draining', node: nodeId }, 'draining');
    setTimeout(() => {
      logger.warn({ event: 'drain.timeout', node: nodeId }, 'drain timed out');
      process.exit(1);
    }, settings.DRAIN_SECONDS * 1000).unref();
    await app.close();
    await shared.close();
    logger.info({ event: 'drained', node: nodeId }, 'drained');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`Quietline did not start: ${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
});
