import type { Aggregate } from '../../server/stats/aggregates.js';
import type { Store } from '../../server/store/store.js';

const MEASURES = new Set(['inTarget', 'handled', 'handleMinutes', 'staffedMinutes']);

/**
 * The quarter-hour buckets, with what happened to contacts only: the wait bands, the
 * in-target count, handle-time sums and staffing (tested in test/server/stats/) left out, so
 * journeys compare plain counts.
 */
export async function quarterBuckets(store: Pick<Store, 'aggregates'>): Promise<Aggregate[]> {
  return (await store.aggregates())
    .filter((b) => b.span === '15m')
    .filter((b) => Object.keys(b.counts).some((field) => !MEASURES.has(field)))
    .map((b) => ({ ...b, counts: Object.fromEntries(Object.entries(b.counts).filter(([field]) => !field.startsWith('wait:') && !MEASURES.has(field))) }));
}
