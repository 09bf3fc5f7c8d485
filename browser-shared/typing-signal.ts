/**
 * Turns keystrokes into sparse typing on/off signals: "on" once when typing starts, "off"
 * after a pause or when the message is sent, never one frame per key.
 */
export class TypingSignal {
  private on = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (on: boolean) => void,
    private readonly idleMs = 3000,
  ) {}

  input(): void {
    if (!this.on) {
      this.on = true;
      this.send(true);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop(), this.idleMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.on) {
      this.on = false;
      this.send(false);
    }
  }
}
