import { expect } from 'chai';
import { ChatCipher } from '../../e2e/chat-cipher.js';
import { proveChatKey, type OperatorIdentityFile } from '../../identity/certificates.js';
import { operatorSocket, visitorSocket, type Reachable, type SocketClient } from './socket-client.js';


/** A visitor as the widget behaves: own keys, encrypted messages, acks awaited. */
export class TestVisitor {
  chat = '';
  token = '';
  private constructor(
    readonly socket: SocketClient,
    readonly cipher: ChatCipher,
  ) {}

  static async request(socket: SocketClient, line: string, language: string, topic: string): Promise<TestVisitor> {
    const visitor = new TestVisitor(socket, await ChatCipher.create('visitor'));
    socket.send({ type: 'request', line, language, topic, key: visitor.cipher.publicKey });
    const queued = await socket.next<{ type: 'queued'; chat: string; token: string }>('queued');
    visitor.chat = queued.chat;
    visitor.token = queued.token;
    return visitor;
  }

  async connected(): Promise<void> {
    const connected = await this.socket.next<{ type: 'connected'; key: string }>('connected');
    this.cipher.establish(connected.key, this.chat);
  }

  async say(body: string): Promise<void> {
    const { seq, data } = this.cipher.seal({ t: 'text', body });
    this.socket.send({ type: 'msg', seq, data });
    const ack = await this.socket.next<{ seq: number }>('ack');
    expect(ack.seq).to.equal(seq);
  }

  async hear(): Promise<string> {
    const msg = await this.socket.next<{ seq: number; data: string }>('msg');
    return this.cipher.open(msg.seq, msg.data).body;
  }
}

/** An operator as the console behaves. */
export class TestOperator {
  readonly ciphers = new Map<string, ChatCipher>();
  /** With an identity, every accept carries a proof, as a console with a loaded key does. */
  constructor(
    readonly socket: SocketClient,
    private readonly identity: OperatorIdentityFile | null = null,
  ) {}

  async available(): Promise<void> {
    await this.socket.next('welcome');
    this.socket.send({ type: 'status', status: 'available' });
    await this.socket.next('status');
  }

  async acceptNextOffer(): Promise<string> {
    const offer = await this.socket.next<{ ticket: string }>('offer');
    const cipher = await ChatCipher.create('operator');
    this.ciphers.set(offer.ticket, cipher);
    const proof = this.identity ? proveChatKey(this.identity, offer.ticket, cipher.publicKey, Date.now()) : undefined;
    this.socket.send({ type: 'accept', ticket: offer.ticket, key: cipher.publicKey, ...(proof ? { proof } : {}) });
    const assigned = await this.socket.next<{ chat: string; key: string }>('assigned');
    cipher.establish(assigned.key, assigned.chat);
    return assigned.chat;
  }

  async say(chat: string, body: string): Promise<void> {
    const { seq, data } = this.ciphers.get(chat)!.seal({ t: 'text', body });
    this.socket.send({ type: 'msg', chat, seq, data });
    const ack = await this.socket.next<{ seq: number }>('ack');
    expect(ack.seq).to.equal(seq);
  }

  async hear(chat: string): Promise<string> {
    const msg = await this.socket.next<{ chat: string; seq: number; data: string }>('msg');
    expect(msg.chat).to.equal(chat);
    return this.ciphers.get(chat)!.open(msg.seq, msg.data).body;
  }
}

/**
 * The usual opening: an available operator, a visitor's request, accepted, keys agreed. The
 * visitor may come through another node (`visitorServer`) than the operator.
 */
export async function connectedChat(
  server: Reachable,
  operatorId: string,
  request: { line: string; language: string; topic: string },
  visitorServer: Reachable = server,
): Promise<{ operator: TestOperator; visitor: TestVisitor; chat: string }> {
  const operator = new TestOperator(await operatorSocket(server, operatorId));
  await operator.available();
  const visitor = await TestVisitor.request(await visitorSocket(visitorServer), request.line, request.language, request.topic);
  const chat = await operator.acceptNextOffer();
  await visitor.connected();
  return { operator, visitor, chat };
}
