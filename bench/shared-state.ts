import type { SharedState, SharedStateOptions } from '../server/shared-state.js';

export type { SharedState, SharedStateOptions };

/**
 * openSharedState, loaded only when a Redis phase runs: a Redis path that fails to load then
 * costs the Redis figures, not the whole run.
 */
export async function openSharedState(options: SharedStateOptions): Promise<SharedState> {
  const module = await import('../server/shared-state.js');
  return module.openSharedState(options);
}
