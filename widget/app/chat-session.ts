import { PATHS } from '../../protocol/http.js';
import { ChatCipher } from '../../e2e/noble-cipher.js';
import { E2EError } from '../../e2e/errors.js';
import { checkChatKey, readyIdentity } from '../../identity/noble-certificates.js';
import { CLOSE_CODES } from '../../protocol/close-codes.js';
import type { ErrorCode } from '../../protocol/errors.js';
import type { ChatId, LanguageCode, LineId, TopicId } from '../../protocol/ids.js';
import {
  serverToVisitorSchema,
  type EndedBy,
  type ServerToVisitor,
  type VisitorToServer,
} from '../../protocol/visitor-messages.js';
import { Delivery } from '../../browser-shared/delivery.js';
import { DropNotice } from '../../browser-shared/drop-notice.js';
import { ReconnectingSocket } from '../../browser-shared/reconnecting-socket.js';
import { ORG_PUBLIC_KEY } from './org-key.js';

type Connected = Extract<ServerToVisitor, { type: 'connected' }>;

export interface ChatRequest {
  line: LineId;
  language: LanguageCode;
  topic: TopicId;
}

/** What the views need to know, already decrypted and de-duplicated. */
export type SessionEvent =
  /** `available`: someone who can take this chat is on duty now (else say so, with numbers). */
  | { kind: 'queued'; position: number; estimate: number | null; available: boolean }
  | { kind: 'connected'; operator: string; first: boolean }
  | { kind: 'message'; body: string }
  | { kind: 'ack'; seq: number }
  | { kind: 'failed'; seq: number; code: ErrorCode }
  | { kind: 'typing'; on: boolean }
  /**
   * The connection dropped, or the service said it is degraded (up: false: "Reconnecting…"
   * either way), or it is usable again (up: true).
   */
  | { kind: 'link'; up: boolean }
  | { kind: 'ended'; by: EndedBy }
  | { kind: 'error'; code: ErrorCode }
  /** A message arrived that could not be decrypted (tampered, malformed, out of order). */
  | { kind: 'unreadable' }
  /**
   * The operator's key is not vouched for by the organisation (identity/certificates.ts):
   * the chat was ended and everything forgotten before a word went to them.
   */
  | { kind: 'untrusted' };

/** Closes after which reconnecting cannot help: the chat (or this client) is finished. */
const FINAL_CLOSES: ReadonlyMap<number, SessionEvent> = new Map<number, SessionEvent>([
  [CLOSE_CODES.clientTooOld, { kind: 'error', code: 'ERR_CLIENT_TOO_OLD' }],
  [CLOSE_CODES.lineClosed, { kind: 'error', code: 'ERR_LINE_CLOSED' }],
  [CLOSE_CODES.chatEnded, { kind: 'ended', by: 'system' }],
  [CLOSE_CODES.replaced, { kind: 'ended', by: 'system' }],
]);
const FINAL_ERRORS: ReadonlySet<ErrorCode> = new Set(['ERR_CLIENT_TOO_OLD', 'ERR_LINE_CLOSED', 'ERR_RESUME_FAILED']);

/**
 * One visitor chat: the socket, the cipher and the unacknowledged messages. Chat id, resume
 * token and keys live in this object only — never in storage — and die with finish().
 *
 * With an organisation key (baked into the build, widget/app/org-key.ts) the operator's
 * chat key is trusted only with a valid proof from a certified operator, checked before
 * the cipher is established — so before any message can be sealed to it.
 */
/** How long a visitor who never got through waits before seeing the phone numbers instead. */
const UNREACHABLE_AFTER_MS = 20_000;

export class ChatSession {
  private readonly socket: ReconnectingSocket<ServerToVisitor, VisitorToServer>;
  private readonly delivery = new Delivery((item) => this.canSend && this.socket.send({ type: 'msg', seq: item.seq, data: item.data }));
  private chat: ChatId | null = null;
  private token: string | null = null;
  /** True between `queued`/`resumed` and a drop: the server knows who we are. */
  private ready = false;
  /** A `resume` is on its way: ERR_UNAVAILABLE now means "come back a little later". */
  private resuming = false;
  /**
   * The server said its shared store is out of reach (`service: degraded`): messages wait
   * here, none is marked failed, and all go again on `service: ok`.
   */
  private degraded = false;
  private over = false;
  /** The operator key the cipher was established with: a resume must bring the same one. */
  private operatorKey: string | null = null;
  /** Running while the connection is down; when it fires the server has let the chat go. */
  private giveUp: ReturnType<typeof setTimeout> | null = null;
  /** "Reconnecting…", at once or, after a 1012, only if the resume is slow. */
  private readonly dropNotice = new DropNotice(
    () => this.onEvent({ kind: 'link', up: false }),
    () => !this.ready && !this.over,
  );
  /** How long to keep trying after a drop: the server's reconnect grace. */
  giveUpAfterMs = 120_000;

  /** Makes the chat's key pair; nothing is sent until start(). */
  static async create(
    url: string,
    request: ChatRequest,
    onEvent: (e: SessionEvent) => void,
    orgPublicKey: string | null = ORG_PUBLIC_KEY,
  ): Promise<ChatSession> {
    if (orgPublicKey) await readyIdentity();
    return new ChatSession(url, request, await ChatCipher.create('visitor'), onEvent, orgPublicKey);
  }

  private constructor(
    url: string,
    private readonly request: ChatRequest,
    private readonly cipher: ChatCipher,
    private readonly onEvent: (e: SessionEvent) => void,
    private readonly orgPublicKey: string | null,
  ) {
    this.socket = new ReconnectingSocket(
      url,
      (raw) => {
        const parsed = serverToVisitorSchema.safeParse(raw);
        return parsed.success ? parsed.data : null;
      },
      {
        onOpen: () => this.greet(),
        onMessage: (m) => this.receive(m),
        onClose: (code) => this.dropped(code),
      },
    );
  }

  start(): void {
    if (!this.over) this.socket.start();
  }

  get isOver(): boolean {
    return this.over;
  }

  /** Whether the server has queued us at least once (before that, errors refuse the request). */
  get isQueued(): boolean {
    return this.chat !== null;
  }

  /** Seal and send a text; returns its sequence number for ack/failure tracking. */
  send(body: string): number {
    const { seq, data } = this.cipher.seal({ t: 'text', body });
    this.delivery.add(seq, data);
    return seq;
  }

  /** Resend a failed message exactly as it was: same seq, same ciphertext. */
  retry(seq: number): void {
    this.delivery.retry(seq);
  }

  typing(on: boolean): void {
    if (this.canSend && this.cipher.established) this.socket.send({ type: 'typing', on });
  }

  /** The server knows us and can store what we send. */
  private get canSend(): boolean {
    return this.ready && !this.degraded;
  }

  /** Leave (or stop waiting). With `quick`, the server also purges at once. */
  end(quick: boolean): void {
    if (this.over) return;
    // With the socket down (reconnecting), say it over plain HTTP instead; a beacon is
    // delivered even as a quick exit takes the page away.
    if (!this.socket.send({ type: 'end', quick }) && this.token) {
      const body = new Blob([JSON.stringify({ token: this.token, quick })], { type: 'text/plain' });
      navigator.sendBeacon(PATHS.leave, body);
    }
    this.finish();
  }

  private greet(): void {
    // A new connection, perhaps to another node: it says so itself if it is degraded.
    this.degraded = false;
    if (this.token) {
      this.resuming = true;
      this.socket.send({ type: 'resume', token: this.token, received: this.cipher.lastReceived });
    } else {
      // Dropped before `queued` arrived: nothing to resume, so ask again with the same key.
      this.socket.send({ type: 'request', ...this.request, key: this.cipher.publicKey });
    }
  }

  private receive(m: ServerToVisitor): void {
    if (this.over) return;
    switch (m.type) {
      case 'queued':
        this.clearDropTimers();
        this.socket.settled();
        this.chat = m.chat;
        this.token = m.token;
        this.ready = true;
        this.onEvent({ kind: 'queued', position: m.position, estimate: m.estimate, available: m.available });
        return;
      case 'position':
        this.onEvent({ kind: 'queued', position: m.position, estimate: m.estimate, available: m.available });
        return;
      case 'resumed':
        this.clearDropTimers();
        this.resuming = false;
        this.socket.settled();
        this.ready = true;
        if (!this.degraded) this.onEvent({ kind: 'link', up: true });
        this.flush();
        return;
      case 'connected':
        return this.connected(m);
      case 'msg':
        return this.decrypt(m.seq, m.data);
      case 'ack':
        if (this.delivery.ack(m.seq)) this.onEvent({ kind: 'ack', seq: m.seq });
        return;
      case 'service':
        return this.service(m.state === 'ok');
      case 'typing':
        this.onEvent({ kind: 'typing', on: m.on });
        return;
      case 'ended':
        this.finish();
        this.onEvent({ kind: 'ended', by: m.by });
        return;
      case 'error':
        return this.error(m.code, m.seq);
    }
  }

  private connected(m: Connected): void {
    let operator = m.operator;
    if (this.orgPublicKey) {
      // The same check on a resume: a relay must not swap in another key mid-chat either.
      const verdict = this.chat ? checkChatKey(this.orgPublicKey, m.proof, this.chat, m.key, Date.now()) : null;
      if (!verdict?.ok || (this.operatorKey !== null && this.operatorKey !== m.key)) {
        this.untrusted();
        return;
      }
      // The certified name, not the one the server says.
      operator = verdict.name;
    }
    const first = !this.cipher.established;
    if (first) {
      try {
        this.cipher.establish(m.key, this.chat ?? '');
        this.operatorKey = m.key;
      } catch {
        this.onEvent({ kind: 'unreadable' });
        return;
      }
    }
    this.onEvent({ kind: 'connected', operator, first });
    this.flush();
  }

  /** Nobody we can vouch for answered: ask the server to end the chat, say nothing else, forget everything. */
  private untrusted(): void {
    this.socket.send({ type: 'end', quick: false });
    this.finish();
    this.onEvent({ kind: 'untrusted' });
  }

  private decrypt(seq: number, data: string): void {
    try {
      const plain = this.cipher.open(seq, data);
      this.onEvent({ kind: 'message', body: plain.body });
    } catch (error) {
      // A replay is the server resending after a reconnect: already shown, nothing to say.
      if (error instanceof E2EError && error.reason === 'replay') return;
      this.onEvent({ kind: 'unreadable' });
    }
  }

  /**
   * The shared store went away or came back. The socket stays open meanwhile; the visitor
   * sees the same calm "Reconnecting…" as after a lost connection, and nothing is marked
   * failed: the server de-duplicates by seq, so everything unacknowledged simply goes again.
   */
  private service(ok: boolean): void {
    this.degraded = !ok;
    this.delivery.pause();
    if (!ok) {
      this.onEvent({ kind: 'link', up: false });
      return;
    }
    // Before `queued` there is nothing to resume; during a resume, `resumed` says when.
    if (this.ready || this.chat === null) this.onEvent({ kind: 'link', up: true });
    this.flush();
  }

  private error(code: ErrorCode, seq: number | undefined): void {
    if (code === 'ERR_UNAVAILABLE') return this.unavailable(seq);
    if (seq !== undefined) {
      // A message after one the server could not store arrives as a gap: it goes again,
      // in order, right behind the earlier one.
      if (code === 'ERR_BAD_SEQUENCE' && this.delivery.hold(seq, code, this.degraded)) return;
      if (this.delivery.fail(seq)) this.onEvent({ kind: 'failed', seq, code });
      return;
    }
    if (code === 'ERR_RESUME_FAILED') {
      this.finish();
      this.onEvent({ kind: 'ended', by: 'system' });
      return;
    }
    if (FINAL_ERRORS.has(code)) this.finish();
    this.onEvent({ kind: 'error', code });
  }

  /**
   * The server is there but its shared store is not (ERR_UNAVAILABLE): nothing is lost,
   * nothing is marked failed.
   */
  private unavailable(seq: number | undefined): void {
    if (seq !== undefined) {
      // Not stored: it stays pending and goes again on `service: ok`, or after a wait.
      this.delivery.hold(seq, 'ERR_UNAVAILABLE', this.degraded);
      return;
    }
    if (this.resuming) {
      // The chat could not be looked up just now. The server answered, so its grace is
      // not what stops us: the give-up count starts again from the next silence.
      this.resuming = false;
      this.clearDropTimers();
      this.onEvent({ kind: 'link', up: false });
      this.socket.retryLater();
      return;
    }
    // A refused `request`: no chat was made. Main shows the "briefly unavailable" view.
    if (this.chat === null) this.onEvent({ kind: 'error', code: 'ERR_UNAVAILABLE' });
    // Anything else (a typing signal) carries nothing to keep.
  }

  private clearDropTimers(): void {
    if (this.giveUp) clearTimeout(this.giveUp);
    this.giveUp = null;
    this.dropNotice.clear();
  }

  private dropped(code: number): boolean {
    if (this.over) return false;
    this.ready = false;
    this.resuming = false;
    this.delivery.pause();
    const final = FINAL_CLOSES.get(code);
    if (final) {
      this.finish();
      this.onEvent(final);
      return false;
    }
    this.dropNotice.dropped(code);
    // Past the server's grace the chat is gone even if we get through: say so, with the
    // line's numbers, rather than show "Reconnecting…" for ever to someone in crisis.
    // Never queued (the chat cannot be reached at all): give up sooner, with the numbers.
    const queued = this.chat !== null;
    this.giveUp ??= setTimeout(
      () => {
        this.giveUp = null; // a later drop starts its own count
        if (this.ready || this.over) return;
        this.finish();
        this.onEvent(queued ? { kind: 'ended', by: 'system' } : { kind: 'error', code: 'ERR_INTERNAL' });
      },
      queued ? this.giveUpAfterMs : Math.min(this.giveUpAfterMs, UNREACHABLE_AFTER_MS),
    );
    return true;
  }

  /** After a reconnect, whatever the server has not acknowledged goes again, unchanged. */
  private flush(): void {
    if (this.canSend && this.cipher.established) this.delivery.flush();
  }

  /** Forget everything: keys, token, pending ciphertext. Safe to call more than once. */
  finish(): void {
    if (this.over) return;
    this.over = true;
    this.clearDropTimers();
    this.ready = false;
    this.token = null;
    this.chat = null;
    this.socket.stop();
    this.delivery.clear();
    this.cipher.wipe();
  }
}
