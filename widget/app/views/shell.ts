import { h, replaceChildren, telHref, uid } from '../../../browser-shared/dom.js';
import { numberIsolate, t, tWith, UI_LANGUAGES, uiLanguage, type UiLanguage } from '../i18n.js';
import { languageAutonym } from '../../../browser-shared/language-names.js';

export interface Shell {
  root: HTMLElement;
  /**
   * Swap the main content and move focus to its heading, or to `focus`; `false` leaves
   * focus alone (the first view after loading: nothing to move focus away from).
   * The view's name (its second class) goes to `<html data-view>` for tests and the bench.
   */
  show(view: HTMLElement, focus?: HTMLElement | null | false): void;
  setTitle(title: string): void;
  setEmergency(number: string): void;
  /** The interface language can be switched only while no chat is on screen. */
  setLanguageSwitch(enabled: boolean): void;
  /** Re-apply translated labels after the interface language changed. */
  relabel(): void;
}

export interface ShellOptions {
  framed: boolean;
  onQuickExit(): void;
  onMinimise(): void;
  onLanguage(lang: UiLanguage): void;
}

/**
 * The frame every view sits in: a header with Minimise and Quick exit (always there), the
 * interface language below it (while no chat is on screen), the main region, and the
 * emergency number at the bottom.
 */
export function createShell(options: ShellOptions): Shell {
  let title = '';
  let emergency = '112';
  const titleEl = h('p', { class: 'bar-title' });
  const quickExit = h('button', { type: 'button', class: 'quick-exit', onclick: () => options.onQuickExit() });
  const minimise = options.framed
    ? h('button', { type: 'button', class: 'minimise', onclick: () => options.onMinimise() })
    : null;
  const languageId = uid('ui-language');
  const languageLabel = h('label', { for: languageId });
  // Each language in its own name and script, so anyone finds theirs.
  const language = h('select', { id: languageId, class: 'ui-language' },
    UI_LANGUAGES.map((code) => h('option', { value: code, lang: code }, languageAutonym(code))),
  );
  language.addEventListener('change', () => options.onLanguage(language.value as UiLanguage));
  const languageField = h('div', { class: 'language-field' }, languageLabel, language);
  const main = h('main', { id: 'main', class: 'main' });
  const footer = h('footer', { class: 'emergency' });

  const relabel = () => {
    titleEl.textContent = title || t('app.title');
    quickExit.textContent = t('app.quickExit');
    quickExit.title = t('app.quickExitHint');
    if (minimise) minimise.textContent = t('app.minimise');
    languageLabel.textContent = t('app.uiLanguage');
    language.value = uiLanguage();
    replaceChildren(
      footer,
      t('app.emergencyBefore'),
      h('a', { href: telHref(emergency), class: 'emergency-call' }, tWith('app.call', 'number', numberIsolate(emergency))),
    );
  };
  relabel();

  const root = h('div', { class: 'app' },
    h('header', { class: 'bar' }, titleEl, h('div', { class: 'bar-actions' }, minimise, quickExit)),
    languageField,
    main,
    footer,
  );

  return {
    root,
    show(view, focus) {
      replaceChildren(main, view);
      document.documentElement.dataset.view = view.classList[1] ?? '';
      delete document.documentElement.dataset.queued;
      main.scrollTop = 0;
      if (focus === false) return;
      const target = focus ?? view.querySelector<HTMLElement>('h1');
      if (target) {
        if (target.tagName === 'H1') target.tabIndex = -1;
        target.focus({ preventScroll: false });
      }
    },
    setTitle(value) {
      title = value;
      relabel();
    },
    setEmergency(value) {
      emergency = value;
      relabel();
    },
    setLanguageSwitch(enabled) {
      languageField.hidden = !enabled;
    },
    relabel,
  };
}
