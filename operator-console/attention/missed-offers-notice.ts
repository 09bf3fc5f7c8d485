import { h } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';

/**
 * The server set the operator away because offers in a row ran out unanswered (`status`
 * with reason 'missed-offers'): say so plainly, once, as an alert, until they dismiss it or
 * become available again. Away stays their status until they choose otherwise.
 */
export class MissedOffersNotice {
  readonly el: HTMLElement;
  private readonly text = h('p', { role: 'alert' });

  constructor() {
    this.el = h('div', { class: 'missed-notice', hidden: true },
      this.text,
      h('button', { type: 'button', class: 'secondary', onclick: () => this.clear() }, live(() => t('attention.dismiss'))),
    );
  }

  /** `missed`: how many offers in a row, when the server says. */
  show(missed: number | undefined): void {
    this.el.hidden = false;
    this.text.replaceChildren(live(() => (missed ? t('attention.missedOffers', { count: missed }) : t('attention.missedOffersUncounted'))));
  }

  clear(): void {
    const hadFocus = this.el.contains(document.activeElement);
    this.el.hidden = true;
    this.text.replaceChildren();
    if (hadFocus) document.getElementById('offers-heading')?.focus();
  }
}
