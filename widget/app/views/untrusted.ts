import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import { h } from '../../../browser-shared/dom.js';
import { t } from '../i18n.js';
import { contactsSection } from './contacts.js';

/**
 * The person answering could not be confirmed as one of the helpline's own (their key had
 * no valid certificate), so the chat was stopped before anything reached them. Calm words,
 * no blame, and the ways that do not go through this relay: the line's phone and 112.
 */
export function untrustedView(lines: LinesResponse, line: PublicLine, onRestart: () => void): HTMLElement {
  const context = line.family === 'perpetrator-prevention' ? 'perpetrator-prevention' : undefined;
  return h('section', { class: 'view untrusted' },
    h('h1', {}, t('untrusted.title')),
    h('p', {}, t('untrusted.text', { context })),
    h('p', { class: 'note' }, t('untrusted.forgotten')),
    contactsSection(lines, line, { emergency: true }),
    h('button', { type: 'button', class: 'secondary', onclick: onRestart }, t('ended.restart')),
  );
}
