/**
 * The baseline: the least a relay can do. Each chat has a "visitor" and an "operator"
 * socket (`/visitor?chat=<id>`, `/operator?chat=<id>`); every frame from one is forwarded
 * verbatim to the other. No parsing, no validation, no store, no acks. Same `ws` library and
 * settings as Quietline (no compression, same frame limit), in its own process like it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS } from '../protocol/limits.js';
import { failStart, serveParent, tellParent } from './child-ipc.js';

interface Pair {
  visitor: WebSocket | null;
  operator: WebSocket | null;
}

function main(): void {
  const pairs = new Map<string, Pair>();
  const server = createServer((_req, res) => void res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://x');
    const side = url.pathname === '/visitor' ? 'visitor' : url.pathname === '/operator' ? 'operator' : null;
    const chat = url.searchParams.get('chat');
    if (!side || !chat) return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const pair = pairs.get(chat) ?? { visitor: null, operator: null };
      pair[side] = ws;
      pairs.set(chat, pair);
      const other = side === 'visitor' ? 'operator' : 'visitor';
      ws.on('message', (data, isBinary) => pair[other]?.send(data, { binary: isBinary }));
      ws.on('close', () => {
        pair[side] = null;
        if (!pair.visitor && !pair.operator) pairs.delete(chat);
      });
      ws.on('error', () => undefined);
    });
  });

  server.listen(0, '127.0.0.1', () => {
    serveParent(async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    tellParent({ type: 'ready', port: (server.address() as AddressInfo).port });
  });
}

try {
  main();
} catch (error) {
  failStart(error);
}
