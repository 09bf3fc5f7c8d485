import type { QueueFigures, SupervisorMessage } from '../../protocol/supervisor-messages.js';
import { h } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';
import { coverageTable } from './coverage-table.js';
import { DayCurve } from './day-curve.js';
import { ExportForm } from './export-form.js';
import { clockTime } from './format.js';
import { operatorTable } from './operator-table.js';
import { queueKey, queueName, queueTable } from './queue-table.js';
import { StaffingSection } from './staffing-section.js';

export interface SupervisorViewDeps {
  lineName(id: string): string;
}

/**
 * The supervisor's live view (supervisor and admin roles only): every queue, every
 * operator and today's curve, redrawn in place from each `supervisor` message (every 2 s),
 * the staffing estimate (read every 15 minutes) and the CSV export. Only what matters is
 * announced — a queue going over its target or back — never the two-second refresh itself.
 */
export class SupervisorView {
  readonly el: HTMLElement;
  private readonly asOf = live(() => (this.at ? t('supervisor.asOf', { time: clockTime(this.at, true) }) : t('supervisor.waiting')));
  private readonly summary = h('p', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
  private readonly noQueues = h('p', { class: 'empty' }, live(() => t('supervisor.queues.none')));
  private readonly noOperators = h('p', { class: 'empty' }, live(() => t('supervisor.operators.none')));
  private readonly queues;
  private readonly operators = operatorTable();
  private readonly coverage;
  private readonly noCoverage = h('p', { class: 'empty' }, live(() => t('supervisor.coverage.none')));
  private readonly curve = new DayCurve();
  private readonly exportForm = new ExportForm();
  private readonly staffing: StaffingSection;
  private at = 0;
  /** Queues over target at the last message; null before the first one. */
  private over: Set<string> | null = null;

  constructor(private readonly deps: SupervisorViewDeps) {
    this.queues = queueTable((id) => deps.lineName(id));
    this.coverage = coverageTable((id) => deps.lineName(id));
    this.staffing = new StaffingSection({ lineName: (id) => deps.lineName(id) });
    this.el = h('section', { class: 'supervision', 'aria-labelledby': 'supervision-heading', hidden: true },
      h('h2', { id: 'supervision-heading', tabindex: -1 }, live(() => t('supervisor.title'))),
      h('p', { class: 'as-of' }, this.asOf),
      this.summary,
      this.queues.box,
      this.noQueues,
      this.operators.box,
      this.noOperators,
      this.coverage.box,
      this.noCoverage,
      this.curve.el,
      this.staffing.el,
      this.exportForm.el,
    );
    this.refreshEmpty();
  }

  /** Shown for the supervisor and admin roles (the welcome says which), hidden otherwise. */
  setShown(shown: boolean): void {
    this.el.hidden = !shown;
    // The staffing estimate is read when the view first appears, then every 15 minutes.
    if (shown) this.staffing.start();
    else this.staffing.stop();
  }

  update(m: SupervisorMessage): void {
    // Only supervisors' consoles are sent figures; a hidden view draws nothing (no chart chunk).
    if (this.el.hidden) return;
    this.at = m.at;
    this.asOf.data = t('supervisor.asOf', { time: clockTime(m.at, true) });
    this.queues.update(m.queues);
    this.operators.update(m.operators);
    this.coverage.update(m.coverage);
    this.refreshEmpty();
    this.curve.update(m.curve);
    this.exportForm.setToday(m.day);
    this.announce(m.queues);
  }

  stop(): void {
    this.curve.stop();
    this.staffing.stop();
  }

  /** Say which queues went over target, or back within it, since the last message. */
  private announce(queues: readonly QueueFigures[]): void {
    const over = new Set(queues.filter((q) => q.overTarget).map(queueKey));
    const before = this.over;
    this.over = over;
    const name = (q: QueueFigures) => queueName(q, (id) => this.deps.lineName(id));
    const wentOver = queues.filter((q) => q.overTarget && !before?.has(queueKey(q))).map(name);
    // A queue that disappeared from the list is not "back within target".
    const cameBack = before ? queues.filter((q) => !q.overTarget && before.has(queueKey(q))).map(name) : [];
    const parts = [
      wentOver.length ? t('supervisor.announce.over', { queues: wentOver.join('; '), count: wentOver.length }) : '',
      cameBack.length ? t('supervisor.announce.back', { queues: cameBack.join('; '), count: cameBack.length }) : '',
    ].filter(Boolean);
    if (parts.length === 0) return;
    // Cleared first, so the same sentence as last time is still announced.
    this.summary.textContent = '';
    setTimeout(() => {
      this.summary.textContent = parts.join(' ');
    }, 50);
  }

  private refreshEmpty(): void {
    this.noQueues.hidden = this.queues.size > 0;
    this.queues.box.hidden = this.queues.size === 0;
    this.noOperators.hidden = this.operators.size > 0;
    this.operators.box.hidden = this.operators.size === 0;
    this.noCoverage.hidden = this.coverage.size > 0;
    this.coverage.box.hidden = this.coverage.size === 0;
  }
}
