// First in the chat chunk: zod must know about our CSP before a schema is used.
import '../../browser-shared/zod-setup.js';
import type { LinesResponse, PublicLine } from '../../protocol/http.js';
import type { ErrorCode } from '../../protocol/errors.js';
import type { EndedBy } from '../../protocol/visitor-messages.js';
import { ChatSession, type ChatRequest, type SessionEvent } from './chat-session.js';
import { t } from './i18n.js';
import type { Shell } from './views/shell.js';
import { chatView, type ChatView } from './views/chat.js';
import { waitingView, type WaitingView } from './views/waiting.js';

export type ChatOutcome =
  | { kind: 'ended'; by: EndedBy }
  | { kind: 'error'; code: ErrorCode }
  /** The person answering could not be confirmed as the helpline's: stopped for safety. */
  | { kind: 'untrusted' };

export interface FlowHooks {
  done(outcome: ChatOutcome): void;
  /** The counsellor wrote (the launcher counts these while minimised; never the text). */
  newMessage(): void;
}

/**
 * One chat from "Start chat" to its end, on screen: the waiting view, then the chat view,
 * fed by the session's events. When it is over it hands an outcome back to main, which
 * may keep the chat view on screen (chatView) with the conversation.
 */
export class ChatFlow {
  private session: ChatSession | null = null;
  private waiting: WaitingView | null = null;
  private chat: ChatView | null = null;
  private finished = false;

  constructor(
    private readonly shell: Shell,
    private readonly lines: LinesResponse,
    private readonly line: PublicLine,
    private readonly hooks: FlowHooks,
  ) {}

  /** The conversation on screen, once an operator joined. */
  get chatView(): ChatView | null {
    return this.chat;
  }

  async start(socketUrl: string, request: ChatRequest, giveUpAfterMs: number): Promise<void> {
    this.waiting = waitingView(this.lines, this.line, request.language, () => this.leave());
    this.shell.show(this.waiting.el);
    let session: ChatSession;
    try {
      session = await ChatSession.create(socketUrl, request, (e) => this.on(e));
    } catch {
      this.finish({ kind: 'error', code: 'ERR_INTERNAL' });
      return;
    }
    // Quick exit may have happened while the keys were being made.
    if (this.finished) {
      session.finish();
      return;
    }
    this.session = session;
    session.giveUpAfterMs = giveUpAfterMs;
    session.start();
  }

  /** Quick exit: tell the server (if we can) to end and purge, and forget everything. */
  quickExit(): void {
    this.finished = true;
    this.session?.end(true);
  }

  private leave(): void {
    this.session?.end(false);
    this.finish({ kind: 'ended', by: 'visitor' });
  }

  private finish(outcome: ChatOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.session?.finish();
    this.hooks.done(outcome);
  }

  private on(e: SessionEvent): void {
    if (this.finished) return;
    switch (e.kind) {
      case 'queued':
        this.waiting?.update(e);
        return;
      case 'connected':
        if (this.chat) this.chat.setOperator(e.operator);
        else this.openChat(e.operator);
        return;
      case 'message':
        this.chat?.addTheirs(e.body);
        this.hooks.newMessage();
        return;
      case 'ack':
        this.chat?.acked(e.seq);
        return;
      case 'failed':
        this.chat?.failed(e.seq);
        this.chat?.addSystem(t(`errors.${e.code}`));
        return;
      case 'typing':
        this.chat?.setTyping(e.on);
        return;
      case 'link':
        this.chat?.setLink(e.up);
        this.waiting?.setLink(e.up);
        return;
      case 'unreadable':
        this.chat?.addSystem(t('chat.unreadable'));
        return;
      case 'ended':
        this.finish({ kind: 'ended', by: e.by });
        return;
      case 'untrusted':
        this.finish({ kind: 'untrusted' });
        return;
      case 'error':
        return this.error(e.code);
    }
  }

  private error(code: ErrorCode): void {
    // Before we are queued an error means the request itself was refused.
    if (!this.session || this.session.isOver || !this.session.isQueued) {
      this.finish({ kind: 'error', code });
      return;
    }
    if (this.chat) this.chat.addSystem(t(`errors.${code}`));
  }

  private openChat(operator: string): void {
    const session = this.session;
    if (!session) return;
    this.waiting = null;
    this.chat = chatView(operator, {
      send: (body) => session.send(body),
      retry: (seq) => session.retry(seq),
      typing: (on) => session.typing(on),
      end: () => this.leave(),
      lineName: this.line.name,
    });
    this.shell.show(this.chat.el, this.chat.input);
    this.chat.addSystem(t('chat.joined', { name: operator }));
  }
}
