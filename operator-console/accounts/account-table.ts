import type { OperatorId } from '../../protocol/ids.js';
import type { OperatorProfile } from '../../protocol/operator-messages.js';
import { h } from '../../browser-shared/dom.js';
import { labelFor, languageName, live, liveAttr, t, uiLanguage } from '../i18n.js';
import { roleName } from './choices.js';

export type AccountAction = 'edit' | 'password' | 'remove';

export interface AccountTableDeps {
  lineName(id: string): string;
  /** An action's button was pressed on this account's row. */
  act(action: AccountAction, account: OperatorProfile, button: HTMLButtonElement): void;
}

interface Column {
  key: string;
  text(a: OperatorProfile): string;
  className?: string;
}

interface Row {
  account: OperatorProfile;
  cells: Text[];
  tr: HTMLTableRowElement;
  buttons: Partial<Record<AccountAction, HTMLButtonElement>>;
}

/**
 * Every account, one row each with its actions. A row stays the same element while its
 * account exists, so a button that had focus keeps it when the list is read again after a
 * change. The signed-in admin's own row has no Remove (the server refuses it too). At
 * narrow widths each row becomes a card, as in the supervisor's tables (supervisor.css).
 */
export class AccountTable {
  readonly el: HTMLTableElement;
  /** The table in a focusable, named box that scrolls sideways when the page is too narrow. */
  readonly box: HTMLElement;
  private readonly body = h('tbody');
  private readonly rows = new Map<OperatorId, Row>();
  private readonly columns: Column[];

  constructor(private readonly deps: AccountTableDeps, private readonly ownId: () => OperatorId) {
    const list = (items: string[]) => items.join(', ');
    this.columns = [
      { key: 'name', text: (a) => (a.id === ownId() ? t('accounts.you', { name: a.name }) : a.name) },
      { key: 'id', text: (a) => a.id, className: 'account-id' },
      { key: 'role', text: (a) => roleName(a.role) },
      { key: 'lines', text: (a) => list(a.lines.map((id) => deps.lineName(id))) },
      { key: 'languages', text: (a) => list(a.languages.map(languageName)) },
      { key: 'topics', text: (a) => list(a.topics.map((id) => labelFor('topics', id))) },
      { key: 'capacity', text: (a) => new Intl.NumberFormat(uiLanguage()).format(a.capacity), className: 'num' },
    ];
    const header = (key: string) => () => t(`accounts.columns.${key}`);
    this.el = h('table', { class: 'data-table stack account-table' },
      h('caption', {}, live(() => t('accounts.caption'))),
      h('thead', {}, h('tr', {},
        this.columns.map((c) => h('th', { scope: 'col', class: c.className }, live(header(c.key)))),
        h('th', { scope: 'col' }, live(header('actions'))))),
      this.body,
    );
    this.box = liveAttr(h('div', { class: 'table-scroll', role: 'region', tabindex: 0 }, this.el), 'aria-label', () => t('accounts.caption'));
  }

  get size(): number {
    return this.rows.size;
  }

  /** The accounts in the server's order; rows of accounts still there are updated in place. */
  update(accounts: readonly OperatorProfile[]): void {
    const seen = new Set<OperatorId>();
    let before: ChildNode | null = this.body.firstChild;
    for (const account of accounts) {
      seen.add(account.id);
      let row = this.rows.get(account.id);
      if (row) {
        row.account = account;
        row.cells.forEach((cell, i) => {
          const text = this.columns[i]?.text(account) ?? '';
          if (cell.data !== text) cell.data = text;
        });
        for (const [action, button] of Object.entries(row.buttons)) button.setAttribute('aria-label', actionLabel(action, account));
      } else {
        row = this.createRow(account);
        this.rows.set(account.id, row);
      }
      if (row.tr !== before) this.body.insertBefore(row.tr, before);
      before = row.tr.nextSibling;
    }
    for (const [id, row] of this.rows) {
      if (seen.has(id)) continue;
      row.tr.remove();
      this.rows.delete(id);
    }
  }

  /** An action's button on an account's row, if both are there. */
  button(id: OperatorId, action: AccountAction): HTMLButtonElement | null {
    return this.rows.get(id)?.buttons[action] ?? null;
  }

  private createRow(account: OperatorProfile): Row {
    const row: Row = { account, cells: [], tr: h('tr'), buttons: {} };
    this.columns.forEach((column, i) => {
      const text = live(() => column.text(row.account));
      row.cells.push(text);
      // Stacked, the header is not above the cell: a visible label says it, hidden from
      // assistive technology, which has the real headers.
      const label = i === 0 ? null : h('span', { class: 'cell-label', 'aria-hidden': 'true' }, live(() => t(`accounts.columns.${column.key}`)));
      const content = [label, h('span', { class: 'cell-value' }, text)];
      row.tr.appendChild(i === 0 ? h('th', { scope: 'row' }, content) : h('td', { class: column.className }, content));
    });
    const actions: AccountAction[] = account.id === this.ownId() ? ['edit', 'password'] : ['edit', 'password', 'remove'];
    const cell = h('td', { class: 'actions-cell' });
    for (const action of actions) {
      // The visible word stays short; the name says whose account ("Edit Sam").
      const button = h('button', { type: 'button', class: action === 'remove' ? 'danger-outline' : 'secondary',
        onclick: () => this.deps.act(action, row.account, button) }, live(() => t(`accounts.actions.${action}`)));
      liveAttr(button, 'aria-label', () => actionLabel(action, row.account));
      row.buttons[action] = button;
      cell.appendChild(button);
    }
    row.tr.appendChild(cell);
    return row;
  }
}

function actionLabel(action: string, account: OperatorProfile): string {
  return t(`accounts.actions.${action}For`, { name: account.name });
}
