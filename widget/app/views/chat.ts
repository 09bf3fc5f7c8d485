import { LIMITS } from '../../../protocol/limits.js';
import { h, uid } from '../../../browser-shared/dom.js';
import { TypingSignal } from '../../../browser-shared/typing-signal.js';
import { t } from '../i18n.js';

export interface ChatView {
  el: HTMLElement;
  input: HTMLTextAreaElement;
  addTheirs(body: string): void;
  addSystem(text: string): void;
  acked(seq: number): void;
  failed(seq: number): void;
  setTyping(on: boolean): void;
  setLink(up: boolean): void;
  setOperator(name: string): void;
  /**
   * The chat is over: the composer gives way to a closing panel, and the conversation
   * stays readable until the visitor clears it, closes the widget or quick-exits.
   */
  showEnded(panel: HTMLElement): void;
}

export interface ChatHandlers {
  /** Seals and sends; returns the sequence number the message will be acked by. */
  send(body: string): number;
  retry(seq: number): void;
  typing(on: boolean): void;
  end(): void;
  /** The line's name, for "End the chat with 1712?". */
  lineName: string;
}

/** Warn before the limit, not only at it, so a long message is not cut off by surprise. */
const COUNTER_FROM = LIMITS.maxMessageChars - 500;
/** If a typing "off" is lost, the indicator still goes away. */
const TYPING_TIMEOUT_MS = 15_000;
/** On a touch screen Enter makes a new line and there is no Shift: no keyboard hint. */
const TOUCH = '(pointer: coarse)';

export function chatView(operatorName: string, handlers: ChatHandlers): ChatView {
  let operator = operatorName;
  const heading = h('h1', { class: 'chat-title' });
  const link = h('p', { class: 'link-status', 'aria-live': 'polite', hidden: true }, t('app.reconnecting'));
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t('chat.log'), tabindex: 0 });
  const typing = h('p', { class: 'typing', 'aria-live': 'polite' });
  const inputId = uid('message');
  const hintId = uid('hint');
  const counterId = uid('counter');
  const input = h('textarea', {
    id: inputId, name: 'message', rows: 2, maxlength: LIMITS.maxMessageChars, 'aria-describedby': `${hintId} ${counterId}`,
  });
  const counter = h('p', { id: counterId, class: 'counter', hidden: true });
  const mine = new Map<number, HTMLElement>();
  const signal = new TypingSignal((on) => handlers.typing(on));
  let typingTimer: ReturnType<typeof setTimeout> | null = null;

  const scrollDown = () => {
    log.scrollTop = log.scrollHeight;
  };
  const add = (entry: HTMLElement) => {
    log.appendChild(entry);
    scrollDown();
  };
  const setState = (entry: HTMLElement, state: 'sending' | 'sent' | 'failed', seq: number) => {
    entry.dataset.state = state;
    const status = entry.querySelector('.state');
    if (!status) return;
    if (state === 'failed') {
      status.replaceChildren(
        t('chat.notSent'), ' ',
        h('button', { type: 'button', class: 'link-button', onclick: () => {
          setState(entry, 'sending', seq);
          handlers.retry(seq);
        } }, t('chat.retry')),
      );
    } else {
      status.textContent = state === 'sending' ? t('chat.sending') : t('chat.sent');
    }
  };

  const submit = () => {
    const body = input.value.trim();
    if (!body) return;
    signal.stop();
    const seq = handlers.send(body);
    const entry = h('div', { class: 'msg mine' },
      h('p', { class: 'who' }, t('chat.you')),
      h('p', { class: 'body' }, body),
      h('p', { class: 'state' }),
    );
    setState(entry, 'sending', seq);
    mine.set(seq, entry);
    add(entry);
    input.value = '';
    updateCounter();
  };
  const updateCounter = () => {
    const n = input.value.length;
    counter.hidden = n < COUNTER_FROM;
    counter.textContent = t('chat.counter', { used: n, max: LIMITS.maxMessageChars });
  };

  input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing. On touch
    // screens Enter is a new line, and Send sends.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !touch) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    updateCounter();
    if (input.value) signal.input();
    else signal.stop();
  });
  input.addEventListener('blur', () => signal.stop());

  const confirmTitle = uid('confirm');
  const keepChatting = h('button', { type: 'button', class: 'secondary', onclick: () => askToEnd(false) }, t('chat.confirmEndNo'));
  // Ending is asked once, in words, away from Send: one slip of the thumb must not end it.
  const confirm = h('div', { class: 'confirm-end', role: 'group', 'aria-labelledby': confirmTitle, hidden: true },
    h('p', { id: confirmTitle, class: 'confirm-title' }, t('chat.confirmEnd', { line: handlers.lineName })),
    h('p', {}, t('chat.confirmEndText')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: () => {
        signal.stop();
        handlers.end();
      } }, t('chat.confirmEndYes')),
      keepChatting,
    ),
  );
  const endButton = h('button', { type: 'button', class: 'secondary end', onclick: () => askToEnd(true) }, t('chat.end'));
  const askToEnd = (asking: boolean) => {
    confirm.hidden = !asking;
    actions.hidden = asking;
    (asking ? keepChatting : endButton).focus();
  };
  const actions = h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, t('chat.send')),
    endButton,
  );
  const touch = window.matchMedia(TOUCH).matches;
  if (touch) input.setAttribute('aria-describedby', counterId);
  const form = h('form', { class: 'composer', novalidate: true },
    h('label', { for: inputId }, t('chat.message')),
    input,
    touch ? null : h('p', { id: hintId, class: 'hint' }, t('chat.hint')),
    counter,
    actions,
    confirm,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });

  const view: ChatView = {
    el: h('section', { class: 'view chat' }, heading, link, log, typing, form),
    input,
    addTheirs(body) {
      view.setTyping(false);
      add(h('div', { class: 'msg theirs' }, h('p', { class: 'who' }, operator), h('p', { class: 'body' }, body)));
    },
    addSystem(text) {
      add(h('p', { class: 'msg system' }, text));
    },
    acked(seq) {
      const entry = mine.get(seq);
      if (entry) setState(entry, 'sent', seq);
    },
    failed(seq) {
      const entry = mine.get(seq);
      if (entry) setState(entry, 'failed', seq);
    },
    setTyping(on) {
      if (typingTimer) clearTimeout(typingTimer);
      typingTimer = on ? setTimeout(() => view.setTyping(false), TYPING_TIMEOUT_MS) : null;
      typing.textContent = on ? t('chat.typing', { name: operator }) : '';
    },
    setLink(up) {
      link.hidden = up;
    },
    setOperator(name) {
      operator = name;
      heading.textContent = t('chat.title', { name });
    },
    showEnded(panel) {
      signal.stop();
      view.setTyping(false);
      link.hidden = true;
      form.replaceWith(panel);
      document.documentElement.dataset.view = 'chat-ended';
      // Focus (and so a screen reader) goes to what happened: "The chat has ended".
      panel.querySelector<HTMLElement>('h2')?.focus();
    },
  };
  view.setOperator(operator);
  return view;
}
