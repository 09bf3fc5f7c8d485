import { h, uid } from '../../browser-shared/dom.js';
import { formatDuration, labelFor, languageName, live, t } from '../i18n.js';
import type { CallState } from '../voice/voice-call.js';
import { WrapUpForm } from './wrap-up-form.js';

export interface CallInfo {
  chat: string;
  lineName: string;
  language: string;
  topic: string;
  waited: number;
  wrapUps: string[];
}

export interface CallHandlers {
  mute(on: boolean): void;
  /** Disconnect the audio; the panel goes on to the wrap-up itself. */
  hangUp(): void;
  end(wrapUp: string): void;
}

/** How the call came to an end, as the operator reads it. */
export type CallOver = 'hungUp' | 'callerHungUp' | 'lost' | 'elsewhere' | 'ended' | 'error';

/** The words for each state of a call still going (call.state.*); an ended one says how (call.over.*). */
const STATE_KEYS: Record<Exclude<CallState, 'ended' | 'error'>, string> = {
  connecting: 'call.state.connecting',
  ringing: 'call.state.ringing',
  connected: 'call.state.connected',
  simulated: 'call.state.simulated',
  reconnecting: 'call.state.reconnecting',
};

/**
 * A phone call on the operator's desk: who (line, language, topic), its state, the time in
 * the call, Mute and Hang up; once the call is over, the wrap-up it must end with. The
 * ticking time is no live region; the desk announces changes of state.
 */
export class CallPanel {
  readonly el: HTMLElement;
  private readonly hangUpButton: HTMLButtonElement;
  private readonly muteButton: HTMLButtonElement;
  private readonly controls: HTMLElement;
  private readonly stateText: HTMLElement;
  private readonly time: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly simulatedNote: HTMLElement;
  private readonly wrapUp: WrapUpForm;
  private state: CallState | null = null;
  private over: CallOver | null = null;
  private since: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(info: CallInfo, private readonly handlers: CallHandlers) {
    const headingId = uid('call');
    const channelId = uid('call-channel');
    this.stateText = h('dd', { class: 'call-state' });
    this.time = h('dd', { class: 'call-time' }, '00:00');
    this.notice = h('p', { class: 'panel-notice' });
    // The demo's voice: make plain that nobody can be heard.
    this.simulatedNote = h('p', { class: 'meta', hidden: true }, live(() => t('call.simulatedNote')));
    this.muteButton = h('button', { type: 'button', class: 'toggle', 'aria-pressed': 'false', onclick: () => this.toggleMute() },
      live(() => t('call.mute')));
    this.hangUpButton = h('button', { type: 'button', class: 'primary hang-up', onclick: () => this.hangUp() }, live(() => t('call.hangUp')));
    this.controls = h('div', { class: 'actions' }, this.muteButton, this.hangUpButton);
    this.wrapUp = new WrapUpForm(info.wrapUps, { button: 'call.close', required: 'call.wrapUpRequired' }, (wrapUp) => handlers.end(wrapUp));
    this.wrapUp.el.hidden = true;

    const row = (label: string, value: HTMLElement) => h('div', { class: 'row' }, h('dt', {}, live(() => t(label))), value);
    this.el = h('section', { class: 'panel call-panel', 'aria-labelledby': `${channelId} ${headingId}`, 'data-chat': info.chat },
      h('p', { id: channelId, class: 'channel' }, live(() => t('channel.call'))),
      h('h3', { id: headingId }, info.lineName, ' · ', live(() => languageName(info.language)), ' · ', live(() => labelFor('topics', info.topic))),
      h('p', { class: 'meta' }, live(() => t('call.waited', { time: formatDuration(info.waited) }))),
      h('dl', { class: 'facts' }, row('call.status', this.stateText), row('call.time', this.time)),
      this.simulatedNote,
      this.notice,
      this.controls,
      this.wrapUp.el,
    );
  }

  /** Where focus goes on this call: Hang up while it lasts, then the wrap-up. */
  focus(): void {
    (this.over ? this.wrapUp.select : this.hangUpButton).focus();
  }

  /**
   * What the voice connection says. Returns the words to announce, or null when nothing
   * changed (or the call is already over: the device's own "ended" after we hung up).
   */
  setState(state: CallState, problem?: string): string | null {
    if (this.over || state === this.state) return null;
    this.state = state;
    if (state === 'ended' || state === 'error') {
      this.finish(state, problem);
      return this.announcement();
    }
    this.stateText.replaceChildren(live(() => t(STATE_KEYS[state])));
    if (state === 'simulated') this.simulatedNote.hidden = false;
    if ((state === 'connected' || state === 'simulated') && this.since === null) this.startTimer();
    return t(STATE_KEYS[state]);
  }

  /** The call ended on the caller's side or the system's: on to the wrap-up. */
  ended(how: 'callerHungUp' | 'lost' | 'elsewhere'): string {
    // After the operator hung up, the caller's leg ending too is no news: it still says "You hung up".
    if (this.over) return '';
    this.finish(how);
    return this.announcement();
  }

  /** A problem from the server (the end was refused, say): show it, allow another try. */
  showError(text: string): void {
    this.notice.textContent = text;
    this.wrapUp.allowRetry();
  }

  dispose(): void {
    this.stopTimer();
    this.el.remove();
  }

  private hangUp(): void {
    this.handlers.hangUp();
    this.finish('hungUp');
  }

  private toggleMute(): void {
    const on = this.muteButton.getAttribute('aria-pressed') !== 'true';
    this.muteButton.setAttribute('aria-pressed', String(on));
    this.handlers.mute(on);
  }

  /** The call is over, however: stop the clock, take away the controls, ask the wrap-up. */
  private finish(how: CallOver, problem?: string): void {
    const hadFocus = this.el.contains(document.activeElement) || document.activeElement === document.body;
    this.over = how;
    this.stopTimer();
    this.stateText.replaceChildren(live(() => t(`call.over.${how}`)));
    this.notice.replaceChildren(...(problem ? [live(() => t(problem)), ' '] : []), live(() => t('call.wrapUpPrompt')));
    this.controls.hidden = true;
    this.wrapUp.el.hidden = false;
    if (hadFocus) this.wrapUp.select.focus();
  }

  private announcement(): string {
    return `${this.stateText.textContent ?? ''} ${this.notice.textContent ?? ''}`.trim();
  }

  private startTimer(): void {
    this.since = performance.now();
    this.timer = setInterval(() => {
      if (this.since !== null) this.time.textContent = clock((performance.now() - this.since) / 1000);
    }, 1000);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** "mm:ss", minutes going past 59 on a long call. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
