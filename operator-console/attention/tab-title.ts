import { t } from '../i18n.js';

/**
 * The tab's title counts the offers on screen, "(2) Quietline console", so an operator in
 * another tab sees one waiting; with none it is the plain title again. It follows the
 * interface language. Only a number: never a line, a topic or anything of a visitor's.
 */
export class TabTitle {
  private count = 0;
  private readonly observer = new MutationObserver(() => this.render());

  constructor() {
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  set(count: number): void {
    this.count = count;
    this.render();
  }

  /** Back to the plain title, for good (signed out). */
  stop(): void {
    this.observer.disconnect();
    this.count = 0;
    this.render();
  }

  private render(): void {
    const base = t('app.title');
    const title = this.count > 0 ? t('attention.tabTitle', { count: this.count, title: base }) : base;
    if (document.title !== title) document.title = title;
  }
}
