import type { OperatorFigures } from '../../protocol/supervisor-messages.js';
import { t } from '../i18n.js';
import { count, span } from './format.js';
import { LiveTable } from './live-table.js';

/** Everyone on the lines: status and for how long, load ("2 of 3 (1 call)") and offers missed today. */
export function operatorTable(): LiveTable<OperatorFigures> {
  const s = (key: string) => () => t(`supervisor.operators.${key}`);
  return new LiveTable<OperatorFigures>({
    caption: s('caption'),
    className: 'operator-table',
    stack: true,
    key: (o) => o.id,
    columns: [
      { header: s('name'), text: (o) => o.name, rowHeader: true },
      { header: s('status'), text: (o) => t(`supervisor.operators.statuses.${o.status}`) },
      { header: s('inStatus'), text: (o) => span(o.inStatusSeconds), className: 'num' },
      { header: s('load'), text: load, className: 'num' },
      { header: s('missed'), text: (o) => count(o.offersMissedToday), className: 'num' },
    ],
  });
}

function load(o: OperatorFigures): string {
  const base = t('supervisor.operators.loadOf', { active: o.active, capacity: o.capacity });
  return o.calls > 0 ? t('supervisor.operators.loadCalls', { load: base, count: o.calls }) : base;
}
