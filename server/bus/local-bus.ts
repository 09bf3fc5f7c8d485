import type { Bus, BusHandler } from './bus.js';

/**
 * An in-process bus: one node alone (the memory store), or several apps in one test
 * process linked through one hub. Delivery is synchronous, in publish order.
 */
export class LocalBusHub {
  private readonly subscribers = new Map<string, Set<BusHandler>>();

  connect(): Bus {
    const mine = new Map<string, BusHandler>();
    return {
      publish: async (channel, message) => {
        for (const handler of [...(this.subscribers.get(channel) ?? [])]) handler(message);
      },
      subscribe: async (channel, handler) => {
        const previous = mine.get(channel);
        if (previous) this.subscribers.get(channel)?.delete(previous);
        mine.set(channel, handler);
        const set = this.subscribers.get(channel) ?? new Set();
        set.add(handler);
        this.subscribers.set(channel, set);
      },
      unsubscribe: async (channel) => {
        const handler = mine.get(channel);
        if (!handler) return;
        mine.delete(channel);
        const set = this.subscribers.get(channel);
        set?.delete(handler);
        if (set?.size === 0) this.subscribers.delete(channel);
      },
      // In process: never drops, never reconnects.
      onReconnect: () => undefined,
      close: async () => {
        for (const [channel, handler] of mine) this.subscribers.get(channel)?.delete(handler);
        mine.clear();
      },
    };
  }
}

/** A bus for a node that is alone. */
export function localBus(): Bus {
  return new LocalBusHub().connect();
}
