import type { CannedReply } from '../../protocol/operator-messages.js';
import { h, uid } from '../../browser-shared/dom.js';
import { languageName, live, liveAttr, t } from '../i18n.js';

export interface CannedPickerOptions {
  /** This chat's line and language: its replies come first, then the line's other languages. */
  line: string;
  language: string;
  replies: readonly CannedReply[];
  /** The operator chose a reply: its text goes into the composer, to edit before sending. */
  choose(text: string): void;
  /** Closed without a choice (Escape, Close, Alt+R again): back to the composer. */
  dismissed(): void;
}

interface Shown {
  reply: CannedReply;
  el: HTMLElement;
}

/** The shortcut, by key position: Option+R on a Mac types "®", so `key` would not do. */
export function isPickerShortcut(event: KeyboardEvent): boolean {
  return event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === 'KeyR';
}

/**
 * The canned replies of one chat: a button, and a small non-modal dialog with a filter box
 * (a combobox whose active option is `aria-activedescendant`, so focus stays in the box
 * while Up/Down move) over a listbox grouped by language. Nothing is ever sent from here:
 * the chosen text goes into the composer.
 */
export class CannedPicker {
  readonly button: HTMLButtonElement;
  readonly el: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly listbox: HTMLElement;
  private readonly count: HTMLElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly ordered: CannedReply[];
  private shown: Shown[] = [];
  private active = -1;

  constructor(private readonly options: CannedPickerOptions) {
    const popupId = uid('canned');
    const headingId = uid('canned-heading');
    const filterId = uid('canned-filter');
    const listId = uid('canned-list');
    const hintId = uid('canned-hint');
    const ofLine = options.replies.filter((r) => r.line === options.line);
    this.ordered = [
      ...ofLine.filter((r) => r.language === options.language),
      ...ofLine.filter((r) => r.language !== options.language),
    ];

    this.button = h('button', {
      type: 'button',
      class: 'secondary canned-toggle',
      'aria-haspopup': 'dialog',
      'aria-expanded': 'false',
      'aria-controls': popupId,
      'aria-keyshortcuts': 'Alt+R',
      onclick: () => (this.isOpen ? this.dismiss() : this.open()),
    }, live(() => t('panel.canned.button')));
    liveAttr(this.button, 'title', () => t('panel.canned.shortcut'));

    this.filter = h('input', {
      id: filterId,
      type: 'text',
      role: 'combobox',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-autocomplete': 'list',
      'aria-expanded': 'true',
      'aria-controls': listId,
      'aria-describedby': hintId,
    });
    this.listbox = h('div', { id: listId, role: 'listbox', class: 'canned-list' });
    liveAttr(this.listbox, 'aria-label', () => t('panel.canned.heading'));
    this.count = h('p', { class: 'canned-count', role: 'status' });
    this.closeButton = h('button', { type: 'button', class: 'link-button', onclick: () => this.dismiss() }, live(() => t('panel.canned.close')));

    const body = this.ordered.length
      ? [
          h('label', { for: filterId }, live(() => t('panel.canned.filter'))),
          h('p', { id: hintId, class: 'canned-hint' }, live(() => t('panel.canned.hint'))),
          this.filter,
          this.count,
          this.listbox,
        ]
      : [h('p', { class: 'canned-empty' }, live(() => t('panel.canned.none')))];
    this.el = h('div', { id: popupId, class: 'canned-picker', role: 'dialog', 'aria-labelledby': headingId, hidden: true },
      h('div', { class: 'canned-head' }, h('h4', { id: headingId }, live(() => t('panel.canned.heading'))), this.closeButton),
      ...body,
    );

    this.filter.addEventListener('input', () => this.render());
    this.filter.addEventListener('keydown', (event) => this.filterKey(event));
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' || isPickerShortcut(event)) {
        event.preventDefault();
        event.stopPropagation();
        this.dismiss();
      }
    });
    // A click on an option must not take the focus out of the filter box first.
    this.listbox.addEventListener('mousedown', (event) => event.preventDefault());
    this.listbox.addEventListener('click', (event) => {
      const option = (event.target as Element).closest<HTMLElement>('[role="option"]');
      const index = option ? this.shown.findIndex((s) => s.el === option) : -1;
      if (index >= 0) this.pick(index);
    });
    // Tabbing away closes it; a tap on its own text (no focus target) does not.
    this.el.addEventListener('focusout', (event) => {
      const to = event.relatedTarget as Node | null;
      if (to && !this.el.contains(to) && to !== this.button) this.close();
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(): void {
    if (this.button.disabled) return;
    this.filter.value = '';
    this.render();
    this.el.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    (this.ordered.length ? this.filter : this.closeButton).focus();
  }

  /** Hide it; the caller decides where the focus goes. */
  close(): void {
    this.el.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }

  setDisabled(disabled: boolean): void {
    this.button.disabled = disabled;
    if (disabled) this.close();
  }

  private dismiss(): void {
    this.close();
    this.options.dismissed();
  }

  private pick(index: number): void {
    const chosen = this.shown[index];
    if (!chosen) return;
    this.close();
    this.options.choose(chosen.reply.text);
  }

  private filterKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!this.shown.length) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.setActive((this.active + step + this.shown.length) % this.shown.length);
    } else if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault();
      if (this.active >= 0) this.pick(this.active);
    }
  }

  /** The replies that match every word typed, in their order, grouped by language. */
  private render(): void {
    const words = fold(this.filter.value).split(/\s+/).filter(Boolean);
    const matches = this.ordered.filter((r) => {
      const haystack = fold(`${r.title} ${r.text}`);
      return words.every((w) => haystack.includes(w));
    });
    const own = matches.filter((r) => r.language === this.options.language);
    const others = matches.filter((r) => r.language !== this.options.language);
    this.shown = [];
    this.listbox.replaceChildren(
      ...(own.length ? [this.group(() => t('panel.canned.thisChat', { language: languageName(this.options.language) }), own, false)] : []),
      ...(others.length ? [this.group(() => t('panel.canned.otherLanguages'), others, true)] : []),
    );
    this.listbox.hidden = this.shown.length === 0;
    const query = this.filter.value.trim();
    this.count.replaceChildren(
      live(() => (this.shown.length || !query ? t('panel.canned.count', { count: matches.length }) : t('panel.canned.noMatch', { query }))),
    );
    this.setActive(this.shown.length ? 0 : -1);
  }

  private group(label: () => string, replies: CannedReply[], tagLanguage: boolean): HTMLElement {
    const labelId = uid('canned-group');
    return h('div', { role: 'group', class: 'canned-group', 'aria-labelledby': labelId },
      h('div', { role: 'presentation', id: labelId, class: 'canned-group-label' }, live(label)),
      ...replies.map((reply) => this.option(reply, tagLanguage)),
    );
  }

  /** Named by its title, described by its text, so a screen reader need not read it all. */
  private option(reply: CannedReply, tagLanguage: boolean): HTMLElement {
    const titleId = uid('canned-title');
    const textId = uid('canned-text');
    const el = h('div', { role: 'option', id: uid('canned-option'), class: 'canned-option', 'aria-selected': 'false', 'aria-labelledby': titleId, 'aria-describedby': textId },
      h('span', { class: 'canned-title-row' },
        h('span', { id: titleId, class: 'canned-title', lang: reply.language }, reply.title),
        tagLanguage ? h('span', { class: 'canned-language' }, live(() => languageName(reply.language))) : null,
      ),
      h('span', { id: textId, class: 'canned-text', lang: reply.language }, reply.text),
    );
    this.shown.push({ reply, el });
    return el;
  }

  private setActive(index: number): void {
    this.shown[this.active]?.el.setAttribute('aria-selected', 'false');
    this.active = index;
    const now = this.shown[index];
    if (!now) {
      this.filter.removeAttribute('aria-activedescendant');
      return;
    }
    now.el.setAttribute('aria-selected', 'true');
    this.filter.setAttribute('aria-activedescendant', now.el.id);
    now.el.scrollIntoView({ block: 'nearest' });
  }
}

/** Case and accents do not matter when filtering ("veilig" finds "Veilig", "ecoute" "Écoute"). */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
