import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import type { EndedBy } from '../../../protocol/visitor-messages.js';
import { h } from '../../../browser-shared/dom.js';
import { t } from '../i18n.js';
import { contactsSection } from './contacts.js';

const contextOf = (line: PublicLine) => (line.family === 'perpetrator-prevention' ? 'perpetrator-prevention' : undefined);

/** The chat is over and forgotten. Say who ended it, where else to go, how to start again. */
export function endedView(lines: LinesResponse, line: PublicLine, by: EndedBy, onRestart: () => void): HTMLElement {
  return h('section', { class: 'view ended' },
    h('h1', {}, t(`ended.by.${by}`)),
    h('p', {}, t('ended.text', { context: contextOf(line) })),
    h('p', { class: 'note' }, t('ended.forgotten')),
    contactsSection(lines, line),
    h('button', { type: 'button', class: 'primary', onclick: onRestart }, t('ended.restart')),
  );
}

/**
 * Below a conversation that has just ended, in place of the message box: who ended it,
 * that the conversation stays readable (the counsellor's advice and numbers) until the
 * widget is closed or quick exit is pressed, and a clear "Clear now".
 */
export function endedPanel(
  lines: LinesResponse,
  line: PublicLine,
  by: EndedBy,
  handlers: { onClear(): void; onRestart(): void },
): HTMLElement {
  return h('section', { class: 'ended-panel', 'aria-labelledby': 'ended-heading' },
    h('h2', { id: 'ended-heading', tabindex: -1 }, t(`ended.by.${by}`)),
    h('p', {}, t('ended.text', { context: contextOf(line) })),
    h('p', { class: 'note' }, t('ended.kept')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', onclick: handlers.onClear }, t('ended.clearNow')),
      h('button', { type: 'button', class: 'secondary', onclick: handlers.onRestart }, t('ended.restart')),
    ),
    contactsSection(lines, line),
  );
}
