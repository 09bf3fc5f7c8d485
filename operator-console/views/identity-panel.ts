import { h, uid } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';

export interface IdentityPanel {
  el: HTMLElement;
  input: HTMLInputElement;
  /** Shown while accepting needs a key; `error` says what went wrong with the last one. */
  show(error?: string): void;
  hide(): void;
  setError(text: string): void;
}

/**
 * "Load identity key": the file `npm run operators -- certify` wrote for this operator.
 * The file is read into memory and the input cleared at once, so not even the browser's
 * file control keeps hold of it.
 */
export function identityPanel(onFile: (file: File) => void): IdentityPanel {
  const inputId = uid('identity-file');
  const introId = uid('identity-intro');
  const errorId = uid('identity-error');
  const input = h('input', {
    id: inputId,
    type: 'file',
    accept: '.json,application/json',
    'aria-describedby': `${introId} ${errorId}`,
  });
  const error = h('p', { id: errorId, class: 'field-error', role: 'alert' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) onFile(file);
  });
  const el = h('section', { class: 'identity-panel', 'aria-labelledby': 'identity-heading', hidden: true },
    h('h2', { id: 'identity-heading' }, live(() => t('identity.heading'))),
    h('p', { id: introId }, live(() => t('identity.intro'))),
    h('div', { class: 'field' }, h('label', { for: inputId }, live(() => t('identity.load'))), input),
    error,
  );
  return {
    el,
    input,
    show(text) {
      el.hidden = false;
      if (text !== undefined) error.textContent = text;
    },
    hide() {
      el.hidden = true;
      error.textContent = '';
    },
    setError(text) {
      error.textContent = text;
    },
  };
}
