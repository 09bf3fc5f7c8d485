import WebSocket from 'ws';

export type FrameHandler = (data: string, socket: WebSocket) => void;

/**
 * Open a client socket; rejects with the HTTP status when the upgrade is refused. `onFrame`
 * is attached before the socket opens: a server's first frame can arrive in the same read
 * as the upgrade response, before anything awaiting the open could attach a listener.
 */
export function openSocket(url: string, headers: Record<string, string> = {}, onFrame?: FrameHandler, localAddress?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false, ...(localAddress ? { localAddress } : {}) });
    if (onFrame) socket.on('message', (raw) => onFrame(String(raw), socket));
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => {
      reject(new Error(`upgrade refused: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
      socket.terminate();
    });
  });
}

/** How many loopback addresses visitors are spread over. */
const VISITOR_ADDRESSES = 250;

/**
 * The source address for visitor `index`: 127.0.0.2 to 127.0.0.251 in turn (on Linux all of
 * 127/8 is loopback). Visitors come from many addresses, as they do for real, rather than
 * all from 127.0.0.1, where every chat would count against one sender's limits and records.
 */
export function visitorAddress(index: number): string {
  return `127.0.0.${2 + (index % VISITOR_ADDRESSES)}`;
}

/** Run `work` over `items` with at most `limit` at a time; results in input order. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Close every socket and wait (at most 5 s) until they are all gone. */
export async function closeAll(sockets: Iterable<WebSocket>): Promise<void> {
  const closing: Promise<void>[] = [];
  for (const socket of sockets) {
    if (socket.readyState === WebSocket.CLOSED) continue;
    closing.push(new Promise((resolve) => socket.once('close', () => resolve())));
    socket.terminate();
  }
  await Promise.race([Promise.all(closing), new Promise((resolve) => setTimeout(resolve, 5000))]);
}

/** Resolve after `ms`, or reject with `message` if `promise` has not settled by then. */
export function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]);
}
