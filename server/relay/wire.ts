import type { WebSocket, RawData } from 'ws';
import type * as z from 'zod/mini';
import { ERRORS, type ErrorCode } from '../../protocol/errors.js';

/** Who is at the other end of a socket: used for observation and for the right schema. */
export type SocketKind = 'visitor' | 'operator';

/**
 * Sees every frame in and out. Exists so the privacy test can prove no plaintext ever passes
 * the server; production passes none.
 */
export type FrameObserver = (direction: 'in' | 'out', kind: SocketKind, frame: string) => void;

export type Parsed<T> = { ok: true; message: T } | { ok: false; code: ErrorCode };

/** Decode one frame: text, JSON, and the direction's schema, or a typed error code. */
export function parseFrame<S extends z.ZodMiniType>(raw: RawData, isBinary: boolean, schema: S): Parsed<z.infer<S>> {
  if (isBinary) return { ok: false, code: 'ERR_BAD_MESSAGE' };
  let json: unknown;
  try {
    json = JSON.parse(rawToString(raw));
  } catch {
    return { ok: false, code: 'ERR_BAD_MESSAGE' };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, message: result.data } : { ok: false, code: 'ERR_BAD_MESSAGE' };
}

export function rawToString(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw as ArrayBuffer).toString('utf8');
}

/** A socket plus the observer, so every send passes one place. */
export class Peer<Out extends { type: string }> {
  constructor(
    readonly socket: WebSocket,
    readonly kind: SocketKind,
    private readonly observer: FrameObserver | undefined,
    /** Told the code of every typed error sent (for /metrics). */
    private readonly onError?: (code: ErrorCode) => void,
  ) {}

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(message: Out): void {
    if (!this.open) return;
    const frame = JSON.stringify(message);
    this.observer?.('out', this.kind, frame);
    if (message.type === 'error') this.onError?.((message as unknown as { code: ErrorCode }).code);
    this.corkUntilTickEnds();
    this.socket.send(frame);
  }

  private corked = false;

  /**
   * Frames sent to one socket in the same tick (an ack and the other side's message, a
   * replay) leave in one write instead of one each: writes were a third of the relay's CPU.
   * Nothing waits longer than the current tick. `_socket` is ws's own net.Socket.
   */
  private corkUntilTickEnds(): void {
    const net = (this.socket as unknown as { _socket?: { cork(): void; uncork(): void; destroyed?: boolean } })._socket;
    if (this.corked || !net) return;
    this.corked = true;
    net.cork();
    process.nextTick(() => {
      this.corked = false;
      if (!net.destroyed) net.uncork();
    });
  }

  /** Send the error and, if the registry says it ends the socket, close with its code. */
  fail(code: ErrorCode, extra: Record<string, unknown> = {}): void {
    this.send({ type: 'error', code, ...extra } as unknown as Out);
    const close = (ERRORS[code] as { close?: number }).close;
    if (close !== undefined) this.close(close, code);
  }

  close(code: number, reason = ''): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }
}
