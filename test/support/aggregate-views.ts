import type { Aggregate } from '../../server/stats/aggregates.js';
import type { Store } from '../../server/store/store.js';

/**
 * The quarter-hour buckets, with what happened to contacts only: the wait bands and the
 * in-target count (tested in test/server/stats/) left out, so journeys compare plain counts.
 */
export async function quarterBuckets(store: Pick<Store, 'aggregates'>): Promise<Aggregate[]> {
  return (await store.aggregates())
    .filter((b) => b.span === '15m')
    .map((b) => ({ ...b, counts: Object.fromEntries(Object.entries(b.counts).filter(([field]) => !field.startsWith('wait:') && field !== 'inTarget')) }));
}
