import { CLOSE_CODES } from '../protocol/close-codes.js';
import { backoffDelay } from './backoff.js';

export interface SocketHandlers<In> {
  /** Called on every open; `reconnected` is false the first time. */
  onOpen(reconnected: boolean): void;
  onMessage(message: In): void;
  /** The socket closed without stop(). Return true to try again after a backoff. */
  onClose(code: number): boolean;
}

/**
 * A WebSocket that speaks JSON, validates what it receives, and reconnects with backoff
 * when its owner says reconnecting can help. What to say after a reconnect (a visitor's
 * resume, an operator's fresh session) is the owner's business, in onOpen.
 *
 * The backoff starts short again only when the owner says a connection served
 * (settled(): the visitor was queued or resumed, the console got its welcome), not merely
 * when one opened: a node that accepts the upgrade and then cannot serve (its shared store
 * is down) must not be asked again many times a second.
 */
export class ReconnectingSocket<In, Out> {
  private ws: WebSocket | null = null;
  /** Connections tried since one last served. */
  private attempt = 0;
  /** Whether the current connection has served (settled() since it opened). */
  private served = false;
  private everOpened = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly url: string,
    /** Returns the message if valid, null to ignore it. */
    private readonly parse: (raw: unknown) => In | null,
    private readonly handlers: SocketHandlers<In>,
  ) {}

  start(): void {
    window.addEventListener('online', this.retryNow);
    this.connect();
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends if open; returns false when the message could not go out now. */
  send(message: Out): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /** This connection serves: the next reconnect starts from the shortest wait again. */
  settled(): void {
    this.attempt = 0;
    this.served = true;
  }

  /**
   * The server answered but cannot serve this connection yet (a resume refused with
   * ERR_UNAVAILABLE): close it without telling onClose and open a new one after the
   * backoff. The new connection may also reach a node that is well.
   */
  retryLater(): void {
    if (this.stopped) return;
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
    this.later(backoffDelay(this.attempt));
  }

  /** Close for good: no reconnect, no more callbacks. */
  stop(code = 1000): void {
    this.stopped = true;
    window.removeEventListener('online', this.retryNow);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(code);
  }

  private later(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
    this.attempt += 1;
  }

  private connect(): void {
    this.timer = null;
    if (this.stopped) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.served = false;
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.handlers.onOpen(reconnected);
    });
    ws.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (this.ws !== ws || typeof event.data !== 'string') return;
      let raw: unknown;
      try {
        raw = JSON.parse(event.data);
      } catch {
        return;
      }
      const message = this.parse(raw);
      if (message !== null) this.handlers.onMessage(message);
    });
    ws.addEventListener('close', (event) => {
      if (this.ws !== ws || this.stopped) return;
      this.ws = null;
      if (this.handlers.onClose(event.code)) {
        // A draining node (1012) hands a working connection to the other nodes: come
        // back at once. One that never served waits out the backoff like any other drop.
        this.later(event.code === CLOSE_CODES.serviceRestart && this.served ? 0 : backoffDelay(this.attempt));
      }
    });
  }

  /** The browser says the network is back: skip the rest of the backoff. */
  private readonly retryNow = (): void => {
    if (this.timer && !this.stopped) {
      clearTimeout(this.timer);
      this.connect();
    }
  };
}
