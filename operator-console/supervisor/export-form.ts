import { h, uid } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';
import { isoDay } from './format.js';
import { PATHS } from '../../protocol/http.js';


/** "From" and "To" dates and a download link built from them (first of the month → today). */
export class ExportForm {
  readonly el: HTMLElement;
  private readonly from: HTMLInputElement;
  private readonly to: HTMLInputElement;
  private readonly link: HTMLAnchorElement;
  private readonly problem: HTMLElement;
  private today = isoDay(new Date());
  /** Until someone picks a date, the range follows the server's "today". */
  private touched = false;

  constructor() {
    const fromId = uid('export-from');
    const toId = uid('export-to');
    const problemId = uid('export-problem');
    const onInput = () => {
      this.touched = true;
      this.refresh();
    };
    this.from = h('input', { id: fromId, type: 'date', name: 'from', required: true, 'aria-describedby': problemId, oninput: onInput });
    this.to = h('input', { id: toId, type: 'date', name: 'to', required: true, 'aria-describedby': problemId, oninput: onInput });
    this.problem = h('p', { id: problemId, class: 'field-error', 'aria-live': 'polite', 'data-key': '' });
    this.link = h('a', { class: 'button-link', download: '' }, live(() => t('supervisor.export.download')));
    this.el = h('section', { class: 'export', 'aria-labelledby': 'export-heading' },
      h('h3', { id: 'export-heading' }, live(() => t('supervisor.export.heading'))),
      h('p', { class: 'export-intro' }, live(() => t('supervisor.export.intro'))),
      h('div', { class: 'export-fields' },
        h('div', { class: 'field' }, h('label', { for: fromId }, live(() => t('supervisor.export.from'))), this.from),
        h('div', { class: 'field' }, h('label', { for: toId }, live(() => t('supervisor.export.to'))), this.to),
        this.link,
      ),
      this.problem,
    );
    this.setDefaults();
  }

  /** The server's today ("YYYY-MM-DD", the deployment's time zone). */
  setToday(day: string): void {
    if (day === this.today) return;
    this.today = day;
    if (!this.touched) this.setDefaults();
    else this.refresh();
  }

  private setDefaults(): void {
    this.from.value = `${this.today.slice(0, 8)}01`;
    this.to.value = this.today;
    this.refresh();
  }

  private refresh(): void {
    this.from.max = this.today;
    this.to.max = this.today;
    const from = this.from.value;
    const to = this.to.value;
    // Date inputs give "" or a valid YYYY-MM-DD, so strings compare as dates.
    const problem = !from || !to ? 'missing' : from > to ? 'order' : '';
    if (problem !== this.problem.dataset.key) {
      this.problem.replaceChildren(problem ? live(() => t(`supervisor.export.${problem}`)) : '');
      this.problem.dataset.key = problem;
    }
    if (problem) {
      // No address, no download: a link without href is not a link (the reason is beside it).
      this.link.removeAttribute('href');
      return;
    }
    const query = new URLSearchParams({ from, to });
    // The server's CSV of the anonymous aggregates (a session cookie; 403 for an operator).
    this.link.href = `${PATHS.statsExport}?${query.toString()}`;
    this.link.setAttribute('download', `quietline-${from}-${to}.csv`);
  }
}
