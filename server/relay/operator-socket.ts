import type { WebSocket } from 'ws';
import { CLOSE_CODES } from '../../protocol/close-codes.js';
import { operatorToServerSchema, type OperatorToServer, type ServerToOperator } from '../../protocol/operator-messages.js';
import { supervises, type OperatorAccount } from '../accounts/account.js';
import type { ConsoleWatcher } from '../auth/session-watch.js';
import { errorFields } from '../logging.js';
import type { MessageBudget } from './message-budget.js';
import type { OperatorDesk } from './operator-desk.js';
import type { LocalConnections } from './connections.js';
import { StoreUnavailableError } from '../store/store.js';
import type { RelayContext } from './relay-context.js';
import { parseFrame, Peer, type FrameObserver } from './wire.js';
import type { SupervisorFeed } from '../stats/supervisor-feed.js';
import type { QueueCounts } from './queue-counts.js';

export interface OperatorSocketDeps {
  ctx: RelayContext;
  desk: OperatorDesk;
  /** Supervisors' and admins' consoles are sent the live figures (stats/supervisor-feed.ts). */
  supervision: SupervisorFeed;
  /** Every console is told the size of the queues its operator serves (queue-counts.ts). */
  queueCounts: QueueCounts;
  connections: LocalConnections;
  budget: MessageBudget;
  observer: FrameObserver | undefined;
}

/**
 * One console socket, already authenticated at the upgrade. Frames re-check the session (at
 * most once a second), so a session that expired, signed out, or lost its account or
 * password stops at its next message.
 */
/** The session a console socket runs under. */
export interface ConsoleSession {
  stillSignedIn(): Promise<boolean>;
  /** Be told when the session ends or its account changes while the socket is open; returns an unwatch. */
  watch(watcher: ConsoleWatcher): () => void;
}

/**
 * What an error about this message names (docs/errors.md), so the console knows which offer or
 * chat to try again: the `ticket` of an accept or decline, the `chat` (and `seq`) of the rest.
 */
function aboutMessage(message: OperatorToServer): { ticket?: string; chat?: string; seq?: number } {
  switch (message.type) {
    case 'accept':
    case 'decline':
      return { ticket: message.ticket };
    case 'msg':
      return { chat: message.chat, seq: message.seq };
    case 'typing':
    case 'end':
      return { chat: message.chat };
    case 'status':
      return {};
  }
}

/** Resolves once the socket has closed and everything it started is done (for draining). */
export function serveOperator(socket: WebSocket, account: OperatorAccount, session: ConsoleSession, deps: OperatorSocketDeps): Promise<void> {
  const { ctx, desk, connections, budget, observer, supervision, queueCounts } = deps;
  const peer = new Peer<ServerToOperator>(socket, 'operator', observer, (code) => ctx.metrics.error(code));
  const unwatch = session.watch({
    expired: () => peer.fail('ERR_SESSION_EXPIRED'),
    // An admin changed the account (skills, capacity, role): the console reconnects at once,
    // as from a draining node, and works under the account as it is now.
    changed: () => peer.close(CLOSE_CODES.serviceRestart, 'account-changed'),
  });
  const budgetKey = budget.connectionKey();
  const me = account.id;
  let queue: Promise<void> = desk.connected(peer, account).then(() => {
    // Only after the welcome, which tells the console its role; never an operator's console.
    if (supervises(account.role)) supervision.add(peer);
    queueCounts.add(peer, account);
  }, (error) => {
    if (error instanceof StoreUnavailableError) {
      // Nothing to show them yet: the console reconnects (and so retries) on its own.
      peer.send({ type: 'error', code: 'ERR_UNAVAILABLE' });
      return peer.close(CLOSE_CODES.serviceRestart, 'ERR_UNAVAILABLE');
    }
    ctx.logger.error({ event: 'operator.failed', operator: me, ...errorFields(error) }, 'operator connect failed');
    peer.fail('ERR_INTERNAL');
  });

  const handle = async (message: OperatorToServer): Promise<void> => {
    switch (message.type) {
      case 'status':
        return desk.setStatus(me, message.status);
      case 'accept':
        return desk.accept(peer, me, message.ticket, message.key, message.proof);
      case 'decline':
        return desk.decline(me, message.ticket);
      case 'msg':
        return desk.message(peer, me, message.chat, message.seq, message.data);
      case 'typing':
        return desk.typing(me, message.chat, message.on);
      case 'end':
        return desk.end(peer, me, message.chat, message.wrapUp);
    }
  };

  socket.on('message', (raw, isBinary) => {
    queue = queue.then(async () => {
      let about = {};
      try {
        observer?.('in', 'operator', isBinary ? '<binary>' : raw.toString());
        const parsed = parseFrame(raw, isBinary, operatorToServerSchema);
        if (parsed.ok) about = aboutMessage(parsed.message);
        // The budget first: a flood must not cost a session look-up per frame.
        const typing = parsed.ok && parsed.message.type === 'typing';
        const verdict = await budget.spend(budgetKey, typing ? 'typing' : 'other');
        // An indicator over its budget is simply not shown: it carries nothing to lose.
        if (verdict === 'refuse' && typing) return;
        if (verdict !== 'ok') {
          peer.send({ type: 'error', code: 'ERR_RATE_LIMITED', ...about });
          if (verdict === 'disconnect') peer.close(CLOSE_CODES.rateLimited, 'ERR_RATE_LIMITED');
          return;
        }
        if (!(await session.stillSignedIn())) return peer.fail('ERR_SESSION_EXPIRED');
        if (!parsed.ok) return peer.send({ type: 'error', code: parsed.code });
        await handle(parsed.message);
      } catch (error) {
        if (error instanceof StoreUnavailableError) {
          // Not stored, not lost: the console keeps it and sends it again on `service: ok`.
          return peer.send({ type: 'error', code: 'ERR_UNAVAILABLE', ...about });
        }
        ctx.logger.error({ event: 'operator.failed', operator: me, ...errorFields(error) }, 'operator message failed');
        peer.fail('ERR_INTERNAL');
      }
    });
  });

  socket.on('error', () => undefined);
  return new Promise((resolve) =>
    socket.on('close', () => {
      unwatch();
      supervision.remove(peer);
      queueCounts.remove(peer);
      budget.forget(budgetKey);
      void queue
        .then(async () => {
          if (connections.detachOperator(me, peer)) await desk.disconnected(me);
        })
        .catch(() => desk.detachLater(me))
        .finally(resolve);
    }),
  );
}
