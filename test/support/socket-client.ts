import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { TEST_PASSWORD, type TestServer } from './test-server.js';

/** Any Quietline a test can reach: an in-process test server or a node process. */
export type Reachable = Pick<TestServer, 'url' | 'wsUrl'>;

type Message = { type: string; [key: string]: unknown };

/**
 * A test's end of a socket: every received message is queued, and next(type) waits for
 * the first unread one of that type — no sleeps, the wait ends when the message arrives.
 */
export class SocketClient {
  readonly received: Message[] = [];
  private readonly waiters: Array<{ types: string[]; resolve: (m: Message) => void; reject: (e: Error) => void }> = [];
  private readonly consumed = new Set<Message>();
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message;
      this.received.push(message);
      const i = this.waiters.findIndex((w) => w.types.includes(message.type));
      if (i >= 0) {
        this.consumed.add(message);
        this.waiters.splice(i, 1)[0]!.resolve(message);
      }
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => {
        this.closeCode = code;
        for (const w of this.waiters.splice(0)) w.reject(new Error(`socket closed (${code}) while waiting for ${w.types.join(' or ')}`));
        resolve(code);
      }),
    );
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SocketClient> {
    const socket = new WebSocket(url, { headers });
    const client = new SocketClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  next<T extends object = Message>(type: string): Promise<T> {
    return this.first<T>([type]);
  }

  /** The first unread message of any of these types. */
  first<T extends object = Message>(types: string[]): Promise<T> {
    const ready = this.received.find((m) => types.includes(m.type) && !this.consumed.has(m));
    if (ready) {
      this.consumed.add(ready);
      return Promise.resolve(ready as unknown as T);
    }
    if (this.closeCode !== null) return Promise.reject(new Error(`socket closed (${this.closeCode}) before ${types.join(' or ')}`));
    return new Promise((resolve, reject) => this.waiters.push({ types, resolve: resolve as (m: Message) => void, reject }));
  }

  /** Whether a message of this type arrived that no next() has taken yet. */
  has(type: string): boolean {
    return this.received.some((m) => m.type === type && !this.consumed.has(m));
  }

  close(): void {
    this.socket.close();
  }
}

export function visitorSocket(server: Reachable, origin = server.url): Promise<SocketClient> {
  return SocketClient.open(`${server.wsUrl}/ws/visitor?v=${PROTOCOL_VERSION}`, { Origin: origin });
}

/** Sign in over HTTP like the console does; returns the session cookie. */
export async function signIn(server: Reachable, id: string, password = TEST_PASSWORD): Promise<string> {
  const res = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ id, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}

export async function operatorSocket(server: Reachable, id: string): Promise<SocketClient> {
  const cookie = await signIn(server, id);
  return SocketClient.open(`${server.wsUrl}/ws/operator?v=${PROTOCOL_VERSION}`, { Origin: server.url, Cookie: cookie });
}
