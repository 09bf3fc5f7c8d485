import { h } from '../../../browser-shared/dom.js';
import { t } from '../i18n.js';

/** One breath in or out: slow enough to calm, as most guided exercises pace it. */
const PHASE_MS = 4_000;

/**
 * A breathing exercise for the wait: a circle that grows and shrinks with "Breathe in" /
 * "Breathe out". It moves only after Start and stops on Stop (WCAG 2.2.2); with reduced
 * motion the circle stays still and only the words change. Nothing is announced each
 * breath: a screen reader user reads the words when they want to.
 */
export function breathingExercise(): HTMLElement {
  const circle = h('div', { class: 'breath-circle', 'aria-hidden': 'true' });
  const cue = h('p', { class: 'breath-cue' });
  const toggle = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false' });
  let timer: ReturnType<typeof setInterval> | null = null;
  let inhale = true;

  const render = () => {
    const running = timer !== null;
    toggle.textContent = running ? t('waiting.breathingStop') : t('waiting.breathingStart');
    toggle.setAttribute('aria-pressed', String(running));
    cue.textContent = running ? t(inhale ? 'waiting.breatheIn' : 'waiting.breatheOut') : '';
    circle.dataset.phase = running ? (inhale ? 'in' : 'out') : 'rest';
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
    render();
  };
  toggle.addEventListener('click', () => {
    if (timer) return stop();
    inhale = true;
    timer = setInterval(() => {
      // The view was replaced (someone answered): stop quietly.
      if (!toggle.isConnected) return stop();
      inhale = !inhale;
      render();
    }, PHASE_MS);
    render();
  });
  render();

  return h('div', { class: 'breathing' },
    h('p', {}, t('waiting.breathingIntro')),
    h('div', { class: 'breath-stage' }, circle, cue),
    toggle,
  );
}
