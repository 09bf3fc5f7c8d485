import { h } from '../../browser-shared/dom.js';
import { live, uiLanguage } from '../i18n.js';

/**
 * "14:05" in the interface language, always on a 24-hour clock: over a seven-hour shift the
 * operator reads the log by its times ("they went quiet at 23:40"), and the visitor's clock
 * is not theirs to know, so it is the console's own local time when a line appeared.
 */
export function formatClock(at: Date): string {
  return new Intl.DateTimeFormat(uiLanguage(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** A `<time>` for one line of the log; its text follows a switch of language. */
export function messageTime(at: Date): HTMLTimeElement {
  return h('time', { class: 'msg-time', datetime: at.toISOString() }, live(() => formatClock(at)));
}
