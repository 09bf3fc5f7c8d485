/**
 * The bench's operator accounts and the one queue its visitors use. Every account has the
 * largest capacity an account may have (operators-file.ts: 1–10), so 100 operators hold
 * 1,000 chats.
 */
export const BENCH_OPERATOR = {
  role: 'operator' as const,
  lines: ['1712'],
  languages: ['nl'],
  topics: ['violence', 'abuse', 'child-abuse'],
  capacity: 10,
};

export const BENCH_REQUEST = { line: '1712', language: 'nl', topic: 'violence' } as const;

export function operatorIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench-op-${String(i).padStart(4, '0')}`);
}

/** Enough operators for `chats` chats at full capacity. */
export function operatorsFor(chats: number): number {
  return Math.max(1, Math.ceil(chats / BENCH_OPERATOR.capacity));
}
