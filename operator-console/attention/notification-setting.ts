import { h } from '../../browser-shared/dom.js';
import { live, t } from '../i18n.js';
import { notificationsSupported } from './offer-notifications.js';

/**
 * Whether offers reach the desktop while the tab is hidden, in one line: a button to allow
 * it while the browser has not asked yet, else what the browser answered, in plain words
 * (blocked says where to change it). Nothing at all where the browser has no notifications.
 */
export function notificationSetting(): HTMLElement {
  const el = h('div', { class: 'notify-setting', hidden: true });
  if (!notificationsSupported()) return el;
  const state = h('p', { class: 'notify-state', role: 'status' });
  const allow = h('button', { type: 'button', class: 'secondary', onclick: () => void ask() }, live(() => t('attention.allowNotifications')));
  el.append(allow, state);

  // The answer to our request counts: a dismissed prompt may leave `permission` at 'default'.
  const render = (permission: NotificationPermission = Notification.permission) => {
    allow.hidden = permission !== 'default';
    state.replaceChildren(live(() => t(`attention.notifications.${permission}`)));
    el.hidden = false;
  };
  const ask = async () => {
    allow.disabled = true;
    let answer: NotificationPermission = Notification.permission;
    try {
      answer = await Notification.requestPermission();
    } catch {
      // Refused to ask (no gesture, an embedded frame): the state below stays as it was.
    }
    allow.disabled = false;
    render(answer);
  };
  render();
  // Changed in the browser's site settings meanwhile.
  void navigator.permissions?.query({ name: 'notifications' }).then((status) => {
    status.addEventListener('change', () => render());
  }).catch(() => undefined);
  return el;
}
