import { z } from 'zod';
import { idSchema } from '../../protocol/ids.js';
import { channels, type Bus } from '../bus/bus.js';
import type { Logger } from '../logging.js';
import { errorFields } from '../logging.js';

/**
 * What every node must hear about sessions at once, wherever it happened: a session signed
 * out (its consoles close), or an account changed (its consoles re-check: a removed account
 * or a new password ends them, an edit makes them reconnect to read the account again).
 * They carry a session's token hash (the store's key for it, not the cookie) or an operator id.
 */
export const sessionEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('signed-out'), session: z.string().min(1).max(64) }),
  z.strictObject({ type: z.literal('account-changed'), operator: idSchema }),
]);
export type SessionEvent = z.infer<typeof sessionEventSchema>;

/** Tell every node, this one included (it hears its own events through the bus). */
export async function announceSessionEvent(bus: Bus, prefix: string, event: SessionEvent, logger: Logger): Promise<void> {
  try {
    await bus.publish(channels.sessions(prefix), event);
  } catch (error) {
    // The minute's re-check of open consoles (session-watch.ts) still catches it.
    logger.warn({ event: 'session-event.lost', ...errorFields(error) }, 'session event not published');
  }
}

export async function onSessionEvents(bus: Bus, prefix: string, handle: (event: SessionEvent) => void): Promise<void> {
  await bus.subscribe(channels.sessions(prefix), (raw) => {
    const parsed = sessionEventSchema.safeParse(raw);
    if (parsed.success) handle(parsed.data);
  });
}
