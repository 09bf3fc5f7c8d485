import type { OperatorStatus } from '../../protocol/operator-messages.js';
import { h, replaceChildren, uid } from '../../browser-shared/dom.js';
import { OfferSound } from '../attention/offer-sound.js';
import { formatDate, live, t, UI_LANGUAGES, uiLanguage, type UiLanguage } from '../i18n.js';

export interface TopBar {
  el: HTMLElement;
  /** Signed in: show the operator's name and the desk controls; null hides them. */
  setOperator(name: string | null): void;
  setStatus(status: OperatorStatus | null): void;
  /** The certified identity this console signs with (name and expiry); null when none. */
  setIdentity(identity: { name: string; expires: number } | null): void;
  /** A new offer: the chime, unless the operator turned it off; true if it sounded. */
  chime(): boolean;
}

const AUTONYMS: Record<UiLanguage, string> = { en: 'English', nl: 'Nederlands', fr: 'Français', de: 'Deutsch' };

/**
 * Name, availability, the offer sound, interface language and sign-out. Availability is a
 * toggle button (aria-pressed) named "Available"; the visible status text says what the
 * server holds. The sound is a toggle too ("Offer sound", on until turned off), and the
 * page's first click or key press lets the browser play it (attention/offer-sound.ts).
 */
export function createTopBar(handlers: {
  onLanguage(lang: UiLanguage): void;
  onAvailable(available: boolean): void;
  onSignOut(): void;
}): TopBar {
  let status: OperatorStatus | null = null;
  const name = h('p', { class: 'operator-name' });
  const identity = h('p', { class: 'identity-text', hidden: true });
  const toggle = h('button', { type: 'button', class: 'toggle', 'aria-pressed': 'false', disabled: true,
    onclick: () => handlers.onAvailable(status !== 'available') }, live(() => t('desk.available')));
  const statusText = h('p', { class: 'status-text', role: 'status' });
  const sound = new OfferSound();
  sound.unlockOnGesture();
  const soundToggle = h('button', { type: 'button', class: 'toggle sound-toggle', 'aria-pressed': String(sound.enabled),
    onclick: () => {
      sound.setEnabled(!sound.enabled);
      soundToggle.setAttribute('aria-pressed', String(sound.enabled));
    } }, live(() => t('attention.sound')));
  const signOut = h('button', { type: 'button', class: 'secondary', onclick: () => handlers.onSignOut() }, live(() => t('desk.signOut')));
  const desk = h('div', { class: 'desk-controls', hidden: true }, name, identity, toggle, statusText, soundToggle, signOut);

  const langId = uid('ui-language');
  const select = h('select', { id: langId },
    UI_LANGUAGES.map((code) => h('option', { value: code, lang: code, selected: code === uiLanguage() }, AUTONYMS[code])),
  );
  select.addEventListener('change', () => handlers.onLanguage(select.value as UiLanguage));

  const renderStatus = () => {
    toggle.setAttribute('aria-pressed', String(status === 'available'));
    toggle.disabled = status === null;
    statusText.textContent = status ? t('desk.status', { status: t(`desk.statuses.${status}`) }) : '';
  };
  const el = h('header', { class: 'top-bar' },
    h('p', { class: 'brand' }, live(() => t('app.title'))),
    desk,
    h('div', { class: 'language' }, h('label', { for: langId }, live(() => t('app.language'))), select),
  );
  // Status text is composed from two keys, so re-render it on a language switch too.
  new MutationObserver(renderStatus).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

  return {
    el,
    setOperator(value) {
      desk.hidden = value === null;
      replaceChildren(name, value ?? '');
    },
    setStatus(value) {
      status = value;
      renderStatus();
    },
    setIdentity(value) {
      identity.hidden = value === null;
      replaceChildren(identity, value ? live(() => t('identity.badge', { name: value.name, date: formatDate(value.expires) })) : '');
    },
    chime: () => sound.play(),
  };
}
