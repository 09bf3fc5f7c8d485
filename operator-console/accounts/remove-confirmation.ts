import type { OperatorProfile } from '../../protocol/operator-messages.js';
import { h } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';
import type { SubmitOutcome } from './account-form.js';
import { whilePending } from './form-field.js';

export interface RemoveConfirmationOptions {
  account: OperatorProfile;
  confirm(): Promise<SubmitOutcome>;
  cancel(): void;
}

/**
 * "Remove Sam?" — naming the person and what follows at once (their open consoles close).
 * Focus starts on Keep, so a stray Enter removes nobody.
 */
export class RemoveConfirmation {
  readonly el: HTMLElement;
  readonly first: HTMLButtonElement;

  constructor(options: RemoveConfirmationOptions) {
    const { name, id } = options.account;
    const alert = h('p', { class: 'form-error', role: 'alert' });
    const confirm = h('button', { type: 'button', class: 'danger' }, live(() => t('accounts.remove.confirm', { name })));
    this.first = h('button', { type: 'button', class: 'secondary', onclick: () => options.cancel() }, live(() => t('accounts.remove.keep')));
    confirm.addEventListener('click', () => {
      void (async () => {
        if (confirm.getAttribute('aria-disabled') === 'true') return;
        alert.textContent = '';
        const outcome = await whilePending(confirm, () => options.confirm());
        if (outcome !== null) alert.textContent = outcome === 'network' ? t('accounts.problems.network') : t(`errors.${outcome}`);
      })();
    });
    this.el = h('div', { class: 'account-form' },
      h('p', {}, live(() => t('accounts.remove.consequences', { name, id }))),
      alert,
      h('div', { class: 'actions' }, this.first, confirm),
    );
  }
}
