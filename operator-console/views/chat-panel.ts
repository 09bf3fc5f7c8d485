import { LIMITS } from '../../protocol/limits.js';
import type { CannedReply } from '../../protocol/operator-messages.js';
import { h, uid } from '../../browser-shared/dom.js';
import { TypingSignal } from '../../browser-shared/typing-signal.js';
import { formatDuration, labelFor, languageName, live, liveAttr, t } from '../i18n.js';
import { CannedPicker, isPickerShortcut } from './canned-picker.js';
import { messageTime } from './message-time.js';
import { PrivateNotes } from './private-notes.js';
import { WrapUpForm } from './wrap-up-form.js';

/** What the operator reads when a chat ends on the visitor's side, by how it ended. */
export const LEFT_MESSAGES = {
  visitor: 'chat.visitorLeft',
  'quick-exit': 'chat.visitorQuickExit',
  system: 'chat.systemEnded',
} as const;

export interface PanelInfo {
  chat: string;
  /** The line's id, which picks its canned replies; `lineName` is what the heading shows. */
  line: string;
  lineName: string;
  language: string;
  topic: string;
  waited: number;
  wrapUps: string[];
  /** The canned replies of the operator's lines and languages, from the welcome. */
  canned: readonly CannedReply[];
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
 * One chat on the operator's desk: heading (line, language, topic), the visitor's connection,
 * the log (each line with its time), the visitor's typing, the composer with its canned
 * replies, the operator's private notes, and the wrap-up that every chat must end with —
 * also one the visitor has already left.
 */
export class ChatPanel {
  readonly el: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly log: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly notice: HTMLElement;
  /** The visitor's connection dropped or came back: not an ending, so not the notice above. */
  private readonly connection: HTMLElement;
  private readonly picker: CannedPicker;
  private readonly notes = new PrivateNotes();
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
    this.connection = h('p', { class: 'connection-notice', role: 'status' });
    this.input = h('textarea', { id: inputId, rows: 2, maxlength: LIMITS.maxMessageChars });
    this.sendButton = h('button', { type: 'submit', class: 'primary' }, live(() => t('chat.send')));
    this.wrapUp = new WrapUpForm(info.wrapUps, { button: 'chat.end', required: 'chat.wrapUpRequired' }, (wrapUp) => {
      this.signal.stop();
      handlers.end(wrapUp);
    });

    this.picker = new CannedPicker({
      line: info.line,
      language: info.language,
      replies: info.canned,
      choose: (text) => this.insert(text),
      dismissed: () => this.input.focus(),
    });

    this.input.addEventListener('keydown', (event) => {
      if (isPickerShortcut(event)) {
        event.preventDefault();
        this.picker.open();
        return;
      }
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
      h('div', { class: 'actions' }, this.picker.button, this.sendButton),
    );
    composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });

    this.el = h('section', { class: 'panel', 'aria-labelledby': headingId, 'data-chat': info.chat },
      h('h3', { id: headingId }, info.lineName, ' · ', live(() => languageName(info.language)), ' · ', live(() => labelFor('topics', info.topic))),
      h('p', { class: 'meta' }, live(() => t('chat.waited', { time: formatDuration(info.waited) }))),
      this.notice,
      this.connection,
      this.log,
      this.typing,
      this.picker.el,
      composer,
      this.notes.el,
      this.wrapUp.el,
    );
  }

  addTheirs(body: string): void {
    this.setTyping(false);
    this.add(h('div', { class: 'msg theirs' }, who('chat.visitor'), h('p', { class: 'body' }, body)));
  }

  addSystem(text: string): void {
    this.add(h('p', { class: 'msg system' }, messageTime(new Date()), ' ', text));
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
    this.connection.replaceChildren();
    this.stopTalking(LEFT_MESSAGES[how]);
    this.wrapUp.select.focus();
  }

  /**
   * The visitor's connection dropped ('lost': they may come back within `graceSeconds`, and
   * what the operator writes meanwhile reaches them then) or came back ('back'). Calm words,
   * and the composer stays open: only `ended` closes the chat.
   */
  visitorConnection(connection: 'lost' | 'back', graceSeconds?: number): void {
    if (this.input.disabled) return;
    this.connection.dataset.connection = connection;
    if (connection === 'back') {
      this.connection.replaceChildren(live(() => t('panel.connection.back')));
      return;
    }
    this.setTyping(false);
    const minutes = graceSeconds === undefined ? undefined : Math.max(1, Math.ceil(graceSeconds / 60));
    this.connection.replaceChildren(
      live(() => (minutes === undefined ? t('panel.connection.lostUntimed') : t('panel.connection.lost', { count: minutes, minutes }))),
    );
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

  /** Wrapped up: the private notes go with the panel. */
  dispose(): void {
    this.notes.clear();
    this.picker.close();
    this.signal.stop();
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.el.remove();
  }

  private stopTalking(key: string): void {
    this.notice.replaceChildren(live(() => t(key)));
    this.notice.dataset.code = '';
    this.input.disabled = true;
    this.sendButton.disabled = true;
    this.picker.setDisabled(true);
  }

  /**
   * A canned reply goes into the composer, after what is there, to be edited before Send:
   * never sent from the picker. The caret ends up after it.
   */
  private insert(text: string): void {
    const before = this.input.value;
    const gap = before && !/\s$/.test(before) ? ' ' : '';
    this.input.value = `${before}${gap}${text}`.slice(0, LIMITS.maxMessageChars);
    this.input.focus();
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
    this.input.scrollTop = this.input.scrollHeight;
    // The operator is composing now, as if they had typed it: the visitor sees "typing".
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private submit(): void {
    const body = this.input.value.trim();
    if (!body) return;
    this.signal.stop();
    const seq = this.handlers.send(body);
    if (seq === null) return;
    const entry = h('div', { class: 'msg mine' }, who('chat.you'), h('p', { class: 'body' }, body), h('p', { class: 'state' }));
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

/** Who wrote a line, and when it appeared on this desk. */
function who(key: string): HTMLElement {
  return h('p', { class: 'who' }, live(() => t(key)), ' ', messageTime(new Date()));
}
