import { h, replaceChildren, telHref } from '../../shared/dom.js';
import { t } from '../i18n.js';

export interface Shell {
  root: HTMLElement;
  /**
   * Swap the main content and move focus to its heading, or to `focus`; `false` leaves
   * focus alone (the first view after loading: nothing to move focus away from).
   */
  show(view: HTMLElement, focus?: HTMLElement | null | false): void;
  setTitle(title: string): void;
  setEmergency(number: string): void;
  /** Re-apply translated labels after the interface language changed. */
  relabel(): void;
}

/**
 * The frame every view sits in: a header with Quick exit (always there, first in the tab
 * order after the title), the main region, and the emergency number at the bottom.
 */
export function createShell(options: { framed: boolean; onQuickExit(): void; onMinimise(): void }): Shell {
  let title = '';
  let emergency = '112';
  const titleEl = h('p', { class: 'bar-title' });
  const quickExit = h('button', { type: 'button', class: 'quick-exit', onclick: () => options.onQuickExit() });
  const minimise = options.framed
    ? h('button', { type: 'button', class: 'minimise', onclick: () => options.onMinimise() })
    : null;
  const main = h('main', { id: 'main', class: 'main' });
  const footer = h('footer', { class: 'emergency' });

  const relabel = () => {
    titleEl.textContent = title || t('app.title');
    quickExit.textContent = t('app.quickExit');
    quickExit.title = t('app.quickExitHint');
    if (minimise) minimise.textContent = t('app.minimise');
    replaceChildren(
      footer,
      t('app.emergencyBefore'),
      h('a', { href: telHref(emergency) }, t('app.call', { number: emergency })),
    );
  };
  relabel();

  const root = h('div', { class: 'app' }, h('header', { class: 'bar' }, titleEl, h('div', { class: 'bar-actions' }, minimise, quickExit)), main, footer);

  return {
    root,
    show(view, focus) {
      replaceChildren(main, view);
      main.scrollTop = 0;
      if (focus === false) return;
      const target = focus ?? view.querySelector<HTMLElement>('h1');
      if (target) {
        if (target.tagName === 'H1') target.tabIndex = -1;
        target.focus({ preventScroll: false });
      }
    },
    setTitle(value) {
      title = value;
      relabel();
    },
    setEmergency(value) {
      emergency = value;
      relabel();
    },
    relabel,
  };
}
