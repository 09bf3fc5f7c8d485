import type { Channel } from '../../protocol/operator-messages.js';
import type { TicketId } from '../../protocol/ids.js';
import { languageName, t, uiLanguage } from '../i18n.js';

export interface NotifiedOffer {
  ticket: TicketId;
  channel: Channel;
  /** The line's name as the desk shows it ("1712"). */
  lineName: string;
  language: string;
}

/**
 * A desktop notification for an offer that arrives while the console's tab is hidden, if
 * the operator allowed them. It says what kind of offer, the line and the language, and
 * nothing else: notifications show on the lock screen and stay in the system's history, so
 * no topic, no ticket id and never anything a visitor wrote. One per ticket (its tag), gone
 * when the offer is, and all gone once the console is looked at again.
 */
export class OfferNotifications {
  private readonly shown = new Map<TicketId, Notification>();
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.closeAll();
  };

  constructor(private readonly clicked: (ticket: TicketId) => void) {
    document.addEventListener('visibilitychange', this.onVisible);
  }

  /** `silent`: the console's own chime played already, so the system's sound would be a second one. */
  show(offer: NotifiedOffer, silent: boolean): void {
    if (document.visibilityState === 'visible' || !notificationsGranted()) return;
    try {
      const notification = new Notification(t(offer.channel === 'call' ? 'attention.notification.call' : 'attention.notification.chat'), {
        body: t('attention.notification.body', { line: offer.lineName, language: languageName(offer.language) }),
        tag: `quietline-offer-${offer.ticket}`,
        lang: uiLanguage(),
        silent,
      });
      notification.onclick = () => {
        window.focus();
        notification.close();
        this.clicked(offer.ticket);
      };
      this.shown.get(offer.ticket)?.close();
      this.shown.set(offer.ticket, notification);
    } catch {
      // Some browsers (Chrome on Android) only notify from a service worker: no notification.
    }
  }

  /** The offer was taken, declined or withdrawn. */
  close(ticket: TicketId): void {
    this.shown.get(ticket)?.close();
    this.shown.delete(ticket);
  }

  closeAll(): void {
    for (const notification of this.shown.values()) notification.close();
    this.shown.clear();
  }

  stop(): void {
    document.removeEventListener('visibilitychange', this.onVisible);
    this.closeAll();
  }
}

export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

function notificationsGranted(): boolean {
  return notificationsSupported() && Notification.permission === 'granted';
}
