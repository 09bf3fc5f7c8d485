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
 */
export class ReconnectingSocket<In, Out> {
  private ws: WebSocket | null = null;
  private attempt = 0;
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

  private connect(): void {
    this.timer = null;
    if (this.stopped) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
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
        this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt));
        this.attempt += 1;
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
