import type { WebSocket } from 'ws';
import { CLOSE_CODES } from '../../protocol/close-codes.js';
import type { TicketId } from '../../protocol/ids.js';
import { visitorToServerSchema, type ServerToVisitor, type VisitorToServer } from '../../protocol/visitor-messages.js';
import { errorFields } from '../logging.js';
import { StoreUnavailableError } from '../store/store.js';
import type { MessageBudget } from './message-budget.js';
import type { RelayContext } from './relay-context.js';
import type { VisitorChats } from './visitor-chats.js';
import { parseFrame, Peer, type FrameObserver } from './wire.js';

/**
 * One visitor socket: validate each frame, keep to the budget, and hand the message to
 * VisitorChats. Frames are handled one at a time, in order, so a chat's sequence numbers
 * reach the store in the order they were sent.
 */
export interface VisitorSocketDeps {
  ctx: RelayContext;
  chats: VisitorChats;
  budget: MessageBudget;
  observer: FrameObserver | undefined;
  /** HMAC of the connection address (never the address): limits new chats per sender. */
  addressKey: string;
}

/** Resolves once the socket has closed and everything it started is done (for draining). */
export function serveVisitor(socket: WebSocket, { ctx, chats, budget, observer, addressKey }: VisitorSocketDeps): Promise<void> {
  const peer = new Peer<ServerToVisitor>(socket, 'visitor', observer, (code) => ctx.metrics.error(code));
  const budgetKey = budget.connectionKey();
  let ticket: TicketId | null = null;
  let queue = Promise.resolve();

  const handle = async (message: VisitorToServer): Promise<void> => {
    if (message.type === 'request' || message.type === 'resume') {
      if (ticket) return peer.send({ type: 'error', code: 'ERR_ALREADY_REQUESTED' });
      const bind = (id: TicketId) => void (ticket = id);
      return message.type === 'request'
        ? chats.request(peer, message, addressKey, bind)
        : chats.resume(peer, message.token, message.received, bind);
    }
    if (!ticket) {
      return peer.send({ type: 'error', code: 'ERR_NOT_REQUESTED', ...(message.type === 'msg' ? { seq: message.seq } : {}) });
    }
    switch (message.type) {
      case 'msg':
        return chats.message(peer, ticket, message.seq, message.data);
      case 'typing':
        return chats.typing(ticket, message.on);
      case 'end': {
        const id = ticket;
        ticket = null;
        return chats.leave(peer, id, message.quick);
      }
    }
  };

  socket.on('message', (raw, isBinary) => {
    queue = queue.then(async () => {
      let seq: number | undefined;
      try {
        observer?.('in', 'visitor', isBinary ? '<binary>' : raw.toString());
        const parsed = parseFrame(raw, isBinary, visitorToServerSchema);
        seq = parsed.ok && parsed.message.type === 'msg' ? parsed.message.seq : undefined;
        const typing = parsed.ok && parsed.message.type === 'typing';
        const verdict = await budget.spend(budgetKey, typing ? 'typing' : 'other');
        // An indicator over its budget is simply not shown: it carries nothing to lose.
        if (verdict === 'refuse' && typing) return;
        if (verdict !== 'ok') {
          peer.send({ type: 'error', code: 'ERR_RATE_LIMITED', ...(seq ? { seq } : {}) });
          if (verdict === 'disconnect') peer.close(CLOSE_CODES.rateLimited, 'ERR_RATE_LIMITED');
          return;
        }
        if (!parsed.ok) return peer.send({ type: 'error', code: parsed.code });
        await handle(parsed.message);
      } catch (error) {
        if (error instanceof StoreUnavailableError) {
          // Not stored, not lost: the widget keeps the message and sends it again on
          // `service: ok`; a request or resume it makes again itself.
          return peer.send({ type: 'error', code: 'ERR_UNAVAILABLE', ...(seq ? { seq } : {}) });
        }
        ctx.logger.error({ event: 'visitor.failed', ticket: ticket ?? undefined, ...errorFields(error) }, 'visitor message failed');
        peer.fail('ERR_INTERNAL');
      }
    });
  });

  socket.on('error', () => undefined); // 'close' follows; errors carry nothing to log
  return new Promise((resolve) =>
    socket.on('close', () => {
      budget.forget(budgetKey);
      void queue
        .then(() => (ticket ? chats.disconnected(peer, ticket) : undefined))
        .catch(() => undefined)
        .finally(resolve);
    }),
  );
}
