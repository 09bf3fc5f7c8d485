import { h } from '../../browser-shared/dom.js';
import { live, liveAttr } from '../i18n.js';

export interface Column<T> {
  /** The column header, in the interface language. */
  header(): string;
  /** What the cell says for this row (re-read on every update and language switch). */
  text(row: T): string;
  /** The row's header cell (`<th scope="row">`): one column per table. */
  rowHeader?: boolean;
  className?: string;
}

/** Headers over several columns (`<th scope="colgroup">`), in column order. */
export interface ColumnGroup {
  label(): string;
  span: number;
  /** Whether the stacked layout's cell labels start with the group's name ("Today: Answered"). */
  prefix?: boolean;
}

export interface LiveTableOptions<T> {
  caption(): string;
  columns: Array<Column<T>>;
  groups?: ColumnGroup[];
  /** Which row is which across updates. */
  key(row: T): string;
  /** Classes for a row from its figures (e.g. "over-target"). */
  rowClass?(row: T): string;
  /**
   * At narrow widths each row becomes a card, each cell labelled with its header: below
   * 48rem for a wide table, or only below 22.5rem ('narrow') for one of a few columns.
   */
  stack?: boolean | 'narrow';
  className?: string;
}

interface Row<T> {
  tr: HTMLTableRowElement;
  data: T;
  cells: Text[];
}

/**
 * A data table updated in place: a row stays the same element from one update to the next
 * and only the text that changed is written, so a screen reader's place, a selection and
 * the page's scroll survive the updates every 2 s. Every text follows the interface
 * language (live()), so a language switch needs no re-render either.
 */
export class LiveTable<T> {
  readonly el: HTMLTableElement;
  /**
   * The table in a box that scrolls sideways when the table is wider than the page (but
   * not stacked yet): focusable and named, so it can be scrolled from the keyboard.
   */
  readonly box: HTMLElement;
  private readonly body = h('tbody');
  private readonly rows = new Map<string, Row<T>>();

  constructor(private readonly options: LiveTableOptions<T>) {
    const { columns, groups } = options;
    const stack = options.stack === 'narrow' ? 'stack-narrow' : options.stack ? 'stack' : '';
    const classes = ['data-table', stack, options.className ?? ''].filter(Boolean).join(' ');
    const head = h('thead');
    if (groups) {
      head.appendChild(h('tr', {}, groups.map((g) => h('th', { scope: 'colgroup', colspan: g.span }, live(g.label)))));
    }
    head.appendChild(h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.className }, live(c.header)))));
    this.el = h('table', { class: classes },
      h('caption', {}, live(options.caption)),
      groups?.map((g) => h('colgroup', { span: g.span })),
      head,
      this.body,
    );
    this.box = liveAttr(h('div', { class: 'table-scroll', role: 'region', tabindex: 0 }, this.el), 'aria-label', options.caption);
  }

  get size(): number {
    return this.rows.size;
  }

  update(data: readonly T[]): void {
    const seen = new Set<string>();
    let before: ChildNode | null = this.body.firstChild;
    for (const item of data) {
      const key = this.options.key(item);
      seen.add(key);
      let row = this.rows.get(key);
      if (row) {
        row.data = item;
        row.cells.forEach((cell, i) => {
          const text = this.options.columns[i]?.text(item) ?? '';
          if (cell.data !== text) cell.data = text;
        });
      } else {
        row = this.createRow(item);
        this.rows.set(key, row);
      }
      const className = this.options.rowClass?.(item) ?? '';
      if (row.tr.className !== className) row.tr.className = className;
      // Keep the server's order; a row that is already in place is not touched.
      if (row.tr !== before) this.body.insertBefore(row.tr, before);
      before = row.tr.nextSibling;
    }
    for (const [key, row] of this.rows) {
      if (seen.has(key)) continue;
      row.tr.remove();
      this.rows.delete(key);
    }
  }

  private createRow(item: T): Row<T> {
    const row: Row<T> = { tr: h('tr'), data: item, cells: [] };
    const labels = this.stackLabels();
    this.options.columns.forEach((column, i) => {
      const text = live(() => column.text(row.data));
      row.cells.push(text);
      // In the stacked layout the header is not above the cell: a visible label says it,
      // hidden from assistive technology, which has the real headers.
      const label = this.options.stack && !column.rowHeader ? h('span', { class: 'cell-label', 'aria-hidden': 'true' }, live(labels[i] ?? (() => ''))) : null;
      const attrs = { class: column.className };
      row.tr.appendChild(column.rowHeader
        ? h('th', { ...attrs, scope: 'row' }, label, h('span', { class: 'cell-value' }, text))
        : h('td', attrs, label, h('span', { class: 'cell-value' }, text)));
    });
    return row;
  }

  /** Each column's label in the stacked layout: "Today: Answered". */
  private stackLabels(): Array<() => string> {
    const { columns, groups } = this.options;
    const groupOf: Array<ColumnGroup | undefined> = [];
    for (const g of groups ?? []) for (let i = 0; i < g.span; i += 1) groupOf.push(g);
    return columns.map((c, i) => {
      const g = groupOf[i];
      return g && g.prefix !== false ? () => `${g.label()}: ${c.header()}` : () => c.header();
    });
  }
}
