import type { CallIo } from './call-io.js';
import type { Audible, Gather } from './twiml.js';

/** How long the simulated caller takes to hear things, in call seconds (no audio is made). */
const SECONDS_PER_WORD = 0.4;
/** The hold audio is never fetched, so each play of it lasts this long. */
const PLAY_SECONDS = 10;
/** The call's state is looked at about once a call second, but never more than every 20 ms. */
const LOOK_EVERY_SECONDS = 1;
const LOOK_AT_MOST_EVERY_MS = 20;
/** setTimeout fires at once for anything longer; a looped <Play> waits in such slices. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** How hearing something ended. 'interrupted': the wait's check said to stop (bridged). */
export type Heard = 'done' | 'hangup' | 'interrupted';

/** Asked between slices of a long wait: true stops it (the call was bridged, or ended). */
export type Interrupt = () => Promise<boolean>;

/**
 * The simulated caller on the line: hears Say/Play/Pause, presses keys for a Gather, and can
 * hang up. Call time runs `speed` times faster than real time; every duration the server
 * sees (QueueTime, CallDuration) is in call seconds, so a sped-up call looks like a real one.
 */
export class Caller {
  private readonly startedAt: number;
  /** Real time (ms) at which a scripted caller hangs up; null: only when the user does. */
  private hangUpAt: number | null = null;

  constructor(
    readonly io: CallIo,
    private readonly speed: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Seconds of call time since the call started, or since `since` (a previous `clock()`). */
  clock(since = 0): number {
    return (this.now() - this.startedAt) * this.speed / 1000 - since;
  }

  /** A scripted caller hangs up `seconds` (call time) from now, unless set already. */
  hangUpIn(seconds: number): void {
    this.hangUpAt ??= this.now() + seconds * 1000 / this.speed;
  }

  async hear(verb: Audible, interrupt?: Interrupt): Promise<Heard> {
    const forever = (verb.verb === 'Say' || verb.verb === 'Play') && verb.loop === 0;
    const times = verb.verb === 'Pause' ? 1 : Math.max(1, verb.loop);
    if (verb.verb === 'Say') {
      const line = `🔊 [${verb.language ?? '?'}] ${verb.text}`;
      this.io.print(forever ? `${line} (repeated)` : times > 1 ? `${line} (×${times})` : line);
    }
    if (verb.verb === 'Play') this.io.print(`♪ hold audio: ${verb.url}${forever ? ' (looped)' : ''}`);
    return this.wait(forever ? Infinity : duration(verb) * times, interrupt);
  }

  /**
   * A <Gather>: its prompts are printed, then keys are read until `numDigits`, the finishing
   * key or the timeout. As on a phone, a key may come while the prompts are still being said.
   * Returns the keys pressed ('' for none), 'hangup', or 'interrupted' (see `wait`).
   */
  async gather(verb: Gather, interrupt?: Interrupt): Promise<string | 'hangup' | 'interrupted'> {
    let promptSeconds = 0;
    for (const prompt of verb.prompts) {
      if (prompt.verb === 'Say') this.io.print(`🔊 [${prompt.language ?? '?'}] ${prompt.text}`);
      if (prompt.verb === 'Play') this.io.print(`♪ hold audio: ${prompt.url}`);
      promptSeconds += duration(prompt) * (prompt.verb === 'Pause' ? 1 : Math.max(1, prompt.loop));
    }
    let keys = '';
    let seconds = promptSeconds + verb.timeoutSeconds;
    for (;;) {
      const key = await this.key(seconds, interrupt);
      if (key === 'hangup' || key === 'interrupted') return key;
      if (key === null || key === verb.finishOnKey) break;
      keys += key;
      this.io.print(`⌨ pressed ${key}`);
      if (verb.numDigits !== undefined && keys.length >= verb.numDigits) break;
      seconds = verb.timeoutSeconds;
    }
    if (keys === '') this.io.print(`⌨ (no key within ${verb.timeoutSeconds} s)`);
    return keys;
  }

  /** One key within `seconds` of call time, or null; a silent caller waits the time out. */
  private async key(seconds: number, interrupt?: Interrupt): Promise<string | null | 'hangup' | 'interrupted'> {
    const end = this.now() + seconds * 1000 / this.speed;
    for (;;) {
      if (interrupt && (await interrupt())) return 'interrupted';
      const left = end - this.now();
      if (left <= 0) return null;
      const limit = this.realMs(left * this.speed / 1000);
      if (limit.hangUp && limit.ms === 0) return this.hungUp();
      const key = await this.io.readKey(interrupt ? Math.min(limit.ms, this.lookEveryMs()) : limit.ms);
      if (key === 'hangup') return this.hungUp();
      if (key === 'silent') {
        const heard = await this.wait(Math.max(0, end - this.now()) * this.speed / 1000, interrupt);
        return heard === 'done' ? null : heard;
      }
      if (key !== null) return key;
    }
  }

  /** Waits `seconds` of call time, looking at `interrupt` about every call second. */
  async wait(seconds: number, interrupt?: Interrupt): Promise<Heard> {
    const end = this.now() + seconds * 1000 / this.speed;
    for (;;) {
      if (interrupt && (await interrupt())) return 'interrupted';
      const left = end - this.now();
      if (left <= 0) return 'done';
      const limit = this.realMs(left * this.speed / 1000);
      if (limit.hangUp && limit.ms === 0) return this.hungUp();
      const slice = Math.min(limit.ms, interrupt ? this.lookEveryMs() : LONGEST_TIMER_MS);
      if ((await this.io.sleep(slice)) === 'hangup') return this.hungUp();
    }
  }

  private lookEveryMs(): number {
    return Math.max(LOOK_AT_MOST_EVERY_MS, LOOK_EVERY_SECONDS * 1000 / this.speed);
  }

  /** Real ms for `seconds` of call time, cut short where a scripted caller hangs up. */
  private realMs(seconds: number): { ms: number; hangUp: boolean } {
    const ms = seconds * 1000 / this.speed;
    if (this.hangUpAt === null) return { ms, hangUp: false };
    const untilHangUp = Math.max(0, this.hangUpAt - this.now());
    return untilHangUp <= ms ? { ms: untilHangUp, hangUp: true } : { ms, hangUp: false };
  }

  private hungUp(): 'hangup' {
    this.io.print('☎ The caller hangs up.');
    return 'hangup';
  }
}

function duration(verb: Audible): number {
  if (verb.verb === 'Pause') return verb.seconds;
  if (verb.verb === 'Play') return PLAY_SECONDS;
  return verb.text.split(' ').filter(Boolean).length * SECONDS_PER_WORD;
}
