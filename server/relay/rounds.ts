import type { Clock, TimerHandle } from '../clock.js';

/**
 * A round of work every `everyMs` while anyone is listening, one round at a time: what the
 * consoles' live feeds share (the supervisors' figures, the operators' queue counts). A round
 * that runs long delays the next; none overlaps another.
 */
export class Rounds {
  private timer: TimerHandle | null = null;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly everyMs: number,
    private readonly listening: () => boolean,
    private readonly round: () => Promise<void>,
  ) {}

  /** Someone listens now: keep the rounds going, if they are not already. */
  ensure(): void {
    if (!this.timer && !this.stopped) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(): void {
    this.timer = this.clock.after(this.everyMs, () => {
      this.timer = null;
      if (this.stopped || !this.listening()) return;
      void this.round().finally(() => {
        if (!this.stopped && this.listening() && !this.timer) this.schedule();
      });
    });
  }
}
