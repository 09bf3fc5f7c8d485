import type { ChatId } from '../../protocol/ids.js';
import type { OperatorToServer, ServerToOperator } from '../../protocol/operator-messages.js';
import { t } from '../i18n.js';
import { CallPanel } from '../views/call-panel.js';
import type { VoiceCall } from './voice-call.js';
import { VoiceLine } from './voice-line.js';

type Assigned = Extract<ServerToOperator, { type: 'assigned' }>;
type Ended = Extract<ServerToOperator, { type: 'ended' }>;

export interface CallPanelsDeps {
  send(message: OperatorToServer): boolean;
  announce(text: string): void;
  lineName(id: string): string;
  wrapUps(): string[];
  /** Show a new panel on the desk. */
  show(el: HTMLElement): void;
  /** A call was added or removed; `hadFocus` when the removed panel held the focus. */
  changed(removed?: { hadFocus: boolean }): void;
}

/**
 * The calls on the operator's desk: for each, its panel and its voice connection. A call has
 * no keys and no messages; the desk routes its `assigned`, `ended` and errors here.
 */
export class CallPanels {
  private readonly voice = new VoiceLine();
  private readonly calls = new Map<ChatId, { panel: CallPanel; voice: VoiceCall }>();

  constructor(private readonly deps: CallPanelsDeps) {}

  get size(): number {
    return this.calls.size;
  }

  has(chat: ChatId): boolean {
    return this.calls.has(chat);
  }

  /** Focus the first call on the desk; false when there is none. */
  focusFirst(): boolean {
    const first = this.calls.values().next().value;
    first?.panel.focus();
    return first !== undefined;
  }

  /**
   * A (re)connected socket said welcome: learn how calls are placed, if not yet known, and
   * wrap up on screen the calls that ended meanwhile (`chats` are those still ours).
   */
  welcome(chats: ChatId[]): void {
    this.voice.start();
    for (const chat of [...this.calls.keys()]) if (!chats.includes(chat)) this.ended({ type: 'ended', chat, by: 'system' });
  }

  /**
   * A call is ours: connect the audio, if this window accepted it. One it did not (the
   * operator's other window took it, or this window was reloaded mid-call, which ends the
   * bridge to the caller) is shown for its wrap-up only: dialling its queue again would
   * only reach an empty queue.
   */
  assigned(m: Assigned, hadFocus: boolean, acceptedHere: boolean): void {
    if (this.calls.has(m.chat)) return; // a reconnect of the socket: the audio is unaffected
    let voice: VoiceCall | null = null;
    const panel = new CallPanel(
      { chat: m.chat, lineName: this.deps.lineName(m.line), language: m.language, topic: m.topic, waited: m.waited, wrapUps: this.deps.wrapUps() },
      {
        mute: (on) => voice?.mute(on),
        hangUp: () => voice?.hangUp(),
        end: (wrapUp) => {
          if (!this.deps.send({ type: 'end', chat: m.chat, wrapUp })) panel.showError(t('desk.offline'));
        },
      },
    );
    if (!acceptedHere) {
      voice = { mute: () => undefined, hangUp: () => undefined };
      this.calls.set(m.chat, { panel, voice });
      this.deps.show(panel.el);
      this.deps.changed();
      panel.ended('elsewhere');
      return;
    }
    const connected = this.voice.connect(m.chat, {
      state: (state, problem) => {
        const said = panel.setState(state, problem);
        if (said) this.deps.announce(said);
      },
    });
    voice = connected;
    this.calls.set(m.chat, { panel, voice: connected });
    this.deps.show(panel.el);
    this.deps.changed();
    if (hadFocus || document.activeElement === document.body) panel.focus();
  }

  /** Returns false when `m` is not about a call (the desk handles it as a chat). */
  ended(m: Ended): boolean {
    const call = this.calls.get(m.chat);
    if (!call) return false;
    if (m.by !== 'operator') {
      // The caller hung up, or the call was lost: never leave the operator on the line.
      call.voice.hangUp();
      const said = call.panel.ended(m.by === 'visitor' ? 'callerHungUp' : 'lost');
      if (said) this.deps.announce(said);
      return true;
    }
    // Wrapped up: the call is gone from this console.
    // Its Close button, pressed and disabled, has let go of the focus (to the body).
    const hadFocus = call.panel.el.contains(document.activeElement) || document.activeElement === document.body;
    call.voice.hangUp();
    call.panel.dispose();
    this.calls.delete(m.chat);
    this.deps.changed({ hadFocus });
    return true;
  }

  /** An error from the server about one of our calls; false when `chat` is no call of ours. */
  showError(chat: ChatId, text: string): boolean {
    const call = this.calls.get(chat);
    call?.panel.showError(text);
    return call !== undefined;
  }

  /** Signed out: hang up every call, forget them, and the voice device too. */
  stop(): void {
    for (const { panel, voice } of this.calls.values()) {
      voice.hangUp();
      panel.dispose();
    }
    this.calls.clear();
    this.voice.stop();
  }
}
