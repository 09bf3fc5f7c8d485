import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { ChatCipher } from '../../e2e/chat-cipher.js';
import { ChatLink, Tally, type Fleet, type FleetCounters } from './chat-link.js';
import { closeAll, inBatches, openSocket, visitorAddress } from './sockets.js';

/**
 * Chats through the raw relay. Keys are agreed inside the load generator (the relay has no
 * key exchange), and each side sends exactly the frame Quietline would deliver to the other
 * side, so every forwarded frame has the size of the matching Quietline delivery.
 */
export async function openRawFleet(wsUrl: string, chats: number): Promise<Fleet> {
  const counters: FleetCounters = { problems: new Tally(), opened: 0 };
  const sockets: WebSocket[] = [];
  let closing = false;
  const links = await inBatches(Array.from({ length: chats }), 50, async (_item, index) => {
    const id = randomBytes(16).toString('base64url');
    const visitorCipher = await ChatCipher.create('visitor');
    const operatorCipher = await ChatCipher.create('operator');
    visitorCipher.establish(operatorCipher.publicKey, id);
    operatorCipher.establish(visitorCipher.publicKey, id);
    let link: ChatLink | undefined;
    const visitor = await openSocket(
      `${wsUrl}/visitor?chat=${id}`,
      {},
      (raw) => {
        const m = JSON.parse(raw) as { seq: number; data: string };
        link!.deliveredToVisitor(m.seq, m.data);
      },
      visitorAddress(index),
    );
    const operator = await openSocket(`${wsUrl}/operator?chat=${id}`, {}, (raw) => {
      const m = JSON.parse(raw) as { seq: number; data: string };
      link!.deliveredToOperator(m.seq, m.data);
    });
    sockets.push(visitor, operator);
    link = new ChatLink(
      {
        id,
        visitorCipher,
        operatorCipher,
        sendAsVisitor: (frame) => visitor.send(frame),
        sendAsOperator: (frame) => operator.send(frame),
        // What Quietline delivers to the operator, and to the visitor.
        visitorFrame: (seq, data) => `{"type":"msg","chat":"${id}","seq":${seq},"data":"${data}"}`,
        operatorFrame: (seq, data) => `{"type":"msg","seq":${seq},"data":"${data}"}`,
      },
      counters,
    );
    for (const socket of [visitor, operator]) socket.on('close', () => closing || counters.problems.add('socket closed early'));
    return link;
  });
  return {
    chats: links,
    counters,
    messageCap: null,
    async close() {
      closing = true;
      await closeAll(sockets);
    },
  };
}
