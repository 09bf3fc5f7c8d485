/**
 * Staffing estimate with Erlang C: how likely a contact is to wait, how long on average, what
 * share is answered within a target, and how many operators a queue needs to reach a target.
 * Pure arithmetic — no clock, no I/O — so it can be tested against published tables.
 *
 * Erlang C is a model, and what it assumes is not how a helpline really runs:
 * - Nobody gives up. Real callers and visitors abandon while waiting, which shortens the waits
 *   of those who stay, so real waits are shorter and real service levels differ from these
 *   figures (Erlang A models abandonment; this module does not).
 * - Contacts arrive at random (Poisson) and at a steady rate through the whole period: a rush
 *   at the top of the hour is averaged away. Nobody calls back after giving up (no retrials).
 * - Every operator can take every contact. Our routing has skills (language, topic), so compute
 *   one estimate per queue with the arrivals and operators of that queue, never for a whole line.
 * - One contact per operator at a time. A chat operator handles several; the caller decides what
 *   an "agent" is: pass chat slots (operators × capacity) to treat each slot as an agent.
 * - Handle times are exponentially distributed; only their mean is used.
 *
 * Numerical stability: an hour-long conversation with hundreds of contacts an hour is hundreds
 * of Erlangs, whose powers and factorials overflow a double long before the answer does. Erlang
 * B is computed with its recursion, whose every term lies in [0, 1], and Erlang C derived from it.
 */

export interface Traffic {
  /** Contacts arriving in the period. */
  arrivals: number;
  /** Length of the period, in seconds (> 0). */
  periodSeconds: number;
  /** Mean handle time of one contact, in seconds (> 0). */
  handleSeconds: number;
}

export interface Staffed extends Traffic {
  /** Operators (or chat slots) answering the queue: a whole number ≥ 0. */
  agents: number;
}

export interface StaffedWithTarget extends Staffed {
  /** The service-level target: answered within this many seconds. */
  targetSeconds: number;
}

export interface StaffingTarget extends Traffic {
  targetSeconds: number;
  /** Share of contacts to answer within `targetSeconds`, in (0, 1]: 0.8 for 80 %. */
  serviceLevelTarget: number;
  /** Give up above this many agents (default: the offered load rounded up, plus 1000). */
  maxAgents?: number;
}

/** How far above the offered load agentsNeeded looks when no maxAgents is given. */
export const DEFAULT_SEARCH_MARGIN = 1000;

/** The probability that a contact must wait for an operator. */
export function erlangC(input: Staffed): number {
  const load = offeredLoad(input);
  const agents = checkAgents(input.agents, 'agents');
  return waitProbability(load, agents, erlangB(load, agents));
}

/** The share of contacts answered within `targetSeconds`; 0 when the queue is unstable. */
export function serviceLevel(input: StaffedWithTarget): number {
  const load = offeredLoad(input);
  const agents = checkAgents(input.agents, 'agents');
  const target = checkNumber(input.targetSeconds, 'targetSeconds');
  return level(load, agents, erlangB(load, agents), target, input.handleSeconds);
}

/** Mean wait before an answer, in seconds, over all contacts; Infinity when the queue is unstable. */
export function averageSpeedOfAnswer(input: Staffed): number {
  const load = offeredLoad(input);
  const agents = checkAgents(input.agents, 'agents');
  if (load === 0) return 0;
  if (agents <= load) return Infinity;
  return (waitProbability(load, agents, erlangB(load, agents)) * input.handleSeconds) / (agents - load);
}

/**
 * The fewest agents whose service level reaches the target, or null if none up to the bound does.
 * Zero arrivals need zero agents.
 */
export function agentsNeeded(input: StaffingTarget): number | null {
  const load = offeredLoad(input);
  const target = checkNumber(input.targetSeconds, 'targetSeconds');
  const wanted = checkNumber(input.serviceLevelTarget, 'serviceLevelTarget');
  if (wanted === 0 || wanted > 1) throw new RangeError(`serviceLevelTarget must be in (0, 1], got ${wanted}`);
  const bound = input.maxAgents === undefined ? Math.ceil(load) + DEFAULT_SEARCH_MARGIN : checkAgents(input.maxAgents, 'maxAgents');
  if (load === 0) return 0;
  // Below the offered load the queue grows without end, so the search starts there, and B is
  // carried from one agent count to the next instead of recomputed for each.
  const start = Math.max(1, Math.ceil(load));
  let b = erlangB(load, start);
  for (let agents = start; agents <= bound; agents++) {
    if (agents > start) b = nextErlangB(load, agents, b);
    if (level(load, agents, b, target, input.handleSeconds) >= wanted) return agents;
  }
  return null;
}

/** Offered load in Erlangs, after checking the traffic. */
export function offeredLoad(input: Traffic): number {
  const arrivals = checkNumber(input.arrivals, 'arrivals');
  const period = checkNumber(input.periodSeconds, 'periodSeconds');
  const handle = checkNumber(input.handleSeconds, 'handleSeconds');
  if (period === 0) throw new RangeError('periodSeconds must be greater than 0');
  if (handle === 0) throw new RangeError('handleSeconds must be greater than 0');
  return (arrivals * handle) / period;
}

/** Erlang B (blocking probability) by recursion: B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)). */
function erlangB(load: number, agents: number): number {
  let b = 1;
  for (let n = 1; n <= agents; n++) b = nextErlangB(load, n, b);
  return b;
}

function nextErlangB(load: number, n: number, previous: number): number {
  return (load * previous) / (n + load * previous);
}

function waitProbability(load: number, agents: number, b: number): number {
  // With no traffic no contact arrives, so none waits.
  if (load === 0) return 0;
  // With no more agents than the offered load the queue is unstable: it grows for as long as
  // the period lasts, and every contact waits.
  if (agents <= load) return 1;
  return (agents * b) / (agents - load * (1 - b));
}

function level(load: number, agents: number, b: number, targetSeconds: number, handleSeconds: number): number {
  if (load === 0) return 1;
  if (agents <= load) return 0;
  const c = waitProbability(load, agents, b);
  return Math.min(1, Math.max(0, 1 - c * Math.exp((-(agents - load) * targetSeconds) / handleSeconds)));
}

function checkNumber(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

function checkAgents(value: number, name: string): number {
  checkNumber(value, name);
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be a whole number, got ${value}`);
  return value;
}
