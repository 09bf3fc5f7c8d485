import { expect } from 'chai';
import { ChatCipher } from '../../e2e/chat-cipher.js';
import { E2EError } from '../../e2e/errors.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { proveChatKey, type OperatorIdentityFile } from '../../identity/certificates.js';
import { makeDeployment, startNode, type Deployment, type NodeProcess } from '../support/node-processes.js';
import { startRedis, type RedisProcess } from '../support/redis-servers.js';
import { signIn, SocketClient, visitorSocket, type Reachable } from '../support/socket-client.js';

const nl = { lines: ['1712'], languages: ['nl'], topics: ['violence'] };

type Message = { type: string; [key: string]: unknown };

/** Resolves when `check` holds, re-checked on every message `client` receives. */
function until(client: SocketClient, check: () => boolean, what: string): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onMessage = () => {
      if (!check()) return;
      client.socket.off('message', onMessage);
      resolve();
    };
    client.socket.on('message', onMessage);
    client.socket.once('close', () => (check() ? resolve() : reject(new Error(`socket closed before ${what}`))));
  });
}

/**
 * A visitor as the widget behaves across connections: it keeps its key, token and unacked
 * messages in memory, resumes on any node with how many messages it has, and sends again
 * what was not acked. Its cipher refuses a repeated or skipped sequence number, so any
 * message delivered twice or out of order shows up in `errors`.
 */
class Visitor {
  socket!: SocketClient;
  chat = '';
  token = '';
  readonly heard: string[] = [];
  readonly errors: string[] = [];
  private readonly unacked = new Map<number, string>();

  private constructor(readonly cipher: ChatCipher) {}

  static async start(node: Reachable): Promise<Visitor> {
    const visitor = new Visitor(await ChatCipher.create('visitor'));
    visitor.attach(await visitorSocket(node));
    visitor.socket.send({ type: 'request', line: '1712', language: 'nl', topic: 'violence', key: visitor.cipher.publicKey });
    const queued = await visitor.socket.next<{ chat: string; token: string }>('queued');
    visitor.chat = queued.chat;
    visitor.token = queued.token;
    return visitor;
  }

  private attach(socket: SocketClient): void {
    this.socket = socket;
    socket.socket.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as Message;
      if (m.type === 'connected') this.cipher.establish(m.key as string, this.chat);
      if (m.type === 'ack') this.unacked.delete(m.seq as number);
      if (m.type === 'service' && m.state === 'ok') this.resend();
      if (m.type === 'msg') {
        try {
          this.heard.push(this.cipher.open(m.seq as number, m.data as string).body);
        } catch (error) {
          this.errors.push(`${m.seq}: ${(error as Error).message}`);
        }
      }
    });
  }

  say(body: string): void {
    const { seq, data } = this.cipher.seal({ t: 'text', body });
    this.unacked.set(seq, data);
    this.socket.send({ type: 'msg', seq, data });
  }

  get pending(): number {
    return this.unacked.size;
  }

  async resume(node: Reachable): Promise<void> {
    this.attach(await visitorSocket(node));
    this.socket.send({ type: 'resume', token: this.token, received: this.heard.length });
    await this.socket.next('resumed');
    this.resend();
  }

  private resend(): void {
    for (const [seq, data] of [...this.unacked].sort((a, b) => a[0] - b[0])) this.socket.send({ type: 'msg', seq, data });
  }
}

/** An operator's console for one chat, with the same bookkeeping. */
class Operator {
  socket!: SocketClient;
  chat = '';
  readonly heard: string[] = [];
  readonly errors: string[] = [];
  private cipher: ChatCipher | null = null;

  constructor(private readonly identity: OperatorIdentityFile) {}

  private cookie = '';

  async connect(node: Reachable): Promise<void> {
    this.cookie = await signIn(node, this.identity.operator);
    await this.open(node);
    this.socket.send({ type: 'status', status: 'available' });
    await this.socket.next('status');
  }

  /**
   * Back through any node with the session cookie, as the console does. The server sends a
   * held chat again from its start; the console drops what it already has (a replay), as
   * here — anything else it could not open would be an error.
   */
  async open(node: Reachable): Promise<void> {
    this.socket = await SocketClient.open(`${node.wsUrl}/ws/operator?v=${PROTOCOL_VERSION}`, { Origin: node.url, Cookie: this.cookie });
    this.socket.socket.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as Message;
      if (m.type === 'ack') this.unacked.delete(m.seq as number);
      if (m.type !== 'msg' || !this.cipher) return;
      try {
        this.heard.push(this.cipher.open(m.seq as number, m.data as string).body);
      } catch (error) {
        if (error instanceof E2EError && error.reason === 'replay') return;
        this.errors.push(`${m.seq}: ${(error as Error).message}`);
      }
    });
    await this.socket.next('welcome');
    if (!this.chat) return;
    // Like the console's outbox: what was not acked goes again, unchanged.
    await this.socket.next('assigned');
    for (const [seq, data] of [...this.unacked].sort((x, y) => x[0] - y[0])) this.socket.send({ type: 'msg', chat: this.chat, seq, data });
  }

  private readonly unacked = new Map<number, string>();

  async acceptNextOffer(): Promise<void> {
    const offer = await this.socket.next<{ ticket: string }>('offer');
    this.cipher = await ChatCipher.create('operator');
    const proof = proveChatKey(this.identity, offer.ticket, this.cipher.publicKey, Date.now());
    this.socket.send({ type: 'accept', ticket: offer.ticket, key: this.cipher.publicKey, proof });
    const assigned = await this.socket.next<{ chat: string; key: string }>('assigned');
    this.cipher.establish(assigned.key, assigned.chat);
    this.chat = assigned.chat;
  }

  say(body: string): void {
    const { seq, data } = this.cipher!.seal({ t: 'text', body });
    this.unacked.set(seq, data);
    this.socket.send({ type: 'msg', chat: this.chat, seq, data });
  }
}

const numbered = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

describe('Several Quietline processes on one Redis', function () {
  this.timeout(60_000);
  let redis: RedisProcess;
  let deployment: Deployment;
  let nodes: NodeProcess[] = [];

  before(async () => {
    redis = await startRedis({ persist: true, dedicated: true });
    deployment = await makeDeployment([{ id: 'anna', name: 'Anna', ...nl }]);
  });
  after(async () => {
    await redis?.dispose();
    deployment?.dispose();
  });
  let prefix = '';
  beforeEach(function () {
    // One deployment per test: its nodes share a prefix, and no test sees another's keys.
    prefix = `t${this.currentTest!.title.length}x${Date.now()}`;
  });
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
    nodes = [];
  });

  const node = async (id: string) => {
    const started = await startNode(deployment, id, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
    nodes.push(started);
    return started;
  };

  /** A chat with the visitor on `visitorNode` and Anna on `operatorNode`, some words exchanged. */
  async function chatAcross(visitorNode: NodeProcess, operatorNode: NodeProcess): Promise<{ visitor: Visitor; anna: Operator }> {
    const anna = new Operator(deployment.identities.get('anna')!);
    await anna.connect(operatorNode);
    const visitor = await Visitor.start(visitorNode);
    await anna.acceptNextOffer();
    await visitor.socket.next('connected');
    for (const body of numbered('v', 1, 3)) visitor.say(body);
    for (const body of numbered('o', 1, 3)) anna.say(body);
    await until(visitor.socket, () => visitor.heard.length === 3 && visitor.pending === 0, 'the first words');
    await until(anna.socket, () => anna.heard.length === 3, 'the first words');
    return { visitor, anna };
  }

  it("loses nothing and repeats nothing when the visitor's node is killed mid-chat and they resume on another", async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const { visitor, anna } = await chatAcross(a, b);

    // Messages in flight both ways at the moment node A dies.
    for (const body of numbered('v', 4, 8)) visitor.say(body);
    for (const body of numbered('o', 4, 8)) anna.say(body);
    await a.kill('SIGKILL');
    await visitor.socket.closed;
    // Anna goes on writing while the visitor is away.
    for (const body of numbered('o', 9, 10)) anna.say(body);

    await visitor.resume(b);
    await until(visitor.socket, () => visitor.heard.length === 10 && visitor.pending === 0, 'every operator message');
    await until(anna.socket, () => anna.heard.length === 8, 'every visitor message');
    visitor.say('v9');
    anna.say('o11');
    await until(visitor.socket, () => visitor.heard.length === 11, 'the next message');
    await until(anna.socket, () => anna.heard.length === 9, 'the next message');

    expect(visitor.heard).to.deep.equal(numbered('o', 1, 11));
    expect(anna.heard).to.deep.equal(numbered('v', 1, 9));
    expect([...visitor.errors, ...anna.errors]).to.deep.equal([]);
  });

  it("loses nothing when the operator's node is killed mid-chat and their console comes back through another", async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const { visitor, anna } = await chatAcross(a, b);

    for (const body of numbered('o', 4, 6)) anna.say(body);
    for (const body of numbered('v', 4, 6)) visitor.say(body);
    await b.kill('SIGKILL');
    await anna.socket.closed;
    // The visitor goes on writing while the operator is away.
    for (const body of numbered('v', 7, 8)) visitor.say(body);
    await until(visitor.socket, () => visitor.pending === 0, 'the acks of what the visitor wrote');
    await anna.open(a);
    await until(anna.socket, () => anna.heard.length === 8, 'every visitor message');
    anna.say('o7');
    await until(visitor.socket, () => visitor.heard.includes('o7'), 'the next message');

    expect(anna.heard).to.deep.equal(numbered('v', 1, 8));
    expect(visitor.heard).to.deep.equal(numbered('o', 1, 7));
    expect([...visitor.errors, ...anna.errors]).to.deep.equal([]);
  });

  it('carries on when Redis is stopped and started again mid-chat, without restarting a node', async () => {
    const [a, b] = [await node('node-a'), await node('node-b')];
    const { visitor, anna } = await chatAcross(a, b);

    await redis.kill();
    await until(visitor.socket, () => visitor.socket.received.some((m) => m.type === 'service' && m.state === 'degraded'), 'degraded');
    visitor.say('v4');
    await until(visitor.socket, () => visitor.socket.received.some((m) => m.type === 'error' && m.code === 'ERR_UNAVAILABLE'), 'the refusal');
    expect(visitor.socket.closeCode).to.equal(null);
    expect(visitor.pending).to.equal(1);
    expect((await fetch(`${a.url}/readyz`)).status).to.equal(503);

    await redis.restart();
    // The widget sends v4 again on `service: ok`; nothing is restarted.
    await until(visitor.socket, () => visitor.pending === 0, 'the ack of v4');
    await until(anna.socket, () => anna.heard.length === 4, 'v4');
    anna.say('o4');
    await until(visitor.socket, () => visitor.heard.length === 4, 'o4');
    expect(visitor.heard).to.deep.equal(numbered('o', 1, 4));
    expect(anna.heard).to.deep.equal(numbered('v', 1, 4));
    expect([...visitor.errors, ...anna.errors]).to.deep.equal([]);
    expect((await fetch(`${a.url}/readyz`)).status).to.equal(200);
  });

  it('names each start of a node apart, so a restarted node is not taken for the one that died', async () => {
    const nameOf = (n: NodeProcess) => (JSON.parse(n.logLines.find((l) => l.includes('"event":"listening"'))!) as { node: string }).node;
    const first = await node('node-a');
    await first.kill('SIGKILL');
    const second = await node('node-a');
    expect(nameOf(first)).to.match(/^node-a-[0-9a-f]{6}$/);
    expect(nameOf(second)).to.match(/^node-a-[0-9a-f]{6}$/);
    expect(nameOf(second)).to.not.equal(nameOf(first));
  });

  it('drains a node on SIGTERM: it exits cleanly, its clients are told to reconnect, and resume elsewhere', async () => {
    const [a, b, c] = [await node('node-a'), await node('node-b'), await node('node-c')];
    const { visitor, anna } = await chatAcross(a, b);

    const exit = a.kill('SIGTERM');
    expect(await visitor.socket.closed).to.equal(1012);
    expect(await exit).to.equal(0);
    expect(a.logLines.some((l) => l.includes('"event":"drained"'))).to.equal(true);

    await visitor.resume(c);
    visitor.say('v4');
    anna.say('o4');
    await until(visitor.socket, () => visitor.heard.length === 4 && visitor.pending === 0, 'o4');
    await until(anna.socket, () => anna.heard.length === 4, 'v4');
    expect([...visitor.errors, ...anna.errors]).to.deep.equal([]);
  });
});
