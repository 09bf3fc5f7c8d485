import { h, uid } from '../../browser-shared/dom.js';
import { labelFor, live, t } from '../i18n.js';

export interface WrapUpWords {
  /** The button's key ("End chat", "Close the call"). */
  button: string;
  /** What to say when the button is pressed with no category chosen. */
  required: string;
}

/**
 * The wrap-up every chat and every call ends with: a category from the configured list and
 * one button. Without a category the button says so instead of ending.
 */
export class WrapUpForm {
  readonly el: HTMLElement;
  readonly select: HTMLSelectElement;
  private readonly error: HTMLElement;
  private readonly button: HTMLButtonElement;

  constructor(wrapUps: string[], words: WrapUpWords, private readonly end: (wrapUp: string) => void) {
    const selectId = uid('wrap-up');
    const errorId = uid('wrap-up-error');
    this.select = h('select', { id: selectId, 'aria-describedby': errorId },
      h('option', { value: '' }, live(() => t('chat.chooseWrapUp'))),
      wrapUps.map((id) => h('option', { value: id }, live(() => labelFor('wrapUps', id)))),
    );
    this.error = h('p', { id: errorId, class: 'field-error' });
    this.button = h('button', { type: 'button', class: 'secondary', onclick: () => this.submit(words.required) }, live(() => t(words.button)));
    this.select.addEventListener('change', () => (this.error.textContent = ''));
    this.el = h('div', { class: 'wrap-up' },
      h('label', { for: selectId }, live(() => t('chat.wrapUp'))),
      this.select,
      this.error,
      h('div', { class: 'actions' }, this.button),
    );
  }

  /** The end did not go through (offline, refused): allow another try. */
  allowRetry(): void {
    this.button.disabled = false;
  }

  private submit(required: string): void {
    if (!this.select.value) {
      this.error.textContent = t(required);
      this.select.focus();
      return;
    }
    this.button.disabled = true;
    this.end(this.select.value);
  }
}
