import { CLOSE_CODES } from '../protocol/close-codes.js';

/**
 * When to say "Reconnecting…" after a dropped socket, for the widget and the console: at
 * once, except after a 1012 (a draining node hands us to another one at once), when only
 * if we are not back within `quietMs`.
 */
export class DropNotice {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly show: () => void,
    /** Asked when the quiet wait ends: are we still not back? */
    private readonly stillDown: () => boolean,
    private readonly quietMs = 2_000,
  ) {}

  dropped(code: number): void {
    if (code !== CLOSE_CODES.serviceRestart) {
      this.show();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (this.stillDown()) this.show();
    }, this.quietMs);
  }

  /** Back (or finished): no late "Reconnecting…". */
  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
