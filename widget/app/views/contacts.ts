import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import { h, telHref } from '../../../browser-shared/dom.js';
import { numberIsolate, t, tWith } from '../i18n.js';

/**
 * Other ways to get help: the line's own phone, then its configured alternatives (other
 * lines by name and number, phone numbers, web pages), and with `emergency` the emergency
 * number too. The server only lists alternatives of the line's own family, so victim
 * support and perpetrator prevention never point at each other.
 */
export function contactsSection(lines: LinesResponse, line: PublicLine, options: { emergency?: boolean } = {}): HTMLElement | null {
  const items: HTMLElement[] = [];
  // A line often lists its own number among its alternatives: show each number once.
  const numbers = new Set<string>();
  const phone = (name: string, number: string) => {
    const key = number.replace(/[^\d+]/g, '');
    if (numbers.has(key)) return;
    numbers.add(key);
    items.push(phoneItem(name, number));
  };
  if (line.phone) phone(line.name, line.phone);
  for (const alt of line.alternatives) {
    if (alt.kind === 'phone') phone(alt.name, alt.number);
    else if (alt.kind === 'web') items.push(h('li', {}, h('a', { href: alt.url, target: '_blank', rel: 'noopener noreferrer' }, alt.name)));
    else {
      const other = lines.lines.find((l) => l.id === alt.line);
      if (other?.phone) phone(other.name, other.phone);
      else if (other) items.push(h('li', {}, other.name));
    }
  }
  if (options.emergency && !numbers.has(lines.emergency)) {
    items.push(h('li', {}, h('span', { class: 'contact-name' }, t('contacts.emergency')), ' ', callLink(lines.emergency)));
  }
  if (items.length === 0) return null;
  return h('section', { class: 'contacts', 'aria-labelledby': 'contacts-heading' },
    h('h2', { id: 'contacts-heading' }, t('contacts.heading')),
    h('ul', { class: 'contact-list' }, items),
  );
}

function phoneItem(name: string, number: string): HTMLElement {
  // Lines such as 1712 or 108 are named after their number: say it once.
  const digits = (s: string) => s.replace(/[^\d+]/g, '');
  if (digits(name) === digits(number)) {
    return h('li', {}, callLink(number));
  }
  return h('li', {}, h('span', { class: 'contact-name' }, name), ' ', h('a', { href: telHref(number), class: 'phone', dir: 'ltr' }, number));
}

/** "Call 112", with the number kept left to right. */
function callLink(number: string): HTMLElement {
  return h('a', { href: telHref(number), class: 'phone' }, tWith('app.call', 'number', numberIsolate(number)));
}
