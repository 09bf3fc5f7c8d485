/**
 * How nodes reach each other's sockets. A message for a visitor or an operator is published
 * on their channel; whichever node holds their socket subscribes to it. The bus carries only
 * what a socket would carry (ciphertext, routing metadata), and it is a fast path only: every
 * message that matters is in the store first, so a message the bus loses is caught up from
 * there (see relay/deliveries.ts).
 */
/**
 * Messages are plain JSON-able objects: a Redis bus serialises them, the in-process bus
 * hands the same object to each subscriber (so nobody may change one it was given).
 */
export type BusHandler = (message: unknown) => void;

export interface Bus {
  publish(channel: string, message: object): Promise<void>;
  /** Deliver the channel's messages to `handler`; one handler per channel per node. */
  subscribe(channel: string, handler: BusHandler): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /**
   * Be told when the bus's connection came back after a drop: what was published meanwhile
   * was lost on the bus, and the sockets must be caught up from the store.
   */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** Channels of one deployment; the hash tags put a ticket's channel on its keys' shard. */
export const channels = {
  visitor: (prefix: string, ticketId: string) => `${prefix}:{t:${ticketId}}:to-visitor`,
  operator: (prefix: string, operatorId: string) => `${prefix}:{o:${operatorId}}:to-operator`,
  /** Sign-outs and account changes, heard by every node (auth/session-events.ts). */
  sessions: (prefix: string) => `${prefix}:{sessions}:events`,
};
