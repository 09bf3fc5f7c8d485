import type WebSocket from 'ws';
import { ChatCipher } from '../../e2e/chat-cipher.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { MAX_BUFFERED_MESSAGES } from '../../server/store/store.js';
import { TEST_PASSWORD } from '../../test/support/test-server.js';
import { BENCH_REQUEST, operatorIds } from './accounts.js';
import { ChatLink, Tally, type Fleet, type FleetCounters } from './chat-link.js';
import { closeAll, inBatches, openSocket, visitorAddress, within } from './sockets.js';

/** Where a party connects: a node's http:// and ws:// base. */
export interface NodeAddress {
  url: string;
  wsUrl: string;
}

export interface QuietlineFleetOptions {
  /** Node the visitors connect to. */
  visitors: NodeAddress;
  /** Node the operators sign in to and connect to (the same node, or another). */
  operators: NodeAddress;
  chats: number;
  operatorCount: number;
}

type Message = { type: string; [key: string]: unknown };

/** Resolves for a key once someone calls settle(key): whichever side comes first. */
class Rendezvous<T> {
  private readonly entries = new Map<string, { promise: Promise<T>; resolve: (value: T) => void }>();
  private entry(key: string) {
    let entry = this.entries.get(key);
    if (!entry) {
      let resolve!: (value: T) => void;
      const promise = new Promise<T>((r) => (resolve = r));
      entry = { promise, resolve };
      this.entries.set(key, entry);
    }
    return entry;
  }
  wait(key: string): Promise<T> {
    return this.entry(key).promise;
  }
  settle(key: string, value: T): void {
    this.entry(key).resolve(value);
  }
}

/** Sign in over HTTP as the console does; returns the session cookie. */
async function signIn(node: NodeAddress, id: string): Promise<string> {
  const res = await fetch(`${node.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: node.url },
    body: JSON.stringify({ id, password: TEST_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${id} refused: HTTP ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/**
 * Real Quietline chats: operators sign in, connect and go available; visitors connect,
 * request a chat on line 1712 (nl, violence) with their own key; each offer is accepted
 * with a fresh operator key, and both sides derive the chat's keys, as widget and console do.
 */
export async function openQuietlineFleet(options: QuietlineFleetOptions): Promise<Fleet> {
  const counters: FleetCounters = { problems: new Tally(), opened: 0 };
  const sockets: WebSocket[] = [];
  const links = new Map<string, ChatLink>();
  /** The operator side of each accepted chat: its socket and key. */
  const assigned = new Rendezvous<{ socket: WebSocket; cipher: ChatCipher }>();
  let closing = false;

  const operatorIdsList = operatorIds(options.operatorCount);
  await inBatches(operatorIdsList, 20, async (id) => {
    const cookie = await signIn(options.operators, id);
    const offered = new Map<string, ChatCipher>();
    let available!: () => void;
    const ready = new Promise<void>((resolve) => (available = resolve));
    const socket: WebSocket = await openSocket(
      `${options.operators.wsUrl}/ws/operator?v=${PROTOCOL_VERSION}`,
      { Origin: options.operators.url, Cookie: cookie },
      // Frames may arrive before openSocket resolves: answer on the socket passed in.
      (raw, ws) => {
        const m = JSON.parse(raw) as Message;
        switch (m.type) {
          case 'msg':
            return links.get(m.chat as string)?.deliveredToOperator(m.seq as number, m.data as string);
          case 'ack':
            return;
          case 'welcome':
            return ws.send(JSON.stringify({ type: 'status', status: 'available' }));
          case 'status':
            return m.status === 'available' ? available() : undefined;
          case 'offer': {
            const ticket = m.ticket as string;
            void ChatCipher.create('operator').then((cipher) => {
              offered.set(ticket, cipher);
              ws.send(JSON.stringify({ type: 'accept', ticket, key: cipher.publicKey }));
            });
            return;
          }
          case 'assigned': {
            const chat = m.chat as string;
            const cipher = offered.get(chat);
            if (!cipher) return counters.problems.add('assigned without an offer');
            offered.delete(chat);
            cipher.establish(m.key as string, chat);
            return assigned.settle(chat, { socket: ws, cipher });
          }
          case 'error':
            return counters.problems.add(`operator got ${m.code as string}`);
          default:
            return counters.problems.add(`operator got ${m.type}`);
        }
      },
    );
    sockets.push(socket);
    socket.on('close', (code) => closing || counters.problems.add(`operator socket closed (${code})`));
    await within(ready, 10_000, `operator ${id} never became available`);
  });

  const chats = await inBatches(Array.from({ length: options.chats }), 50, async (_item, index) => {
    const visitorCipher = await ChatCipher.create('visitor');
    let queued!: (chat: string) => void;
    let connected!: (key: string) => void;
    let refused!: (error: Error) => void;
    const chatId = new Promise<string>((resolve, reject) => ((queued = resolve), (refused = reject)));
    const operatorKey = new Promise<string>((resolve) => (connected = resolve));
    let link: ChatLink | undefined;
    const url = `${options.visitors.wsUrl}/ws/visitor?v=${PROTOCOL_VERSION}`;
    const socket = await openSocket(url, { Origin: options.visitors.url }, (raw) => {
      const m = JSON.parse(raw) as Message;
      switch (m.type) {
        case 'msg':
          return link?.deliveredToVisitor(m.seq as number, m.data as string);
        case 'ack':
        case 'position':
          return;
        case 'queued':
          return queued(m.chat as string);
        case 'connected':
          return connected(m.key as string);
        case 'error':
          counters.problems.add(`visitor got ${m.code as string}`);
          return refused(new Error(`visitor ${index}: ${m.code as string}`));
        default:
          return counters.problems.add(`visitor got ${m.type}`);
      }
    }, visitorAddress(index));
    sockets.push(socket);
    socket.on('close', (code) => closing || counters.problems.add(`visitor socket closed (${code})`));
    socket.send(JSON.stringify({ type: 'request', ...BENCH_REQUEST, key: visitorCipher.publicKey }));
    const id = await within(chatId, 30_000, `visitor ${index}: no queued within 30 s`);
    const [key, operator] = await within(Promise.all([operatorKey, assigned.wait(id)]), 30_000, `chat ${index}: not connected within 30 s`);
    visitorCipher.establish(key, id);
    link = new ChatLink(
      {
        id,
        visitorCipher,
        operatorCipher: operator.cipher,
        sendAsVisitor: (frame) => socket.send(frame),
        sendAsOperator: (frame) => operator.socket.send(frame),
        visitorFrame: (seq, data) => `{"type":"msg","seq":${seq},"data":"${data}"}`,
        operatorFrame: (seq, data) => `{"type":"msg","chat":"${id}","seq":${seq},"data":"${data}"}`,
      },
      counters,
    );
    links.set(id, link);
    return link;
  });

  return {
    chats,
    counters,
    messageCap: MAX_BUFFERED_MESSAGES,
    async close() {
      closing = true;
      await closeAll(sockets);
    },
  };
}
