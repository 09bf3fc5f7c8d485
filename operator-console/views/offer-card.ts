import type { Channel } from '../../protocol/operator-messages.js';
import { h, uid } from '../../browser-shared/dom.js';
import { formatDuration, labelFor, languageName, live, t } from '../i18n.js';

export interface OfferInfo {
  ticket: string;
  channel: Channel;
  lineName: string;
  language: string;
  topic: string;
  /** Seconds waited when the offer arrived. */
  waited: number;
  /** Seconds the offer had left when it arrived. */
  expiresIn: number;
}

/** In its last seconds an offer looks and reads differently, so it is not missed by a second. */
export const EXPIRING_SECONDS = 10;

/**
 * A chat or a phone call waiting for this operator: which of the two (in words, first),
 * who (line, language, topic), how long they have waited
 * (counting up) and how long the offer stays here (counting down). The counters are not
 * live regions: a screen reader hears the offer once, through the announcer, and once more
 * when it enters its last seconds (`expiring`), which the card also shows in words ("⚠
 * Expiring"), bold type and a heavier edge, not by colour alone. Accept and Decline stay.
 */
export class OfferCard {
  readonly el: HTMLElement;
  readonly channel: Channel;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly accept: HTMLButtonElement;
  private readonly decline: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly hint: HTMLElement;
  private busy = false;
  private locked = false;
  private expiring = false;

  constructor(info: OfferInfo, handlers: { accept(): void; decline(): void; expiring?(): void }) {
    this.channel = info.channel;
    const arrived = performance.now();
    const headingId = uid('offer');
    const hintId = uid('offer-hint');
    const waited = h('dd', {});
    const time = h('span', { class: 'time' });
    const mark = h('strong', { class: 'expiring-mark', hidden: true }, live(() => t('offer.expiringMark')), ' ');
    const remaining = h('dd', { class: 'remaining' }, mark, time);
    this.status = h('p', { class: 'offer-status' });
    // Visible whenever Accept is locked for want of the operator's identity key.
    this.hint = h('p', { id: hintId, class: 'offer-hint', hidden: true }, live(() => t('offer.needsIdentity')));
    this.accept = h('button', { type: 'button', class: 'primary', 'aria-describedby': hintId, onclick: () => handlers.accept() },
      live(() => t('offer.accept')));
    this.decline = h('button', { type: 'button', class: 'secondary', onclick: () => handlers.decline() }, live(() => t('offer.decline')));

    const row = (label: () => string, value: HTMLElement | string) =>
      h('div', { class: 'row' }, h('dt', {}, live(label)), typeof value === 'string' ? h('dd', {}, value) : value);

    this.el = h('article', { class: 'offer', 'aria-labelledby': headingId, 'data-ticket': info.ticket, 'data-channel': info.channel },
      h('h3', { id: headingId }, live(() => t(info.channel === 'call' ? 'offer.callTitle' : 'offer.title', { line: info.lineName }))),
      h('dl', { class: 'facts' },
        row(() => t('offer.channel'), h('dd', { class: 'channel' }, live(() => t(`channel.${info.channel}`)))),
        row(() => t('offer.line'), info.lineName),
        row(() => t('offer.language'), h('dd', {}, live(() => languageName(info.language)))),
        row(() => t('offer.topic'), h('dd', {}, live(() => labelFor('topics', info.topic)))),
        row(() => t('offer.waited'), waited),
        row(() => t('offer.expiresIn'), remaining),
      ),
      this.status,
      this.hint,
      h('div', { class: 'actions' }, this.accept, this.decline),
    );

    let first = true;
    const tick = () => {
      const elapsed = (performance.now() - arrived) / 1000;
      waited.textContent = formatDuration(info.waited + elapsed);
      const left = info.expiresIn - elapsed;
      time.textContent = formatDuration(left);
      if (left <= EXPIRING_SECONDS && !this.expiring && !this.busy) {
        this.expiring = true;
        this.el.dataset.expiring = 'true';
        mark.hidden = false;
        // An offer that arrives in its last seconds was just announced: not twice at once.
        if (!first) handlers.expiring?.();
      }
      if (left <= 0 && !this.busy) this.setBusy(t('offer.expiring'));
      first = false;
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }

  /** Accepted (or expiring): no second click while we wait for the server. */
  setBusy(text: string): void {
    this.busy = true;
    this.accept.disabled = true;
    this.decline.disabled = true;
    this.status.textContent = text;
  }

  /** Accept needs the identity key first (Decline never does). */
  setLocked(locked: boolean): void {
    this.locked = locked;
    this.hint.hidden = !locked;
    this.accept.disabled = this.busy || locked;
  }

  /** The accept did not go through (the server refused it): the offer can be taken again. */
  setIdle(text: string): void {
    this.busy = false;
    this.accept.disabled = this.locked;
    this.decline.disabled = false;
    this.status.textContent = text;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.el.remove();
  }
}
