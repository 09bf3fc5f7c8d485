/**
 * A short two-tone chime for a new offer, made with the Web Audio API: no audio file, no
 * request. Browsers keep audio blocked until the page has had a click or a key press, so
 * the AudioContext is made (or resumed) on the first one; while it is still blocked, the
 * chime is skipped without a word rather than played late.
 *
 * The operator may turn it off; the choice is kept on this staff device under one key and
 * holds nothing but "on" or "off".
 */
export const SOUND_STORAGE_KEY = 'quietline.console.sound';

/** Two notes, a rising fourth (E5 → A5): heard over a headset without being shrill. */
const NOTES = [
  { hz: 659.25, at: 0 },
  { hz: 880, at: 0.16 },
];
const NOTE_SECONDS = 0.28;
const VOLUME = 0.18;

export class OfferSound {
  private on: boolean;
  private context: AudioContext | null = null;

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null = pageStorage()) {
    this.on = readChoice(storage);
  }

  get enabled(): boolean {
    return this.on;
  }

  setEnabled(on: boolean): void {
    this.on = on;
    try {
      this.storage?.setItem(SOUND_STORAGE_KEY, on ? 'on' : 'off');
    } catch {
      // Storage full or refused: the choice holds for this page only.
    }
  }

  /** Makes or resumes the AudioContext on the page's first gestures (until it runs). */
  unlockOnGesture(target: EventTarget = document): void {
    // A tap only counts as a gesture at its end (click), a mouse already at pointerdown.
    const events = ['pointerdown', 'click', 'keydown'];
    const unlock = () => {
      if (this.unlock()) for (const name of events) target.removeEventListener(name, unlock, true);
    };
    for (const name of events) target.addEventListener(name, unlock, true);
  }

  /** Plays the chime if the operator wants it and the browser lets us; true if it played. */
  play(): boolean {
    if (!this.on) return false;
    const context = this.context;
    if (!context || context.state !== 'running') {
      this.unlock();
      return false;
    }
    try {
      const start = context.currentTime;
      for (const note of NOTES) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = 'sine';
        oscillator.frequency.value = note.hz;
        // A soft attack and an exponential fade, so neither note clicks.
        const t0 = start + note.at;
        gain.gain.setValueAtTime(0.0001, t0);
        gain.gain.exponentialRampToValueAtTime(VOLUME, t0 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + NOTE_SECONDS);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(t0);
        oscillator.stop(t0 + NOTE_SECONDS + 0.02);
      }
      return true;
    } catch {
      return false;
    }
  }

  /** True once the context runs. */
  private unlock(): boolean {
    try {
      this.context ??= new AudioContext();
      if (this.context.state === 'suspended') void this.context.resume().catch(() => undefined);
      return this.context.state === 'running';
    } catch {
      // No Web Audio here (or it was refused): the console works without the chime.
      return false;
    }
  }
}

function pageStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function readChoice(storage: Pick<Storage, 'getItem'> | null): boolean {
  try {
    return storage?.getItem(SOUND_STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}
