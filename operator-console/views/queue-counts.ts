import type { WaitingQueue } from '../../protocol/operator-messages.js';
import { h } from '../../browser-shared/dom.js';
import { formatDuration, labelFor, languageName, live, t } from '../i18n.js';

export interface QueueCountsDeps {
  lineName(id: string): string;
  /** An offer is on screen: it was announced already, so a first person waiting is not. */
  offerShown(): boolean;
}

/**
 * How many wait in each queue the operator serves, from the server's `waiting` messages:
 * always on show, also while they are away or at capacity, when no offer comes to say so.
 * Only queues someone waits in are listed ("1712 · Dutch · Violence — 2 waiting, longest
 * 3:12"); with nobody anywhere, one line says so. The total is in the heading. A polite
 * region of its own says when someone starts waiting where nobody did, never the refreshes.
 */
export class QueueCounts {
  readonly el: HTMLElement;
  private readonly total = h('span', { class: 'count' });
  private readonly list = h('ul', { class: 'queue-counts' });
  private readonly none = h('p', { class: 'empty' }, live(() => t('queues.none')));
  private readonly polite = h('p', { class: 'sr-only', role: 'status', 'aria-atomic': 'true' });
  /** The last total; null before the first message. */
  private waiting: number | null = null;

  constructor(private readonly deps: QueueCountsDeps) {
    this.el = h('section', { class: 'queues', 'aria-labelledby': 'queues-heading', hidden: true },
      h('h2', { id: 'queues-heading', tabindex: -1 }, live(() => t('queues.heading')), ' ', this.total),
      this.list,
      this.none,
      this.polite,
    );
  }

  update(queues: WaitingQueue[]): void {
    const waiting = queues.reduce((sum, q) => sum + q.waiting, 0);
    // Calls are named only where a line takes them: otherwise every queue is a chat.
    const takesCalls = new Set(queues.filter((q) => q.channel === 'call').map((q) => q.line));
    const busy = queues.filter((q) => q.waiting > 0).sort((a, b) => b.longestWaitSeconds - a.longestWaitSeconds);
    this.list.replaceChildren(...busy.map((q) => this.row(q, takesCalls.has(q.line))));
    this.list.hidden = busy.length === 0;
    this.none.hidden = busy.length > 0;
    this.total.replaceChildren(live(() => t('queues.total', { count: waiting })));
    this.el.hidden = false;
    const before = this.waiting;
    this.waiting = waiting;
    if (before === 0 && waiting > 0 && !this.deps.offerShown()) this.polite.textContent = t('queues.someoneWaiting', { count: waiting });
    else if (waiting === 0) this.polite.textContent = '';
  }

  /** Signed out: nothing from the last shift stays on show. */
  clear(): void {
    this.waiting = null;
    this.list.replaceChildren();
    this.polite.textContent = '';
    this.el.hidden = true;
  }

  private row(q: WaitingQueue, named: boolean): HTMLElement {
    const name = () => [
      this.deps.lineName(q.line),
      languageName(q.language),
      labelFor('topics', q.topic),
      ...(named ? [t(`channel.${q.channel}`)] : []),
    ].join(' · ');
    return h('li', { 'data-line': q.line, 'data-channel': q.channel },
      h('span', { class: 'queue-name' }, live(name)),
      h('span', { class: 'queue-sep' }, ' — '),
      h('span', { class: 'queue-figures' }, live(() => t('queues.row', { count: q.waiting, time: formatDuration(q.longestWaitSeconds) }))),
    );
  }
}
