import { h } from '../../../browser-shared/dom.js';

/** A heading, a sentence and maybe one action: unknown line, failed load, old version. */
export function noticeView(title: string, text: string, action?: { label: string; run(): void }): HTMLElement {
  return h('section', { class: 'view notice' },
    h('h1', {}, title),
    h('p', {}, text),
    action ? h('button', { type: 'button', class: 'primary', onclick: () => action.run() }, action.label) : null,
  );
}
