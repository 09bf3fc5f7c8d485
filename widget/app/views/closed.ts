import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import { h } from '../../../browser-shared/dom.js';
import { t, uiLanguage } from '../i18n.js';
import { formatHours } from '../opening-hours.js';
import { contactsSection } from './contacts.js';

/** The chat is closed: when it opens, where else to turn. No queue, nothing requested. */
export function closedView(lines: LinesResponse, line: PublicLine): HTMLElement {
  const rows = formatHours(line.hours, uiLanguage());
  return h('section', { class: 'view closed' },
    h('h1', {}, t('closed.title')),
    h('p', {}, t('closed.text', { context: line.family === 'perpetrator-prevention' ? 'perpetrator-prevention' : undefined })),
    h('section', { 'aria-labelledby': 'hours-heading' },
      h('h2', { id: 'hours-heading' }, t('closed.hoursHeading')),
      rows.length
        ? h('dl', { class: 'hours' }, rows.map((r) => [h('dt', {}, r.days), h('dd', {}, r.times)]))
        : h('p', {}, t('closed.noHours')),
      h('p', { class: 'note' }, t('closed.timezone', { timezone: line.timezone })),
    ),
    contactsSection(lines, line),
  );
}
