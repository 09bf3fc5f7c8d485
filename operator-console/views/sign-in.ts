import { h, uid } from '../../browser-shared/dom.js';
import { signIn } from '../api.js';
import { live, t } from '../i18n.js';

/** Operator ID and password; the server sets an HttpOnly session cookie on success. */
export function signInView(onSignedIn: () => void, notice?: string): HTMLElement {
  const idId = uid('operator-id');
  const pwId = uid('password');
  const idInput = h('input', { id: idId, name: 'username', autocomplete: 'username', required: true, maxlength: 64 });
  const pwInput = h('input', { id: pwId, name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert' }, notice ?? '');
  const button = h('button', { type: 'submit', class: 'primary' }, live(() => t('signIn.submit')));

  const form = h('form', { class: 'sign-in', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: idId }, live(() => t('signIn.id'))), idInput),
    h('div', { class: 'field' }, h('label', { for: pwId }, live(() => t('signIn.password'))), pwInput),
    error,
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!idInput.value || !pwInput.value) {
      error.textContent = t('signIn.missing');
      (idInput.value ? pwInput : idInput).focus();
      return;
    }
    button.disabled = true;
    error.textContent = '';
    const result = await signIn({ id: idInput.value.trim(), password: pwInput.value });
    button.disabled = false;
    if (result.ok) {
      pwInput.value = '';
      onSignedIn();
      return;
    }
    error.textContent = result.code === 'network' ? t('signIn.network') : t(`errors.${result.code}`);
    pwInput.value = '';
    pwInput.focus();
  });

  return h('section', { class: 'view sign-in-view', 'aria-labelledby': 'sign-in-heading' },
    h('h1', { id: 'sign-in-heading' }, live(() => t('signIn.title'))),
    form,
  );
}
