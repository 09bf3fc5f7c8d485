import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import type { EndedBy } from '../../../protocol/visitor-messages.js';
import { h } from '../../shared/dom.js';
import { t } from '../i18n.js';
import { contactsSection } from './contacts.js';

/** The chat is over and forgotten. Say who ended it, where else to go, how to start again. */
export function endedView(lines: LinesResponse, line: PublicLine, by: EndedBy, onRestart: () => void): HTMLElement {
  const context = line.family === 'perpetrator-prevention' ? 'perpetrator-prevention' : undefined;
  return h('section', { class: 'view ended' },
    h('h1', {}, t(`ended.by.${by}`)),
    h('p', {}, t('ended.text', { context })),
    h('p', { class: 'note' }, t('ended.forgotten')),
    contactsSection(lines, line),
    h('button', { type: 'button', class: 'primary', onclick: onRestart }, t('ended.restart')),
  );
}
