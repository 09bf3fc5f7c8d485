import { h } from '../browser-shared/dom.js';

/**
 * One assertive live region for things an operator must not miss (a new offer, an offer
 * gone). Cleared first so the same sentence twice is still announced twice.
 */
export function createAnnouncer(): { el: HTMLElement; say(text: string): void } {
  const el = h('div', { class: 'sr-only', 'aria-live': 'assertive', 'aria-atomic': 'true' });
  return {
    el,
    say(text) {
      el.textContent = '';
      setTimeout(() => {
        el.textContent = text;
      }, 50);
    },
  };
}
