import { h, uid } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';

/**
 * The operator's own notes on one chat, for a long shift with several chats at once. They
 * live in this textarea and nowhere else: never sent, never put in storage, not restored by
 * the browser (autocomplete off), not sent to a spelling service (spellcheck off), and
 * emptied when the chat is wrapped up and its panel goes.
 */
export class PrivateNotes {
  readonly el: HTMLDetailsElement;
  readonly textarea: HTMLTextAreaElement;

  constructor() {
    const id = uid('notes');
    const hintId = uid('notes-hint');
    this.textarea = h('textarea', {
      id,
      rows: 3,
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-describedby': hintId,
    });
    this.el = h('details', { class: 'private-notes' },
      h('summary', {}, live(() => t('panel.notes.summary'))),
      h('div', { class: 'private-notes-body' },
        h('label', { for: id }, live(() => t('panel.notes.label'))),
        h('p', { id: hintId, class: 'private-notes-hint' }, live(() => t('panel.notes.hint'))),
        this.textarea,
      ),
    );
  }

  /** Wrap-up: what was written goes with the panel. */
  clear(): void {
    this.textarea.value = '';
    this.el.open = false;
  }
}
