import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import { h } from '../../../browser-shared/dom.js';
import { t } from '../i18n.js';
import { contactsSection } from './contacts.js';

/**
 * A new chat could not be queued because the service is briefly out of order
 * (ERR_UNAVAILABLE to a request). Calm words and no blame, a button that asks again with
 * the same choices, and the line's numbers, which do not depend on this service. The button
 * comes before the numbers so that on a small phone it is on screen without scrolling.
 */
export function unavailableView(lines: LinesResponse, line: PublicLine, onRetry: () => void): HTMLElement {
  const context = line.family === 'perpetrator-prevention' ? 'perpetrator-prevention' : undefined;
  return h('section', { class: 'view unavailable' },
    h('h1', {}, t('unavailable.title')),
    h('p', {}, t('unavailable.text', { context })),
    h('button', { type: 'button', class: 'primary', onclick: onRetry }, t('unavailable.retry')),
    contactsSection(lines, line),
  );
}
