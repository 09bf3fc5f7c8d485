import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import type { ErrorCode } from '../../../protocol/errors.js';
import { h } from '../../../browser-shared/dom.js';
import { t } from '../i18n.js';
import { contactsSection } from './contacts.js';

/**
 * A chat that could not start or could not go on (too many chats from this network, an
 * unknown topic, a failure on our side): what happened in plain words, a way back, and
 * always the line's numbers and 112, so a refusal is never a dead end.
 */
export function refusedView(lines: LinesResponse, line: PublicLine, code: ErrorCode, onBack: () => void): HTMLElement {
  return h('section', { class: 'view refused', 'data-code': code },
    h('h1', {}, t('failed.title')),
    h('p', {}, t(`errors.${code}`)),
    h('button', { type: 'button', class: 'primary', onclick: onBack }, t('failed.back')),
    contactsSection(lines, line, { emergency: true }),
  );
}
