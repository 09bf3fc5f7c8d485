import { backoffDelay } from './backoff.js';

/**
 * Sends unacknowledged messages again after a wait that grows with each try. For a message
 * the server could not store (ERR_UNAVAILABLE) while it has not said the service is
 * degraded: a blip in the shared store that heals before anyone announces it would
 * otherwise leave the message "Sending…" until the next reconnect. While the service is
 * degraded nobody calls schedule(): the server's `service: ok` is the signal to resend.
 */
export class ResendLater {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;

  constructor(private readonly resend: () => void) {}

  /** Resend after the next wait, unless a resend is already waiting. */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.resend();
    }, backoffDelay(this.attempt));
    this.attempt += 1;
  }

  /** The server stored something again: the next wait starts short. */
  succeeded(): void {
    this.attempt = 0;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
