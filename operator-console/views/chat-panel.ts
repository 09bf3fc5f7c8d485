import { LIMITS } from '../../protocol/limits.js';
import { h, uid } from '../../browser-shared/dom.js';
import { TypingSignal } from '../../browser-shared/typing-signal.js';
import { formatDuration, labelFor, languageName, live, liveAttr, t } from '../i18n.js';
import { WrapUpForm } from './wrap-up-form.js';

/** What the operator reads when a chat ends on the visitor's side, by how it ended. */
export const LEFT_MESSAGES = {
  visitor: 'chat.visitorLeft',
  'quick-exit': 'chat.visitorQuickExit',
  system: 'chat.systemEnded',
} as const;

export interface PanelInfo {
  chat: string;
  lineName: string;
  language: string;
  topic: string;
  waited: number;
  wrapUps: string[];
}

export interface PanelHandlers {
  /** Seal and send; null when the chat's keys are gone. */
  send(body: string): number | null;
  retry(seq: number): void;
  typing(on: boolean): void;
  end(wrapUp: string): void;
}

const TYPING_TIMEOUT_MS = 15_000;

/**
 * One chat on the operator's desk: heading (line, language, topic), the log, the visitor's
 * typing, the composer, and the wrap-up that every chat must end with — also one the
 * visitor has already left.
 */
export class ChatPanel {
  readonly el: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly log: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly wrapUp: WrapUpForm;
  private readonly sendButton: HTMLButtonElement;
  private readonly mine = new Map<number, HTMLElement>();
  private readonly signal: TypingSignal;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(info: PanelInfo, private readonly handlers: PanelHandlers) {
    const headingId = uid('chat');
    const inputId = uid('message');
    this.signal = new TypingSignal((on) => handlers.typing(on));
    this.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', tabindex: 0 });
    liveAttr(this.log, 'aria-label', () => t('chat.log'));
    this.typing = h('p', { class: 'typing', 'aria-live': 'polite' });
    this.notice = h('p', { class: 'panel-notice', role: 'status' });
    this.input = h('textarea', { id: inputId, rows: 2, maxlength: LIMITS.maxMessageChars });
    this.sendButton = h('button', { type: 'submit', class: 'primary' }, live(() => t('chat.send')));
    this.wrapUp = new WrapUpForm(info.wrapUps, { button: 'chat.end', required: 'chat.wrapUpRequired' }, (wrapUp) => {
      this.signal.stop();
      handlers.end(wrapUp);
    });

    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => (this.input.value ? this.signal.input() : this.signal.stop()));
    this.input.addEventListener('blur', () => this.signal.stop());

    const composer = h('form', { class: 'composer', novalidate: true },
      h('label', { for: inputId }, live(() => t('chat.message'))),
      this.input,
      h('div', { class: 'actions' }, this.sendButton),
    );
    composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });

    this.el = h('section', { class: 'panel', 'aria-labelledby': headingId, 'data-chat': info.chat },
      h('h3', { id: headingId }, info.lineName, ' · ', live(() => languageName(info.language)), ' · ', live(() => labelFor('topics', info.topic))),
      h('p', { class: 'meta' }, live(() => t('chat.waited', { time: formatDuration(info.waited) }))),
      this.notice,
      this.log,
      this.typing,
      composer,
      this.wrapUp.el,
    );
  }

  addTheirs(body: string): void {
    this.setTyping(false);
    this.add(h('div', { class: 'msg theirs' }, h('p', { class: 'who' }, live(() => t('chat.visitor'))), h('p', { class: 'body' }, body)));
  }

  addSystem(text: string): void {
    this.add(h('p', { class: 'msg system' }, text));
  }

  acked(seq: number): void {
    const entry = this.mine.get(seq);
    if (entry) this.setState(entry, 'sent', seq);
  }

  failed(seq: number): void {
    const entry = this.mine.get(seq);
    if (entry) this.setState(entry, 'failed', seq);
  }

  setTyping(on: boolean): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = on ? setTimeout(() => this.setTyping(false), TYPING_TIMEOUT_MS) : null;
    this.typing.replaceChildren(on ? live(() => t('chat.typing')) : '');
  }

  /**
   * The visitor left, by quick exit (they may not be safe: say so), or the system ended
   * it (their connection was lost): no more talking, only the wrap-up.
   */
  visitorLeft(how: 'visitor' | 'quick-exit' | 'system'): void {
    this.setTyping(false);
    this.stopTalking(LEFT_MESSAGES[how]);
    this.wrapUp.select.focus();
  }

  /** The console was reloaded: this chat's keys are gone. */
  keysLost(): void {
    this.stopTalking('chat.keysLost');
  }

  /** Show a problem with this chat (an error from the server) and allow another try. */
  showError(text: string, code = ''): void {
    this.notice.textContent = text;
    this.notice.dataset.code = code;
    this.wrapUp.allowRetry();
  }

  /** Take away the problem shown for `code`, if that is still what the notice says. */
  clearError(code: string): void {
    if (this.notice.dataset.code !== code) return;
    this.notice.textContent = '';
    this.notice.dataset.code = '';
  }

  dispose(): void {
    this.signal.stop();
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.el.remove();
  }

  private stopTalking(key: string): void {
    this.notice.replaceChildren(live(() => t(key)));
    this.notice.dataset.code = '';
    this.input.disabled = true;
    this.sendButton.disabled = true;
  }

  private submit(): void {
    const body = this.input.value.trim();
    if (!body) return;
    this.signal.stop();
    const seq = this.handlers.send(body);
    if (seq === null) return;
    const entry = h('div', { class: 'msg mine' }, h('p', { class: 'who' }, live(() => t('chat.you'))), h('p', { class: 'body' }, body), h('p', { class: 'state' }));
    this.mine.set(seq, entry);
    this.setState(entry, 'sending', seq);
    this.add(entry);
    this.input.value = '';
  }

  private add(entry: HTMLElement): void {
    this.log.appendChild(entry);
    this.log.scrollTop = this.log.scrollHeight;
  }

  private setState(entry: HTMLElement, state: 'sending' | 'sent' | 'failed', seq: number): void {
    entry.dataset.state = state;
    const status = entry.querySelector('.state');
    if (!status) return;
    if (state !== 'failed') {
      status.replaceChildren(live(() => t(state === 'sending' ? 'chat.sending' : 'chat.sent')));
      return;
    }
    status.replaceChildren(live(() => t('chat.notSent')), ' ', h('button', { type: 'button', class: 'link-button', onclick: () => {
      this.setState(entry, 'sending', seq);
      this.handlers.retry(seq);
    } }, live(() => t('chat.retry'))));
  }
}
