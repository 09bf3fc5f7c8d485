import type { LinesResponse, PublicLine } from '../../../protocol/http.js';
import { h } from '../../../browser-shared/dom.js';
import { t, uiLanguage } from '../i18n.js';
import { languageName } from '../../../browser-shared/language-names.js';
import { breathingExercise } from './breathing.js';
import { contactsSection } from './contacts.js';

/** When the server does not say (an older one), alternatives appear past this wait. */
const DEFAULT_ALTERNATIVES_AFTER_S = 300;

export interface QueueState {
  position: number;
  /** Seconds, or null when nobody is staffed to estimate from. */
  estimate: number | null;
  /** Someone who can take this line, language and topic is on duty now. */
  available: boolean;
}

export interface WaitingView {
  el: HTMLElement;
  update(state: QueueState): void;
  setLink(up: boolean): void;
}

/**
 * Queue position and estimate, announced politely as they change — and the truth when
 * nobody can answer (no one on duty for this language) or the wait grows past the line's
 * threshold: then the line's numbers and 112, with the choice to keep waiting. Below, calm
 * things to do while waiting, folded so the queue stays in view on a small phone.
 */
export function waitingView(lines: LinesResponse, line: PublicLine, language: string, onLeave: () => void): WaitingView {
  const context = line.family === 'perpetrator-prevention' ? line.family : undefined;
  const position = h('p', { class: 'position' }, t('waiting.connecting'));
  const estimate = h('p', {});
  const link = h('p', { class: 'link-status', hidden: true }, t('app.reconnecting'));
  const alertTitle = h('h2', { class: 'alert-title' });
  const alertText = h('p', {});
  // Once the visitor chose to keep waiting, the same reason does not pop up again.
  let dismissed: 'nobody' | 'long' | null = null;
  let shown: 'nobody' | 'long' | null = null;
  const keepWaiting = h('button', { type: 'button', class: 'secondary', onclick: () => {
    dismissed = shown;
    alert.hidden = true;
    position.focus();
  } }, t('waiting.keepWaiting'));
  const alert = h('section', { class: 'wait-alert', role: 'status', hidden: true },
    alertTitle, alertText, contactsSection(lines, line, { emergency: true }), keepWaiting,
  );
  position.tabIndex = -1;

  const el = h('section', { class: 'view waiting' },
    h('h1', {}, t('waiting.title')),
    h('div', { class: 'queue', 'aria-live': 'polite', 'aria-atomic': 'true' }, position, estimate, link),
    alert,
    h('p', {}, t('waiting.text', { context })),
    h('button', { type: 'button', class: 'secondary leave', onclick: onLeave }, t('waiting.leave')),
    h('details', { class: 'room' }, h('summary', {}, t('waiting.calmHeading')), h('p', {}, t('waiting.calmText', { context }))),
    h('details', { class: 'room' }, h('summary', {}, t('waiting.breathingHeading')), breathingExercise()),
    h('details', { class: 'room' }, h('summary', {}, t('waiting.safetyHeading')),
      h('ul', { class: 'safety' },
        h('li', {}, t('waiting.safetyDanger', { context, number: lines.emergency })),
        h('li', {}, t('waiting.safetyExit')),
        h('li', {}, t('waiting.safetyTrace')),
      ),
    ),
  );

  const showAlert = (reason: 'nobody' | 'long' | null) => {
    shown = reason;
    alert.hidden = reason === null || reason === dismissed;
    if (reason === 'nobody') {
      alertTitle.textContent = t('waiting.nobodyTitle');
      alertText.textContent = t('waiting.nobodyText', { context, language: languageName(language, uiLanguage()) });
    } else if (reason === 'long') {
      alertTitle.textContent = t('waiting.longWaitTitle');
      alertText.textContent = t('waiting.longWaitText');
    }
  };

  return {
    el,
    update(state) {
      document.documentElement.dataset.queued = 'true';
      position.textContent = t('waiting.position', { position: state.position });
      estimate.textContent = state.available ? estimateText(state.estimate) : '';
      const long = state.estimate !== null && state.estimate > (line.alternativesAfterSeconds ?? DEFAULT_ALTERNATIVES_AFTER_S);
      showAlert(!state.available ? 'nobody' : long ? 'long' : null);
    },
    setLink(up) {
      link.hidden = up;
    },
  };
}

function estimateText(seconds: number | null): string {
  if (seconds === null) return t('waiting.noEstimate');
  if (seconds < 60) return t('waiting.estimateSoon');
  return t('waiting.estimate', { count: Math.round(seconds / 60) });
}
