import { CLOSE_CODES } from '../protocol/close-codes.js';
import type { ErrorCode } from '../protocol/errors.js';
import { PATHS, VERSION_PARAM } from '../protocol/http.js';
import type { ChatId } from '../protocol/ids.js';
import {
  serverToOperatorSchema,
  type CannedReply,
  type OperatorToServer,
  type ServerToOperator,
} from '../protocol/operator-messages.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { h } from '../browser-shared/dom.js';
import { DropNotice } from '../browser-shared/drop-notice.js';
import { ReconnectingSocket } from '../browser-shared/reconnecting-socket.js';
import { AccountsView } from './accounts/accounts-view.js';
import { MissedOffersNotice } from './attention/missed-offers-notice.js';
import { notificationSetting } from './attention/notification-setting.js';
import { OfferNotifications } from './attention/offer-notifications.js';
import { TabTitle } from './attention/tab-title.js';
import { getLines, getSession } from './api.js';
import { ChatLink } from './chat-link.js';
import { formatDate, live, t } from './i18n.js';
import { OperatorIdentity, type LoadResult } from './identity.js';
import { OfferTray } from './offer-tray.js';
import { SupervisorView } from './supervisor/supervisor-view.js';
import { CallPanels } from './voice/call-panels.js';
import { ChatPanel, LEFT_MESSAGES } from './views/chat-panel.js';
import { identityPanel, type IdentityPanel } from './views/identity-panel.js';
import { QueueCounts } from './views/queue-counts.js';
import type { TopBar } from './views/top-bar.js';

type Msg<T extends ServerToOperator['type']> = Extract<ServerToOperator, { type: T }>;

export interface DeskDeps {
  topBar: TopBar;
  announce(text: string): void;
  /** The session is gone (expired, signed out elsewhere): back to the sign-in form. */
  onSignedOut(notice: string): void;
}

/**
 * The signed-in console: one socket, the offer tray, the open chats, each with its own keys
 * (in memory only), and the calls (voice/call-panels.ts). Where the deployment certifies
 * operators, also the operator's identity key, which signs every chat key it accepts with
 * (in memory only, too).
 */
export class Desk {
  readonly el: HTMLElement;
  private readonly socket: ReconnectingSocket<ServerToOperator, OperatorToServer>;
  private readonly offers: OfferTray;
  private readonly calls: CallPanels;
  private readonly chats = new Map<ChatId, { link: ChatLink; panel: ChatPanel }>();
  private readonly lineNames = new Map<string, string>();
  private wrapUps: string[] = [];
  private canned: CannedReply[] = [];
  private capacity = 1;
  private stopped = false;
  /**
   * The server said its shared store is out of reach (`service: degraded`): messages wait
   * unacknowledged in their chats and all go again on `service: ok`.
   */
  private degraded = false;
  /** "Reconnecting…", at once or, after a 1012, only if the new connection is slow. */
  private readonly dropNotice = new DropNotice(
    () => this.showBanner('desk.reconnecting'),
    () => !this.stopped && !this.socket.isOpen,
  );
  private readonly banner = h('p', { class: 'banner', role: 'status', hidden: true });
  private readonly alert = h('p', { class: 'desk-error', role: 'alert' });
  private readonly panelList = h('div', { class: 'panel-list' });
  private readonly noOffers = h('p', { class: 'empty' }, live(() => t('desk.noOffers')));
  private readonly noChats = h('p', { class: 'empty' }, live(() => t('desk.noChats')));
  private readonly chatCount = h('span', { class: 'count' });
  private readonly identity = new OperatorIdentity();
  private readonly identityPanel: IdentityPanel;
  /** Supervisors and admins only: the live figures (hidden for an operator). */
  private readonly supervision = new SupervisorView({ lineName: (id) => this.lineName(id) });
  /** Admins only: the operator accounts (hidden for supervisors and operators). */
  private readonly accounts = new AccountsView({
    lineName: (id) => this.lineName(id),
    ownId: () => this.operatorId,
    signedOut: (code) => this.signedOut(code),
  });
  private operatorId = '';
  /** What draws the eye to a new offer: the tab's count, a chime, a desktop notification. */
  private readonly tabTitle = new TabTitle();
  private readonly notifications = new OfferNotifications((ticket) => this.offers.focus(ticket));
  private readonly missed = new MissedOffersNotice();
  private readonly queues = new QueueCounts({ lineName: (id) => this.lineName(id), offerShown: () => this.offers.size > 0 });

  constructor(private readonly deps: DeskDeps) {
    this.offers = new OfferTray({
      send: (message) => this.socket.send(message),
      announce: (text) => deps.announce(text),
      lineName: (id) => this.lineName(id),
      changed: () => this.refreshCounts(),
      arrived: (offer, lineName) => {
        const chimed = deps.topBar.chime();
        this.notifications.show({ ticket: offer.ticket, channel: offer.channel, lineName, language: offer.language }, chimed);
      },
      gone: (ticket) => this.notifications.close(ticket),
      prove: (ticket, key) => this.identity.prove(ticket, key),
      identityMissing: () => this.refreshIdentity(true),
    });
    this.calls = new CallPanels({
      send: (message) => this.socket.send(message),
      announce: (text) => deps.announce(text),
      lineName: (id) => this.lineName(id),
      wrapUps: () => this.wrapUps,
      show: (el) => this.panelList.appendChild(el),
      changed: (removed) => {
        this.refreshCounts();
        if (removed?.hadFocus) this.focusNextPanel();
      },
    });
    this.identityPanel = identityPanel((file) => void this.loadIdentity(file));
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${window.location.host}${PATHS.operatorSocket}?${VERSION_PARAM}=${PROTOCOL_VERSION}`;
    this.socket = new ReconnectingSocket(
      url,
      (raw) => {
        const parsed = serverToOperatorSchema.safeParse(raw);
        return parsed.success ? parsed.data : null;
      },
      { onOpen: () => this.opened(), onMessage: (m) => this.receive(m), onClose: (code) => this.dropped(code) },
    );
    this.el = h('div', { class: 'desk' },
      h('h1', { class: 'sr-only', tabindex: -1 }, live(() => t('desk.title'))),
      this.banner,
      this.alert,
      this.missed.el,
      this.identityPanel.el,
      this.queues.el,
      h('section', { class: 'offers', 'aria-labelledby': 'offers-heading' },
        h('h2', { id: 'offers-heading', tabindex: -1 }, live(() => t('desk.offers'))), notificationSetting(), this.noOffers, this.offers.el),
      h('section', { class: 'chats', 'aria-labelledby': 'chats-heading' },
        h('h2', { id: 'chats-heading', tabindex: -1 }, live(() => t('desk.chats')), ' ', this.chatCount), this.noChats, this.panelList),
      this.supervision.el,
      this.accounts.el,
    );
  }

  get hasChats(): boolean {
    return this.chats.size > 0 || this.calls.size > 0;
  }

  start(): void {
    void getLines().then((result) => {
      if (result.ok) for (const line of result.value.lines) this.lineNames.set(line.id, line.name);
    });
    this.socket.start();
    this.refreshCounts();
  }

  /**
   * The status the operator last chose on this page (null until they choose), as the server
   * confirmed it. An away the server set for missed offers counts as chosen too, on purpose:
   * after a reconnect the console must not make them available again by itself.
   */
  private chosen: 'available' | 'away' | null = null;

  setAvailable(available: boolean): void {
    if (!this.socket.send({ type: 'status', status: available ? 'available' : 'away' })) this.setAlert(t('desk.offline'));
  }

  /** Close the socket and forget every key and every chat on screen. */
  stop(): void {
    this.stopped = true;
    this.dropNotice.clear();
    this.socket.stop();
    this.identity.forget();
    this.deps.topBar.setIdentity(null);
    this.offers.clear();
    this.tabTitle.stop();
    this.notifications.stop();
    this.queues.clear();
    this.missed.clear();
    this.calls.stop();
    this.supervision.stop();
    this.accounts.stop();
    for (const { link, panel } of this.chats.values()) {
      link.wipe();
      panel.dispose();
    }
    this.chats.clear();
  }

  private receive(m: ServerToOperator): void {
    if (this.stopped) return;
    switch (m.type) {
      case 'welcome':
        // The connection serves (the store answered to build this): calm again.
        this.socket.settled();
        this.degraded = false;
        this.banner.hidden = true;
        this.wrapUps = m.wrapUps;
        this.canned = m.canned;
        this.capacity = m.operator.capacity;
        this.operatorId = m.operator.id;
        this.identity.setRequired(m.identity === 'required');
        this.refreshIdentity();
        this.deps.topBar.setOperator(m.operator.name);
        this.supervision.setShown(m.operator.role !== 'operator');
        this.accounts.setShown(m.operator.role === 'admin');
        this.deps.topBar.setStatus(m.status);
        if (m.status === 'available') this.missed.clear();
        this.setAlert('');
        this.refreshCounts();
        // Chats that ended while this console was away get no `ended` of their own.
        for (const chat of [...this.chats.keys()]) {
          if (!m.chats.includes(chat)) this.ended({ type: 'ended', chat, by: 'system' });
        }
        this.calls.welcome(m.chats);
        // The server starts every fresh connection away; after a dropped connection this
        // page asks again for what the operator had chosen, so a blip costs no offers.
        if (this.chosen === 'available' && m.status !== 'available') this.setAvailable(true);
        return;
      case 'status':
        this.deps.topBar.setStatus(m.status);
        if (m.status !== 'offline') this.chosen = m.status;
        if (m.reason === 'missed-offers') this.missed.show(m.missed);
        else if (m.status === 'available') this.missed.clear();
        return;
      case 'waiting':
        return this.queues.update(m.queues);
      case 'service':
        return this.service(m.state === 'ok');
      case 'supervisor':
        return this.supervision.update(m);
      case 'offer':
        return this.offers.add(m);
      case 'offer-withdrawn':
        return this.offers.withdrawn(m.ticket, m.reason);
      case 'assigned':
        return this.assigned(m);
      case 'msg':
        return this.message(m);
      case 'ack': {
        const chat = this.chats.get(m.chat);
        if (chat?.link.ack(m.seq)) chat.panel.acked(m.seq);
        return;
      }
      case 'typing':
        this.chats.get(m.chat)?.panel.setTyping(m.on);
        return;
      case 'visitor':
        this.chats.get(m.chat)?.panel.visitorConnection(m.connection, m.graceSeconds);
        return;
      case 'ended':
        return this.ended(m);
      case 'error':
        return this.error(m);
    }
  }

  private assigned(m: Msg<'assigned'>): void {
    const existing = this.chats.get(m.chat);
    if (existing) {
      // A reconnect: the server re-sends our chats; resend what it never acknowledged.
      existing.link.flush();
      return;
    }
    const taken = this.offers.take(m.chat);
    if (m.channel === 'call') return this.calls.assigned(m, taken.hadFocus, taken.acceptedHere);
    let cipher = taken.cipher;
    if (cipher) {
      try {
        // A chat always carries the visitor's key; without one it is refused as malformed.
        cipher.establish(m.key ?? '', m.chat);
      } catch {
        cipher.wipe();
        cipher = null;
      }
    }

    // While the service is degraded, messages wait in the link for `service: ok`.
    const link = new ChatLink(m.chat, cipher, (message) => !this.degraded && this.socket.send(message));
    const panel = new ChatPanel(
      { chat: m.chat, line: m.line, lineName: this.lineName(m.line), language: m.language, topic: m.topic, waited: m.waited, wrapUps: this.wrapUps, canned: this.canned },
      {
        send: (body) => link.sendText(body),
        retry: (seq) => link.retry(seq),
        typing: (on) => {
          if (link.canTalk && !this.degraded) this.socket.send({ type: 'typing', chat: m.chat, on });
        },
        end: (wrapUp) => {
          if (!this.socket.send({ type: 'end', chat: m.chat, wrapUp })) panel.showError(t('desk.offline'));
        },
      },
    );
    if (!cipher) panel.keysLost();
    this.chats.set(m.chat, { link, panel });
    this.panelList.appendChild(panel.el);
    this.refreshCounts();
    // Move focus only when the operator's focus was on the offer they just accepted.
    if (taken.hadFocus || document.activeElement === document.body) panel.input.focus();
  }

  private message(m: Msg<'msg'>): void {
    const chat = this.chats.get(m.chat);
    if (!chat || !chat.link.canTalk) return;
    const received = chat.link.receive(m.seq, m.data);
    if (received.kind === 'text') chat.panel.addTheirs(received.body);
    else if (received.kind === 'unreadable') chat.panel.addSystem(t('chat.unreadable'));
  }

  private ended(m: Msg<'ended'>): void {
    if (this.calls.ended(m)) return;
    const chat = this.chats.get(m.chat);
    if (!chat) return;
    if (m.by !== 'operator') {
      // Left, left by quick exit, or lost: three different situations for the operator.
      const how = m.by === 'visitor' && m.quick ? 'quick-exit' : m.by;
      chat.panel.visitorLeft(how);
      this.deps.announce(t(LEFT_MESSAGES[how]));
      return;
    }
    // Wrapped up: the chat and its keys are gone from this console.
    const hadFocus = chat.panel.el.contains(document.activeElement);
    chat.link.wipe();
    chat.panel.dispose();
    this.chats.delete(m.chat);
    this.refreshCounts();
    if (hadFocus) this.focusNextPanel();
  }

  /** The panel with the focus went: on to the next chat, else the next call, else the heading. */
  private focusNextPanel(): void {
    const next = this.chats.values().next().value;
    if (next) next.panel.input.focus();
    else if (!this.calls.focusFirst()) document.getElementById('chats-heading')?.focus();
  }

  private error(m: Msg<'error'>): void {
    const text = t(`errors.${m.code}`);
    if (m.code === 'ERR_SESSION_EXPIRED' || m.code === 'ERR_UNAUTHENTICATED') {
      this.signedOut(m.code);
      return;
    }
    if (m.code === 'ERR_IDENTITY_REQUIRED') return this.identityRefused(m.ticket, text);
    if (m.chat && this.calls.showError(m.chat, text)) return;
    const chat = m.chat ? this.chats.get(m.chat) : undefined;
    // Not stored while the service is out (or behind one that was not): it stays
    // "Sending…" and goes again by itself. No Retry button, no line in the chat.
    if (chat && m.seq !== undefined && m.code === 'ERR_UNAVAILABLE') {
      chat.link.hold(m.seq, m.code, this.degraded);
      return;
    }
    if (chat && m.seq !== undefined && m.code === 'ERR_BAD_SEQUENCE' && chat.link.hold(m.seq, m.code, this.degraded)) return;
    if (m.code === 'ERR_UNAVAILABLE' && m.ticket && this.offers.has(m.ticket)) {
      // The accept could not be handled; the offer may well stand: allow another try.
      this.offers.refused(m.ticket, text);
      return;
    }
    if (chat && m.seq !== undefined) {
      if (chat.link.fail(m.seq)) chat.panel.failed(m.seq);
      chat.panel.addSystem(text);
    } else if (chat) {
      chat.panel.showError(text, m.code);
    } else if (m.ticket && this.offers.has(m.ticket)) {
      this.offers.withdraw(m.ticket, text);
    } else {
      this.setAlert(text, m.code);
    }
  }

  /**
   * A (re)connected socket. The banner stays until `welcome`: a node that cannot serve
   * (its store is down) answers ERR_UNAVAILABLE and closes, and the banner should not
   * flicker with every try.
   */
  private opened(): void {
    this.dropNotice.clear();
  }

  /**
   * The shared store went away or came back; the socket stays open meanwhile. While it is
   * away the banner says messages will go when it is back, and on `ok` every chat sends
   * again what the server never acknowledged (the server keeps each seq once).
   */
  private service(ok: boolean): void {
    this.degraded = !ok;
    if (!ok) {
      this.showBanner('desk.degraded');
      return;
    }
    this.banner.hidden = true;
    if (this.alert.dataset.code === 'ERR_UNAVAILABLE') this.setAlert('');
    for (const { link, panel } of this.chats.values()) {
      panel.clearError('ERR_UNAVAILABLE');
      link.flush();
    }
  }

  /** `code` remembers which error the alert shows, so `service: ok` can clear an ERR_UNAVAILABLE. */
  private setAlert(text: string, code = ''): void {
    // The same words again (each try during an outage) are not announced again.
    if (this.alert.textContent === text && (this.alert.dataset.code ?? '') === code) return;
    this.alert.textContent = text;
    this.alert.dataset.code = code;
  }

  private showBanner(key: string): void {
    if (!this.banner.hidden && this.banner.dataset.key === key) return;
    this.banner.replaceChildren(live(() => t(key)));
    this.banner.dataset.key = key;
    this.banner.hidden = false;
  }

  private dropped(code: number): boolean {
    if (this.stopped) return false;
    if (code === CLOSE_CODES.sessionExpired || code === CLOSE_CODES.unauthenticated) {
      this.signedOut('ERR_SESSION_EXPIRED');
      return false;
    }
    if (code === CLOSE_CODES.replaced || code === CLOSE_CODES.clientTooOld) {
      this.showBanner(code === CLOSE_CODES.replaced ? 'desk.replaced' : 'errors.ERR_CLIENT_TOO_OLD');
      this.deps.topBar.setStatus(null);
      return false;
    }
    this.dropNotice.dropped(code);
    // A refused upgrade looks like any network failure (1006): ask HTTP whether we are
    // still signed in, so an expired session goes to the sign-in form instead of retrying.
    if (code === 1006) {
      void getSession().then((result) => {
        if (!result.ok && (result.code === 'ERR_UNAUTHENTICATED' || result.code === 'ERR_SESSION_EXPIRED')) this.signedOut(result.code);
      });
    }
    return true;
  }

  private signedOut(code: ErrorCode): void {
    if (this.stopped) return;
    this.stop();
    this.deps.onSignedOut(t(`errors.${code}`));
  }

  /** The operator chose an identity file: keep it if it is theirs and still valid. */
  private async loadIdentity(file: File): Promise<void> {
    // An identity file is well under 1 kB; anything much larger is not one.
    const text = file.size <= 16_384 ? await file.text().catch(() => '') : '';
    const result = await this.identity.load(text, this.operatorId, Date.now());
    if (this.stopped) {
      this.identity.forget();
      return;
    }
    if (!result.ok) {
      this.identityPanel.setError(identityProblem(result));
      return;
    }
    this.refreshIdentity();
    this.deps.announce(t('identity.loadedAnnounce', { name: result.name, date: formatDate(result.expires) }));
    // The file control is gone now: go on to the first offer it unlocked, if any.
    (this.offers.el.querySelector<HTMLElement>('button:not([disabled])') ?? document.getElementById('offers-heading'))?.focus();
  }

  /**
   * Show the key control while accepting needs a key, lock Accept meanwhile, and show the
   * loaded identity in the top bar. A certificate that ran out is dropped here.
   */
  private refreshIdentity(focus = false): void {
    const loaded = this.identity.loaded;
    if (loaded && loaded.expires <= Date.now()) {
      this.identity.forget();
      this.identityPanel.setError(t('identity.errors.expired', { date: formatDate(loaded.expires) }));
    }
    const missing = this.identity.missing;
    if (missing) this.identityPanel.show();
    else this.identityPanel.hide();
    this.offers.setLocked(missing);
    this.deps.topBar.setIdentity(this.identity.required ? this.identity.loaded : null);
    if (focus && missing) this.identityPanel.input.focus();
  }

  /** The server would not take our proof: this key is no good here (revoked, another organisation's). */
  private identityRefused(ticket: string | undefined, text: string): void {
    const active = document.activeElement;
    const focusWasOnOffers = !active || active === document.body || this.offers.el.contains(active);
    this.identity.setRequired(true);
    this.identity.forget();
    this.refreshIdentity();
    this.identityPanel.setError(text);
    if (ticket) this.offers.refused(ticket, '');
    if (focusWasOnOffers) this.identityPanel.input.focus();
  }

  private lineName(id: string): string {
    return this.lineNames.get(id) ?? id;
  }

  private refreshCounts(): void {
    this.noOffers.hidden = this.offers.size > 0;
    this.tabTitle.set(this.offers.size);
    const count = this.chats.size + this.calls.size;
    this.noChats.hidden = count > 0;
    const capacity = this.capacity;
    this.chatCount.replaceChildren(live(() => t('desk.chatCount', { count, capacity })));
  }
}

function identityProblem(result: Extract<LoadResult, { ok: false }>): string {
  if (result.problem === 'expired' && result.expires !== undefined) {
    return t('identity.errors.expired', { date: formatDate(result.expires) });
  }
  return t(`identity.errors.${result.problem}`);
}
