import { StoreUnavailableError, type Store } from '../../server/store/store.js';

/**
 * A store that can be made unreachable on demand, as Redis is when it stops: every call
 * rejects with StoreUnavailableError and availability listeners hear false; end() brings it
 * back. Wraps a real store, so what was stored before the outage is still there after it.
 */
export interface Outage {
  start(): void;
  /** A partial outage: only these methods fail, and nobody is told (a blip mid-request). */
  failOnly(methods: (keyof Store)[]): void;
  end(): void;
  readonly active: boolean;
}

export function withOutages(inner: Store): { store: Store; outage: Outage } {
  const listeners: ((available: boolean) => void)[] = [];
  let active = false;
  let only: Set<PropertyKey> | null = null;
  const outage: Outage = {
    failOnly(methods) {
      only = new Set(methods);
    },
    start() {
      if (active) return;
      active = true;
      for (const l of listeners) l(false);
    },
    end() {
      only = null;
      if (!active) return;
      active = false;
      for (const l of listeners) l(true);
    },
    get active() {
      return active;
    },
  };
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'onAvailability') return (listener: (available: boolean) => void) => void listeners.push(listener);
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close' || property === 'init') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: unknown[]) =>
        active || only?.has(property)
          ? Promise.reject(new StoreUnavailableError())
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
  return { store, outage };
}
