import { PATHS, type StaffingResponse, type StaffingRow } from '../../protocol/http.js';
import { h } from '../../browser-shared/dom.js';
import { formatDuration, live, t, uiLanguage } from '../i18n.js';
import { clockTime, count, NONE, oneDecimal, upToOneDecimal } from './format.js';
import { LiveTable } from './live-table.js';
import { queueName } from './queue-table.js';
import { byShortfall, shortfall, STAFFING_FIRST_ROWS, staffingKey } from './staffing-rows.js';

/** The estimate covers whole past days: reading it again every 15 minutes is plenty. */
export const STAFFING_EVERY_MS = 15 * 60_000;
/** After a failed read, try again sooner than the next round. */
const RETRY_MS = 60_000;

type Loaded = { ok: true; value: StaffingResponse } | { ok: false; status: number | 'network' };

/** GET the staffing estimate with the session cookie (supervisors and admins only). */
export async function fetchStaffing(): Promise<Loaded> {
  try {
    const response = await fetch(PATHS.statsStaffing, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
    if (!response.ok) return { ok: false, status: response.status };
    return { ok: true, value: (await response.json()) as StaffingResponse };
  } catch {
    return { ok: false, status: 'network' };
  }
}

export interface StaffingDeps {
  lineName(id: string): string;
  load?: () => Promise<Loaded>;
}

/**
 * "Staffing estimate": per queue and hour of the week, the operators Erlang C says were
 * needed beside those on duty, from the server (GET PATHS.statsStaffing). Read when the view
 * first appears and every 15 minutes, never with the 2-second figures. An hour short of
 * operators says so in words ("⚠ Short by 2"), and those hours come first.
 */
export class StaffingSection {
  readonly el: HTMLElement;
  private readonly table: LiveTable<StaffingRow>;
  private readonly status = h('p', { class: 'staffing-status' });
  private readonly more = h('p', { class: 'staffing-more' });
  private readonly toggle: HTMLButtonElement;
  private readonly note: HTMLElement;
  private readonly load: () => Promise<Loaded>;
  private weeks = 4;
  private rows: StaffingRow[] = [];
  private all = false;
  private loadedAt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  /** Bumped on stop, so an answer that arrives afterwards is dropped. */
  private generation = 0;

  constructor(private readonly deps: StaffingDeps) {
    this.load = deps.load ?? fetchStaffing;
    const s = (key: string) => () => t(`supervisor.staffing.${key}`);
    this.table = new LiveTable<StaffingRow>({
      caption: () => t('supervisor.staffing.caption', { count: this.weeks }),
      className: 'staffing-table',
      stack: true,
      key: staffingKey,
      rowClass: (r) => (shortfall(r) > 0 ? 'short' : ''),
      columns: [
        { header: s('queue'), text: (r) => queueName(r, (id) => this.deps.lineName(id)), rowHeader: true },
        { header: s('hour'), text: hourOfWeek, className: 'when' },
        { header: s('arrivals'), text: (r) => oneDecimal(r.arrivals), className: 'num' },
        { header: s('handle'), text: (r) => formatDuration(Math.round(r.handleSeconds)), className: 'num' },
        { header: s('needed'), text: (r) => (r.needed === null ? NONE : count(r.needed)), className: 'num' },
        { header: s('staffed'), text: (r) => oneDecimal(r.staffed), className: 'num' },
        { header: s('state'), text: state, className: 'state' },
      ],
    });
    this.toggle = h('button', { type: 'button', class: 'link-button', 'aria-expanded': 'false', onclick: () => this.showAll(!this.all) });
    this.note = h('p', { class: 'staffing-note' }, live(s('note')));
    this.el = h('section', { class: 'staffing', 'aria-labelledby': 'staffing-heading' },
      h('h3', { id: 'staffing-heading' }, live(s('heading'))),
      this.status,
      this.table.box,
      this.more,
      this.toggle,
      this.note,
    );
    this.render('loading');
  }

  /** Read the estimate now and every 15 minutes; again calls change nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.refresh();
  }

  stop(): void {
    this.running = false;
    this.generation += 1;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    const generation = this.generation;
    this.timer = null;
    const result = await this.load();
    if (!this.running || generation !== this.generation) return;
    if (result.ok) {
      this.weeks = result.value.weeks;
      this.rows = byShortfall(result.value.rows);
      this.loadedAt = Date.now();
      this.render(this.rows.length === 0 ? 'empty' : 'rows');
    } else if (result.status === 403) {
      // Only supervisors see this view; if the role changed meanwhile, stop asking.
      this.rows = [];
      this.render('forbidden');
      this.running = false;
      return;
    } else {
      this.render(this.rows.length > 0 ? 'stale' : 'failed');
    }
    this.timer = setTimeout(() => void this.refresh(), result.ok ? STAFFING_EVERY_MS : RETRY_MS);
  }

  private showAll(all: boolean): void {
    this.all = all;
    this.render('rows');
    this.toggle.focus();
  }

  private render(state: 'loading' | 'empty' | 'rows' | 'stale' | 'failed' | 'forbidden'): void {
    const hasRows = this.rows.length > 0 && (state === 'rows' || state === 'stale');
    const message =
      state === 'loading' ? () => t('supervisor.staffing.loading')
      : state === 'empty' ? () => t('supervisor.staffing.empty')
      : state === 'failed' ? () => t('supervisor.staffing.failed')
      : state === 'forbidden' ? () => t('supervisor.staffing.forbidden')
      : state === 'stale' ? () => t('supervisor.staffing.stale', { time: clockTime(this.loadedAt) })
      : null;
    if (state !== 'stale' || this.status.dataset.state !== 'stale') {
      this.status.replaceChildren(message ? live(message) : '');
      this.status.dataset.state = state;
    }
    this.status.hidden = message === null;
    if (state === 'stale') return;
    const many = this.rows.length > STAFFING_FIRST_ROWS;
    this.table.update(many && !this.all ? this.rows.slice(0, STAFFING_FIRST_ROWS) : this.rows);
    this.table.box.hidden = !hasRows;
    this.note.hidden = !hasRows;
    this.toggle.hidden = !hasRows || !many;
    this.more.hidden = !hasRows || !many || this.all;
    if (many) {
      const total = this.rows.length;
      this.more.replaceChildren(live(() => t('supervisor.staffing.first', { shown: count(STAFFING_FIRST_ROWS), total: count(total) })));
      this.toggle.replaceChildren(live(() => (this.all ? t('supervisor.staffing.showFewer', { shown: count(STAFFING_FIRST_ROWS) }) : t('supervisor.staffing.showAll', { total: count(total) }))));
      this.toggle.setAttribute('aria-expanded', String(this.all));
    }
  }
}

/** "Monday 11:00–12:00": the weekday in the interface language, the hour in the lines' time zone. */
function hourOfWeek(r: StaffingRow): string {
  // 1 January 2024 was a Monday: day `weekday` of that month is that ISO weekday.
  const day = new Intl.DateTimeFormat(uiLanguage(), { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, r.weekday));
  const pad = (n: number) => `${String(n).padStart(2, '0')}:00`;
  return `${day.charAt(0).toLocaleUpperCase(uiLanguage()) + day.slice(1)} ${pad(r.hour)}–${pad(r.hour + 1)}`;
}

/** The marker in words, so a short hour is not told by colour alone. */
function state(r: StaffingRow): string {
  const short = shortfall(r);
  if (short === Infinity) return t('supervisor.staffing.beyond');
  return short > 0 ? t('supervisor.staffing.short', { shortfall: upToOneDecimal(short) }) : t('supervisor.staffing.enough');
}
