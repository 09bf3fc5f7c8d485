import { h, uid } from '../../browser-shared/dom.js';
import { live } from '../i18n.js';

/** A labelled input with an optional hint and its own error line, both linked with aria-describedby. */
export interface FormField<E extends HTMLInputElement | HTMLSelectElement> {
  el: HTMLElement;
  input: E;
  errorLine: HTMLElement;
  /** '' clears it. */
  setError(text: string): void;
}

export function formField<E extends HTMLInputElement | HTMLSelectElement>(
  label: () => string,
  input: E,
  hint?: () => string,
): FormField<E> {
  const id = input.id || uid('account-field');
  input.id = id;
  const errorId = uid('account-field-error');
  const hintEl = hint ? h('p', { id: uid('account-field-hint'), class: 'field-hint' }, live(hint)) : null;
  const error = h('p', { id: errorId, class: 'field-error' });
  input.setAttribute('aria-describedby', [hintEl?.id, errorId].filter(Boolean).join(' '));
  return {
    el: h('div', { class: 'field' }, h('label', { for: id }, live(label)), input, hintEl, error),
    input,
    errorLine: error,
    setError(text) {
      error.textContent = text;
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
}

/**
 * The button says it is busy while its request is out (aria-disabled, not disabled: a
 * disabled button would drop the focus it holds); callers ignore presses meanwhile.
 */
export async function whilePending<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.setAttribute('aria-disabled', 'true');
  try {
    return await work();
  } finally {
    button.removeAttribute('aria-disabled');
  }
}
