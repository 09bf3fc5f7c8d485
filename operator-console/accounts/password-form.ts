import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../protocol/accounts.js';
import { h } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';
import type { SubmitOutcome } from './account-form.js';
import { formField, whilePending, type FormField } from './form-field.js';

export interface PasswordFormOptions {
  submit(password: string): Promise<SubmitOutcome>;
  cancel(): void;
}

/** A new password for someone else's account: at least MIN_PASSWORD_LENGTH characters. */
export class PasswordForm {
  readonly el: HTMLFormElement;
  readonly first: HTMLInputElement;
  private readonly alert = h('p', { class: 'form-error', role: 'alert' });
  private readonly field: FormField<HTMLInputElement>;

  constructor(options: PasswordFormOptions) {
    const field = formField(() => t('accounts.password.new'),
      h('input', { name: 'new-password', type: 'password', autocomplete: 'new-password', minlength: MIN_PASSWORD_LENGTH, maxlength: MAX_PASSWORD_LENGTH, required: true }),
      () => t('accounts.form.passwordHint', { min: MIN_PASSWORD_LENGTH }));
    this.field = field;
    const input = field.input;
    this.first = input;
    // One field: its own error line is the alert, so focus already on it still hears it.
    field.errorLine.setAttribute('role', 'alert');
    input.addEventListener('input', () => field.setError(''));
    const button = h('button', { type: 'submit', class: 'primary' }, live(() => t('accounts.password.save')));
    this.el = h('form', { class: 'account-form', novalidate: true },
      h('p', {}, live(() => t('accounts.password.intro'))),
      field.el,
      this.alert,
      h('div', { class: 'actions' },
        button,
        h('button', { type: 'button', class: 'secondary', onclick: () => options.cancel() }, live(() => t('accounts.form.cancel')))),
    );
    this.el.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        if (button.getAttribute('aria-disabled') === 'true') return;
        if (input.value.length < MIN_PASSWORD_LENGTH) {
          this.problem(t('accounts.problems.password', { min: MIN_PASSWORD_LENGTH }));
          return;
        }
        this.problem('');
        this.alert.textContent = '';
        const outcome = await whilePending(button, () => options.submit(input.value));
        if (outcome === null) return;
        if (outcome === 'ERR_WEAK_PASSWORD') {
          input.value = '';
          this.problem(t('errors.ERR_WEAK_PASSWORD'));
        } else {
          this.alert.textContent = outcome === 'network' ? t('accounts.problems.network') : t(`errors.${outcome}`);
        }
      })();
    });
  }

  /** The problem beside the (only) field, which says it as an alert; '' clears it. */
  private problem(text: string): void {
    this.field.setError(text);
    if (text) this.field.input.focus();
  }
}
