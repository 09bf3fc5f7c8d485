import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type express from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES } from '../../protocol/close-codes.js';
import { ERRORS, type ErrorCode } from '../../protocol/errors.js';
import { PATHS, VERSION_PARAM } from '../../protocol/http.js';
import { LIMITS } from '../../protocol/limits.js';
import { MIN_SUPPORTED_PROTOCOL_VERSION } from '../../protocol/version.js';
import type { AddressKeyer } from '../abuse/address-key.js';
import type { OperatorDirectory } from '../accounts/directory.js';
import { authenticate } from '../auth/authenticate.js';
import { requestAddress, selfOrigin } from '../auth/request-address.js';
import type { ConsoleWatcher, SessionWatch } from '../auth/session-watch.js';
import type { Sessions } from '../auth/sessions.js';
import { errorFields } from '../logging.js';
import type { LocalConnections } from '../relay/connections.js';
import type { MessageBudget } from '../relay/message-budget.js';
import type { OperatorDesk } from '../relay/operator-desk.js';
import { serveOperator } from '../relay/operator-socket.js';
import type { QueueCounts } from '../relay/queue-counts.js';
import type { RelayContext } from '../relay/relay-context.js';
import type { VisitorChats } from '../relay/visitor-chats.js';
import { serveVisitor } from '../relay/visitor-socket.js';
import type { FrameObserver } from '../relay/wire.js';
import type { SupervisorFeed } from '../stats/supervisor-feed.js';
import { sessionCookie } from './session-route.js';

/**
 * A listener made at module level on purpose: an arrow inside the upgrade handler would keep
 * that handler's whole scope (the request with its headers) alive as long as the socket.
 */
const ignoreError = (): void => undefined;

/** How long a console's session check holds before the next frame checks again. */
const SESSION_CHECK_EVERY_MS = 1_000;

/** Dead sockets (a phone that lost signal) are noticed by missed pongs, not by waiting on TCP. */
const HEARTBEAT_MS = 30_000;

export interface SocketUpgradeDeps {
  ctx: RelayContext;
  sessions: Sessions;
  directory: OperatorDirectory;
  sessionWatch: SessionWatch;
  addresses: AddressKeyer;
  visitors: VisitorChats;
  desk: OperatorDesk;
  connections: LocalConnections;
  budget: MessageBudget;
  supervision: SupervisorFeed;
  queueCounts: QueueCounts;
  /** Each socket's "closed and settled" promise, for the drain. */
  served(done: Promise<void>): void;
  frameObserver: FrameObserver | undefined;
  /** A draining node takes no new socket. */
  closing(): boolean;
}

export interface AcceptedSockets {
  wss: WebSocketServer;
  /** Stop the heartbeat (the drain closes the sockets themselves). */
  stop(): void;
}

/**
 * The two WebSockets, /ws/visitor and /ws/operator: origin, session and rate are decided
 * before a socket is accepted (STYLE 9), and dead sockets are found by their missed pongs.
 */
export function acceptSockets(server: Server, deps: SocketUpgradeDeps): AcceptedSockets {
  const { ctx, sessions, directory, sessionWatch, addresses, visitors, desk, connections, budget, supervision, queueCounts, served, frameObserver } = deps;
  const upgrades = new RateLimiterMemory({ points: ctx.limits.upgradesPerMinute, duration: 60 });
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });

  const refuse = (socket: Duplex, code: ErrorCode) => {
    const status = ERRORS[code].status;
    socket.end(`HTTP/1.1 ${status} ${code}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  const tooOld = (req: IncomingMessage, ws: WebSocket): boolean => {
    const version = Number(new URL(req.url ?? '/', 'http://x').searchParams.get(VERSION_PARAM));
    if (Number.isInteger(version) && version >= MIN_SUPPORTED_PROTOCOL_VERSION) return false;
    // Accept, then say why: a browser cannot read the status of a refused upgrade.
    ws.send(JSON.stringify({ type: 'error', code: 'ERR_CLIENT_TOO_OLD' }));
    ws.close(CLOSE_CODES.clientTooOld, 'ERR_CLIENT_TOO_OLD');
    return true;
  };

  // Decide origin, session and rate before a socket is accepted (STYLE 9).
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', ignoreError);
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const origin = req.headers.origin;
      const self = selfOrigin(req, ctx.config.trustProxyHops);
      if (deps.closing()) return refuse(socket, 'ERR_UNAVAILABLE');
      const addressKey = addresses.keyFor(requestAddress(req, ctx.config.trustProxyHops));
      try {
        await upgrades.consume(addressKey);
      } catch {
        return refuse(socket, 'ERR_RATE_LIMITED');
      }
      if (path === PATHS.visitorSocket) {
        if (!origin || (origin !== self && !ctx.config.allowedOrigins.includes(origin))) {
          return refuse(socket, 'ERR_ORIGIN_NOT_ALLOWED');
        }
        return wss.handleUpgrade(req, socket, head, (ws) => {
          watch(ws);
          if (!tooOld(req, ws)) served(serveVisitor(ws, { ctx, chats: visitors, budget, observer: frameObserver, addressKey }));
        });
      }
      if (path === PATHS.operatorSocket) {
        if (!origin || origin !== self) return refuse(socket, 'ERR_ORIGIN_NOT_ALLOWED');
        const token = sessionCookie(req as express.Request);
        const auth = await authenticate(sessions, directory, token);
        if (!auth.ok || !token) return refuse(socket, 'ERR_UNAUTHENTICATED');
        return wss.handleUpgrade(req, socket, head, (ws) => {
          watch(ws);
          if (!tooOld(req, ws)) {
            // Checked again at most once a second: a check per frame cost a session read and
            // a hash per message; sign-out and removal still close the console at once.
            let checkedAt = ctx.clock.now();
            const session = {
              stillSignedIn: async () => {
                if (ctx.clock.now() - checkedAt < SESSION_CHECK_EVERY_MS) return true;
                const ok = (await authenticate(sessions, directory, token)).ok;
                if (ok) checkedAt = ctx.clock.now();
                return ok;
              },
              watch: (watcher: ConsoleWatcher) => sessionWatch.add(token, auth.account.id, watcher),
            };
            served(serveOperator(ws, auth.account, session, { ctx, desk, connections, budget, observer: frameObserver, supervision, queueCounts }));
          }
        });
      }
      refuse(socket, 'ERR_NOT_FOUND');
    })().catch((error) => {
      ctx.logger.error({ event: 'upgrade.failed', ...errorFields(error) }, 'upgrade failed');
      refuse(socket, 'ERR_INTERNAL');
    });
  });

  const alive = new WeakMap<WebSocket, boolean>();
  const watch = (ws: WebSocket) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
  };
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return { wss, stop: () => clearInterval(heartbeat) };
}
