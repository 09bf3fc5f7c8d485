import type { ErrorCode } from '../../protocol/errors.js';
import type { OperatorId } from '../../protocol/ids.js';
import type { OperatorProfile } from '../../protocol/operator-messages.js';
import { h } from '../../browser-shared/dom.js';
import { getLines, type ApiResult } from '../api.js';
import { live, t } from '../i18n.js';
import { AccountForm, type AccountSubmission, type SubmitOutcome } from './account-form.js';
import { AccountTable, type AccountAction } from './account-table.js';
import { createAccount, listAccounts, removeAccount, resetPassword, updateAccount } from './accounts-api.js';
import { choicesFrom, type Choices } from './choices.js';
import { Modal } from './modal.js';
import { PasswordForm } from './password-form.js';
import { RemoveConfirmation } from './remove-confirmation.js';

export interface AccountsViewDeps {
  lineName(id: string): string;
  /** The signed-in admin (from the welcome). */
  ownId(): OperatorId;
  /** An account request found the session gone. */
  signedOut(code: ErrorCode): void;
}

/**
 * The admin's operator accounts (admin role only): the list, and adding, editing, resetting
 * a password and removing, each in a modal dialog. After each change the list is read again,
 * the outcome is said in a polite status line beside the heading (visible too), and focus
 * goes back to the row's button — or to the heading when the row is gone.
 */
export class AccountsView {
  readonly el: HTMLElement;
  private readonly heading = h('h2', { id: 'accounts-heading', tabindex: -1 }, live(() => t('accounts.title')));
  private readonly status = h('p', { class: 'accounts-status', role: 'status' });
  private readonly problem = h('p', { class: 'form-error', role: 'alert' });
  private readonly retry = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => void this.refresh() },
    live(() => t('app.retry')));
  private readonly loading = h('p', { class: 'empty' }, live(() => t('accounts.loading')));
  private readonly none = h('p', { class: 'empty', hidden: true }, live(() => t('accounts.none')));
  private readonly addButton = h('button', { type: 'button', class: 'primary', onclick: () => void this.openForm(null, this.addButton) },
    live(() => t('accounts.add')));
  private readonly table: AccountTable;
  private choices: Choices | null = null;
  private modal: Modal | null = null;
  private shown = false;
  private stopped = false;

  constructor(private readonly deps: AccountsViewDeps) {
    this.table = new AccountTable({ lineName: (id) => this.lineName(id), act: (action, account, button) => this.act(action, account, button) },
      () => deps.ownId());
    this.table.box.hidden = true;
    this.el = h('section', { class: 'accounts', 'aria-labelledby': 'accounts-heading', hidden: true },
      this.heading,
      this.status,
      h('div', { class: 'actions' }, this.addButton),
      this.problem,
      this.retry,
      this.loading,
      this.none,
      this.table.box,
    );
  }

  /** Shown for the admin role only (the welcome says which); the list is read when it appears. */
  setShown(shown: boolean): void {
    this.el.hidden = !shown;
    const appeared = shown && !this.shown;
    this.shown = shown;
    if (!shown) this.modal?.close();
    // The lines too, so the rows name them even before the desk has read its own copy.
    if (appeared) void this.readChoices().then(() => this.refresh());
  }

  stop(): void {
    this.stopped = true;
    this.modal?.close();
  }

  private act(action: AccountAction, account: OperatorProfile, button: HTMLButtonElement): void {
    if (action === 'edit') void this.openForm(account, button);
    else if (action === 'password') this.openPassword(account, button);
    else this.openRemove(account, button);
  }

  private async openForm(account: OperatorProfile | null, opener: HTMLButtonElement): Promise<void> {
    const choices = await this.readChoices();
    if (!choices || this.stopped) return;
    const form: AccountForm = new AccountForm({
      choices,
      account,
      lineName: (id) => this.lineName(id),
      ownId: this.deps.ownId(),
      submit: (submission) => this.save(submission, opener, modal),
      cancel: () => modal.close(),
    });
    const title = account ? () => t('accounts.form.editTitle', { name: account.name }) : () => t('accounts.form.addTitle');
    const modal: Modal = new Modal(title, () => form.el, opener);
    this.show(modal, form.first);
  }

  private openPassword(account: OperatorProfile, opener: HTMLButtonElement): void {
    const form: PasswordForm = new PasswordForm({
      submit: async (password) => {
        const outcome = this.outcome(await resetPassword(account.id, password));
        if (outcome !== null) return outcome;
        await this.refresh();
        this.done(modal, () => this.table.button(account.id, 'password'), () => t('accounts.done.password', { name: account.name }));
        return null;
      },
      cancel: () => modal.close(),
    });
    const modal: Modal = new Modal(() => t('accounts.password.title', { name: account.name }), () => form.el, opener);
    this.show(modal, form.first);
  }

  private openRemove(account: OperatorProfile, opener: HTMLButtonElement): void {
    const confirmation: RemoveConfirmation = new RemoveConfirmation({
      account,
      confirm: async () => {
        const outcome = this.outcome(await removeAccount(account.id));
        if (outcome === null) {
          await this.refresh();
          this.done(modal, () => this.heading, () => t('accounts.done.removed', { name: account.name }));
        } else if (outcome === 'ERR_NOT_FOUND') void this.refresh();
        return outcome;
      },
      cancel: () => modal.close(),
    });
    const modal: Modal = new Modal(() => t('accounts.remove.title', { name: account.name }), () => confirmation.el, opener);
    this.show(modal, confirmation.first);
  }

  private async save(submission: AccountSubmission, opener: HTMLButtonElement, modal: Modal): Promise<SubmitOutcome> {
    if (submission.kind === 'new') {
      const outcome = this.outcome(await createAccount(submission.request));
      if (outcome !== null) return outcome;
      await this.refresh();
      this.done(modal, () => opener, () => t('accounts.done.added', { name: submission.request.name }));
      return null;
    }
    const outcome = this.outcome(await updateAccount(submission.id, submission.fields));
    if (outcome === 'ERR_NOT_FOUND') void this.refresh();
    if (outcome !== null) return outcome;
    await this.refresh();
    this.done(modal, () => this.table.button(submission.id, 'edit'), () => t('accounts.done.saved', { name: submission.fields.name }));
    return null;
  }

  /** A change was made: close its dialog (if still open), focus where it leads, and say so. */
  private done(modal: Modal, focus: () => HTMLElement | null, said: () => string): void {
    if (modal.isOpen) modal.close(() => focus() ?? this.heading);
    this.say(said);
  }

  /** Said politely and shown: cleared first, so the same words twice are still announced. */
  private say(text: () => string): void {
    this.status.replaceChildren();
    setTimeout(() => {
      if (!this.stopped) this.status.replaceChildren(live(text));
    }, 50);
  }

  private show(modal: Modal, first: HTMLElement): void {
    this.modal?.close();
    this.modal = modal;
    modal.open(this.el, first);
  }

  /** Read the list again; a failure keeps the rows already shown and says why. */
  private async refresh(): Promise<void> {
    const result = await listAccounts();
    if (this.stopped) return;
    this.loading.hidden = true;
    if (!result.ok) {
      this.outcome(result);
      this.problem.textContent = t('accounts.loadFailed', { reason: this.reason(result.code) });
      this.retry.hidden = false;
      return;
    }
    this.problem.textContent = '';
    this.retry.hidden = true;
    this.table.update(result.value);
    this.table.box.hidden = this.table.size === 0;
    this.none.hidden = this.table.size > 0;
  }

  /** The lines, their languages and topics: read when the view appears, or again when a form needs them. */
  private async readChoices(): Promise<Choices | null> {
    if (this.choices) return this.choices;
    const result = await getLines();
    if (!result.ok) {
      this.problem.textContent = t('accounts.linesFailed', { reason: this.reason(result.code) });
      return null;
    }
    this.choices = choicesFrom(result.value.lines);
    return this.choices;
  }

  /** null when it went through; a session that is gone goes back to the sign-in form. */
  private outcome(result: ApiResult<unknown>): SubmitOutcome {
    if (result.ok) return null;
    if (result.code === 'ERR_UNAUTHENTICATED' || result.code === 'ERR_SESSION_EXPIRED') this.deps.signedOut(result.code);
    return result.code;
  }

  private reason(code: ErrorCode | 'network'): string {
    return code === 'network' ? t('app.offline') : t(`errors.${code}`);
  }

  private lineName(id: string): string {
    return this.choices?.lines.find((l) => l.id === id)?.name ?? this.deps.lineName(id);
  }
}
