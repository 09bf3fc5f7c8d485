import { h } from '../../shared/dom.js';
import { t } from '../i18n.js';

export interface WaitingView {
  el: HTMLElement;
  update(position: number, estimate: number | null): void;
  setLink(up: boolean): void;
}

/** Queue position and estimate, announced politely as they change. */
export function waitingView(family: string, onLeave: () => void): WaitingView {
  const context = family === 'perpetrator-prevention' ? family : undefined;
  const position = h('p', { class: 'position' }, t('waiting.connecting'));
  const estimate = h('p', {});
  const link = h('p', { class: 'link-status', hidden: true }, t('app.reconnecting'));
  const el = h('section', { class: 'view waiting' },
    h('h1', {}, t('waiting.title')),
    h('div', { class: 'queue', 'aria-live': 'polite', 'aria-atomic': 'true' }, position, estimate, link),
    h('p', {}, t('waiting.text', { context })),
    h('button', { type: 'button', class: 'secondary', onclick: onLeave }, t('waiting.leave')),
  );
  return {
    el,
    update(pos, seconds) {
      position.textContent = t('waiting.position', { position: pos });
      estimate.textContent = estimateText(seconds);
    },
    setLink(up) {
      link.hidden = up;
    },
  };
}

function estimateText(seconds: number | null): string {
  if (seconds === null) return t('waiting.noEstimate');
  if (seconds < 60) return t('waiting.estimateSoon');
  return t('waiting.estimate', { count: Math.round(seconds / 60) });
}
