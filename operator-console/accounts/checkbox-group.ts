import { h, uid } from '../../browser-shared/dom.js';
import { live } from '../i18n.js';

export interface CheckboxOption {
  value: string;
  label(): string;
  /** The label's own language, when it is a language's name in that language. */
  lang?: string;
}

/**
 * A fieldset of checkboxes with a legend, and an error line the fieldset is described by
 * ("Choose at least one line.").
 */
export class CheckboxGroup {
  readonly el: HTMLFieldSetElement;
  private readonly boxes: HTMLInputElement[];
  private readonly error: HTMLElement;

  constructor(legend: () => string, name: string, options: readonly CheckboxOption[], checked: readonly string[]) {
    const errorId = uid(`${name}-error`);
    this.error = h('p', { id: errorId, class: 'field-error' });
    const items = options.map((o) => {
      const id = uid(`${name}-choice`);
      const box = h('input', { id, type: 'checkbox', name, value: o.value, checked: checked.includes(o.value) });
      box.addEventListener('change', () => this.setError(''));
      return { box, el: h('div', { class: 'choice' }, box, h('label', { for: id, lang: o.lang }, live(o.label))) };
    });
    this.boxes = items.map((i) => i.box);
    this.el = h('fieldset', { class: 'choice-group', 'aria-describedby': errorId },
      h('legend', {}, live(legend)),
      h('div', { class: 'choices' }, items.map((i) => i.el)),
      this.error,
    );
  }

  get values(): string[] {
    return this.boxes.filter((b) => b.checked).map((b) => b.value);
  }

  setError(text: string): void {
    this.error.textContent = text;
  }

  focus(): void {
    this.boxes[0]?.focus();
  }
}
