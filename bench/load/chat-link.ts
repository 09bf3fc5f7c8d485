import type { ChatCipher } from '../../e2e/chat-cipher.js';

/**
 * How many sealed messages each side of a chat prepares before the timed run. The server
 * never opens `data`, so after these the load generator re-sends them under new sequence
 * numbers instead of sealing each message: sealing (~18 µs) and opening (~12 µs) every frame
 * would make the load generator, which shares the machine's two cores with the server, the
 * bottleneck. The first RING frames of each direction are opened for real on arrival.
 */
export const RING = 8;

/** A short text message: its JSON fits one 256-byte pad block, like most chat lines. */
const BODY = 'Hallo, ik wil graag met iemand praten over wat er thuis gebeurt. Kan dat nu?';

/** Counts of what went wrong (error codes, unexpected closes, bad deliveries), by name. */
export class Tally {
  readonly counts = new Map<string, number>();
  add(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }
  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
  /** What was counted since `before` (a toJSON() taken earlier). */
  since(before: Record<string, number>): Record<string, number> {
    const after: Record<string, number> = {};
    for (const [name, n] of this.counts) if (n > (before[name] ?? 0)) after[name] = n - (before[name] ?? 0);
    return after;
  }
}

/** What a fleet counts: problems by name, and messages opened end to end on arrival. */
export interface FleetCounters {
  problems: Tally;
  opened: number;
}

export interface ChatLinkParts {
  id: string;
  visitorCipher: ChatCipher;
  operatorCipher: ChatCipher;
  sendAsVisitor(frame: string): void;
  sendAsOperator(frame: string): void;
  /** The frame the visitor sends for (seq, data); the operator's likewise. */
  visitorFrame(seq: number, data: string): string;
  operatorFrame(seq: number, data: string): string;
}

/**
 * One chat as the drivers see it, whatever relays it: send the next message from either
 * side, and be told when one arrives at the other. Delivery order per direction is checked.
 */
export class ChatLink {
  visitorSent = 0;
  operatorSent = 0;
  atOperator = 0;
  atVisitor = 0;
  /** Set by the driver. */
  onAtOperator: (seq: number) => void = () => undefined;
  onAtVisitor: (seq: number) => void = () => undefined;
  private readonly visitorRing: string[];
  private readonly operatorRing: string[];

  constructor(
    private readonly parts: ChatLinkParts,
    private readonly counters: FleetCounters,
  ) {
    this.visitorRing = Array.from({ length: RING }, () => parts.visitorCipher.seal({ t: 'text', body: BODY }).data);
    this.operatorRing = Array.from({ length: RING }, () => parts.operatorCipher.seal({ t: 'text', body: BODY }).data);
  }

  get id(): string {
    return this.parts.id;
  }

  sendFromVisitor(): void {
    const seq = ++this.visitorSent;
    this.parts.sendAsVisitor(this.parts.visitorFrame(seq, this.visitorRing[(seq - 1) % RING]!));
  }

  sendFromOperator(): void {
    const seq = ++this.operatorSent;
    this.parts.sendAsOperator(this.parts.operatorFrame(seq, this.operatorRing[(seq - 1) % RING]!));
  }

  /** A visitor message reached the operator's socket. */
  deliveredToOperator(seq: number, data: string): void {
    if (seq !== this.atOperator + 1) this.counters.problems.add('out-of-order at operator');
    this.atOperator = seq;
    if (seq <= RING) this.check(() => this.parts.operatorCipher.open(seq, data));
    this.onAtOperator(seq);
  }

  /** An operator message reached the visitor's socket. */
  deliveredToVisitor(seq: number, data: string): void {
    if (seq !== this.atVisitor + 1) this.counters.problems.add('out-of-order at visitor');
    this.atVisitor = seq;
    if (seq <= RING) this.check(() => this.parts.visitorCipher.open(seq, data));
    this.onAtVisitor(seq);
  }

  private check(open: () => unknown): void {
    try {
      open();
      this.counters.opened += 1;
    } catch {
      this.counters.problems.add('failed to open end to end');
    }
  }
}

/** A set of chats ready to drive, and how to tear them down. */
export interface Fleet {
  chats: ChatLink[];
  counters: FleetCounters;
  /** Most messages the relay keeps per chat and direction (Quietline's buffer cap); null: none. */
  messageCap: number | null;
  close(): Promise<void>;
}
