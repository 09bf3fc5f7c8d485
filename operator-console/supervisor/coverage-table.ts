import type { CoverageFigures } from '../../protocol/supervisor-messages.js';
import { languageName, t } from '../i18n.js';
import { count } from './format.js';
import { LiveTable } from './live-table.js';

/**
 * Each line × language today: the minutes within opening hours when nobody who could answer
 * in that language was on duty, and the contacts that arrived then. A row with uncovered
 * minutes is marked in words too, like a queue over target.
 */
export function coverageTable(lineName: (id: string) => string): LiveTable<CoverageFigures> {
  const s = (key: string) => () => t(`supervisor.coverage.${key}`);
  return new LiveTable<CoverageFigures>({
    caption: s('caption'),
    className: 'coverage-table',
    stack: true,
    key: (c) => `${c.line}|${c.language}`,
    rowClass: (c) => (c.uncoveredMinutes > 0 ? 'uncovered' : ''),
    columns: [
      { header: s('line'), text: (c) => lineName(c.line), rowHeader: true },
      { header: s('language'), text: (c) => languageName(c.language) },
      { header: s('minutes'), text: (c) => count(c.uncoveredMinutes), className: 'num' },
      { header: s('contacts'), text: (c) => count(c.contactsUncovered), className: 'num' },
    ],
  });
}
