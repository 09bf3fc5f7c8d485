import { h, uid } from '../../browser-shared/dom.js';
import { live } from '../i18n.js';

/**
 * One native modal <dialog> at a time for the account actions: showModal() keeps focus
 * inside and makes the desk behind it inert, Escape closes it, and on closing, focus goes
 * where the action says — the button that opened it, or what replaced it once the list was
 * read again (the opener itself may be gone by then).
 */
export class Modal {
  readonly el: HTMLDialogElement;
  private returnTo: () => HTMLElement | null;

  constructor(title: () => string, content: (headingId: string) => Node, opener: HTMLElement | null) {
    const headingId = uid('account-dialog-heading');
    this.returnTo = () => (opener?.isConnected ? opener : null);
    this.el = h('dialog', { class: 'account-dialog', 'aria-labelledby': headingId },
      h('h2', { id: headingId }, live(title)),
      content(headingId),
    );
    this.el.addEventListener('close', () => {
      this.el.remove();
      this.returnTo()?.focus();
    });
  }

  /** Show it inside `host` (where it is removed from again on closing). */
  open(host: HTMLElement, first: HTMLElement): void {
    host.appendChild(this.el);
    this.el.showModal();
    first.focus();
  }

  get isOpen(): boolean {
    return this.el.open;
  }

  /** Close; `returnTo` (read after closing) says where focus goes instead of the opener. */
  close(returnTo?: () => HTMLElement | null): void {
    if (returnTo) this.returnTo = returnTo;
    if (this.el.open) this.el.close();
  }
}
