import { createServer, type Server } from 'node:http';
import express from 'express';
import { CLOSE_CODES } from '../protocol/close-codes.js';
import type { ErrorCode } from '../protocol/errors.js';
import { PATHS } from '../protocol/http.js';
import { AddressKeyer } from './abuse/address-key.js';
import type { AccountDirectory } from './accounts/directory.js';
import { accountsModule } from './accounts/accounts-module.js';
import { announceSessionEvent, onSessionEvents } from './auth/session-events.js';
import { SESSION_RECHECK_MS, SessionWatch } from './auth/session-watch.js';
import { hashToken, Sessions } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { AppConfig } from './config/app-config.js';
import { COUNT_ERROR, errorBoundary, sendError } from './http/errors.js';
import { QuietlineMetrics } from './metrics/metrics.js';
import { configuredQueues } from './routing/configured-queues.js';
import { metricsHandler, requireBearer } from './metrics/metrics-route.js';
import { NO_METRICS } from './metrics/relay-metrics.js';
import { leaveRoute } from './http/leave-route.js';
import { linesRoute } from './http/lines-route.js';
import { securityHeaders } from './http/security-headers.js';
import { sessionRoute } from './http/session-route.js';
import { staticFiles } from './http/static-files.js';
import { errorFields, type Logger } from './logging.js';
import { Dispatcher } from './relay/dispatcher.js';
import { MessageBudget } from './relay/message-budget.js';
import { OperatorDesk } from './relay/operator-desk.js';
import { BusOutbox } from './relay/outbox.js';
import { LocalConnections } from './relay/connections.js';
import { DEFAULT_LIMITS, type RelayContext, type RelayLimits } from './relay/relay-context.js';
import { SWEEP_LEASE, Sweeper } from './relay/sweeper.js';
import { localBus } from './bus/local-bus.js';
import type { Bus } from './bus/bus.js';
import { randomBytes } from 'node:crypto';
import { VisitorChats } from './relay/visitor-chats.js';
import type { FrameObserver } from './relay/wire.js';
import type { Store } from './store/store.js';
import type { TwilioRest } from './voice/twilio-cleanup.js';
import { voiceModule } from './voice/voice-module.js';
import { SupervisorFeed } from './stats/supervisor-feed.js';
import { acceptSockets } from './http/socket-upgrades.js';
import { QueueCounts } from './relay/queue-counts.js';
import { statsRoutes } from './stats/stats-routes.js';
import { CoverageSampler } from './stats/coverage.js';

export interface AppDeps {
  config: AppConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The operator accounts: the store's (Redis, memory) or the operators file (accounts/open-directory.ts). */
  directory: AccountDirectory;
  /** Sees every WebSocket frame; for the privacy audit in tests. */
  frameObserver?: FrameObserver;
  /** Links this node to the others (Redis pub/sub); a node alone gets an in-process bus. */
  bus?: Bus;
  /** This node's name in shared records and logs; random when not given. */
  nodeId?: string;
  /** The deployment's key prefix, shared with the store: names the bus channels. */
  keyPrefix?: string;
  limits?: Partial<RelayLimits>;
  /** Twilio's REST API for clean-up after calls; the real one when voice has an account. */
  twilioRest?: TwilioRest;
}

export interface QuietlineApp {
  server: Server;
  /** /metrics on a port of its own (METRICS_PORT), not listening yet; null otherwise. */
  metricsServer: Server | null;
  nodeId: string;
  /** Settles once this node hears the other nodes' sign-outs and account changes. */
  ready: Promise<void>;
  /**
   * Drain: stop taking work (/readyz answers 503), tell every client to reconnect elsewhere
   * (close 1012), wait until what they sent is stored and they are marked away in the store,
   * then stop. The store and bus are the caller's to close.
   */
  close(): Promise<void>;
}

/** A client that does not answer the close handshake is cut off after this long. */
const CLOSE_HANDSHAKE_MS = 2_000;

/** Build the whole service without listening: main.ts and the tests decide where it listens. */
export function createApp(deps: AppDeps): QuietlineApp {
  const { config, store, clock, directory, frameObserver } = deps;
  const nodeId = deps.nodeId ?? `node-${randomBytes(4).toString('hex')}`;
  const logger = deps.logger.child({ node: nodeId });
  const prefix = deps.keyPrefix ?? 'ql';
  const bus = deps.bus ?? localBus();
  const limits: RelayLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const linesById = new Map(config.lines.lines.map((l) => [l.id, l]));
  const connections = new LocalConnections(store, bus, prefix, logger);
  const outbox = new BusOutbox(bus, prefix, logger);
  const metrics = config.metrics ? new QuietlineMetrics({ store, clock, queues: configuredQueues(config.lines, config.voice !== null), connections: () => connections.counts() }) : null;
  const ctx: RelayContext = { config, store, clock, logger, outbox, nodeId, limits, line: (id) => linesById.get(id), metrics: metrics ?? NO_METRICS };
  const dispatcher = new Dispatcher(ctx, connections);
  const visitors = new VisitorChats(ctx, dispatcher, connections);
  const desk = new OperatorDesk(ctx, dispatcher, visitors, connections);
  const sweeper = new Sweeper(ctx, visitors, desk, dispatcher);
  const supervision = new SupervisorFeed(ctx);
  const queueCounts = new QueueCounts(ctx);
  const coverage = new CoverageSampler(ctx);
  /** Each socket's "closed and settled" promise, so a drain can wait for them. */
  const sockets = new Set<Promise<void>>();
  const served = (done: Promise<void>) => {
    sockets.add(done);
    void done.finally(() => sockets.delete(done));
  };
  const sessions = new Sessions(store, clock, { idleMs: config.sessionIdleMs, absoluteMs: config.sessionMaxMs });
  // Re-check well within the idle timeout, so a quiet console is never closed for idling.
  const sessionWatch = new SessionWatch(sessions, directory, clock, Math.min(SESSION_RECHECK_MS, config.sessionIdleMs / 2));
  const addresses = new AddressKeyer(clock);
  const budget = new MessageBudget(limits.messagesPerWindow);
  const headers = securityHeaders(config.allowedOrigins, { twilioVoice: config.voice?.mode === 'twilio' });

  const app = express();
  app.locals[COUNT_ERROR] = (code: ErrorCode) => ctx.metrics.error(code);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(headers.noStore);
  const headersFor = (path: string) =>
    path === '/widget' || path.startsWith('/widget/') ? headers.widget : path.startsWith('/console') ? headers.console : headers.site;
  app.use((req, res, next) => headersFor(req.path)(req, res, next));
  app.use(express.json({ limit: '4kb' }));
  app.get(PATHS.health, (_req, res) => void res.json({ status: 'ok' }));
  // On the main port only behind a token; on its own port (METRICS_PORT) instead, if set.
  if (metrics && config.metrics?.token && config.metrics.port === null) app.get(PATHS.metrics, requireBearer(config.metrics.token), metricsHandler(metrics));
  // Ready while taking work; a closing node says so, so a load balancer stops sending to it.
  let closing = false;
  // Not ready either while the shared store cannot be reached: new visitors go elsewhere.
  app.get(PATHS.ready, async (_req, res) => {
    if (closing) return void res.status(503).json({ status: 'closing' });
    try {
      await store.ping();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'store-unavailable' });
    }
  });
  app.use(PATHS.lines, linesRoute(config, clock, store));
  app.use(statsRoutes(ctx, sessions, directory));
  app.use(PATHS.leave, leaveRoute(visitors));
  const signedOut = (token: string) => {
    sessionWatch.ended(token);
    void announceSessionEvent(bus, prefix, { type: 'signed-out', session: hashToken(token) }, logger);
  };
  app.use(PATHS.session, sessionRoute({ config, sessions, directory, addresses, logger, signedOut }));
  app.use(accountsModule({ config, sessions, directory, bus, prefix, logger }));
  const voice = config.voice
    ? voiceModule({ ctx, voice: config.voice, visitors, dispatcher, sweeper, sessions, directory, ...(deps.twilioRest ? { rest: deps.twilioRest } : {}) })
    : null;
  if (voice) app.use(voice.router);
  app.get('/', (_req, res) => res.redirect('/demo/'));
  app.use(staticFiles(config.publicDir));
  app.use((_req, res) => sendError(res, 'ERR_NOT_FOUND'));
  app.use(errorBoundary(logger));

  const server = createServer(app);
  const { wss, stop: stopHeartbeat } = acceptSockets(server, {
    ctx, sessions, directory, sessionWatch, addresses, visitors, desk, connections, budget, supervision, queueCounts, served,
    frameObserver,
    closing: () => closing,
  });

  // When the shared store goes away, say so on every socket (they stay open); when it is
  // back, catch every socket up on what the bus may have lost meanwhile.
  let storeUp = true;
  store.onAvailability((available) => {
    if (available === storeUp || closing) return;
    storeUp = available;
    logger.warn({ event: available ? 'store.available' : 'store.unavailable' }, available ? 'store available' : 'store unavailable');
    connections.broadcast({ type: 'service', state: available ? 'ok' : 'degraded' });
    if (available) {
      void connections.resync();
      sweeper.storeReturned();
      void dispatcher.schedule();
    }
  });

  // The bus's own connection can drop and come back without the store noticing.
  bus.onReconnect(() => {
    if (!closing) void connections.resync();
  });

  const ready = onSessionEvents(bus, prefix, (event) => void sessionWatch.heard(event).catch(() => undefined)).catch((error: unknown) => {
    // The minute's re-check still ends removed accounts' consoles here.
    logger.error({ event: 'session-events.unsubscribed', ...errorFields(error) }, 'session events not subscribed');
  });
  dispatcher.start();
  sessionWatch.start();
  sweeper.start();
  coverage.start();

  const metricsServer = metrics && config.metrics?.port != null ? createServer(metricsApp(metrics, config.metrics.token, logger)) : null;

  return {
    server,
    metricsServer,
    nodeId,
    ready,
    async close() {
      closing = true;
      stopHeartbeat();
      sessionWatch.stop();
      dispatcher.stop();
      sweeper.stop();
      supervision.stop();
      queueCounts.stop();
      coverage.stop();
      voice?.stop();
      visitors.drain();
      desk.drain();
      for (const ws of wss.clients) {
        ws.close(CLOSE_CODES.serviceRestart, 'reconnect');
        setTimeout(() => ws.terminate(), CLOSE_HANDSHAKE_MS).unref();
      }
      // Every socket's last messages stored and its visitor or console marked away.
      await Promise.allSettled([...sockets]);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (metricsServer?.listening) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      await store.forgetNode(nodeId).catch(() => undefined);
      // Hand the sweep and coverage leases on now if this node holds them.
      await store.releaseLease(SWEEP_LEASE, nodeId).catch(() => undefined);
      await coverage.release();
    },
  };
}

/** The metrics port's whole app: /metrics, and 404 for anything else. */
function metricsApp(metrics: QuietlineMetrics, token: string | null, logger: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get(PATHS.metrics, requireBearer(token), metricsHandler(metrics));
  app.use((_req, res) => sendError(res, 'ERR_NOT_FOUND'));
  app.use(errorBoundary(logger));
  return app;
}
