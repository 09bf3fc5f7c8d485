import type { Clock } from '../clock.js';

/**
 * A Map whose entries expire, read against the injected clock. Expired entries are dropped
 * when touched and by sweep(), so memory does not grow with abandoned records.
 */
export class TtlMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  set(key: K, value: V, ttlMs: number): void {
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  expire(key: K, ttlMs: number): void {
    const entry = this.entries.get(key);
    if (entry) entry.expiresAt = this.clock.now() + ttlMs;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  keys(): K[] {
    this.sweep();
    return [...this.entries.keys()];
  }

  values(): V[] {
    this.sweep();
    return [...this.entries.values()].map((e) => e.value);
  }

  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
