/**
 * Quick-exit key gestures, shared by the loader (on the host page) and the chat app (in
 * the iframe): Shift tapped three times within 1.5 s, or Escape tapped twice within 1 s.
 * Any other key in between resets the count, so typing capital letters never triggers it.
 */
const SHIFT_TAPS = 3;
const SHIFT_WINDOW_MS = 1500;
const ESCAPE_TAPS = 2;
const ESCAPE_WINDOW_MS = 1000;

export interface KeyLike {
  key: string;
  repeat: boolean;
}

export function createExitKeyDetector(
  onExit: () => void,
  now: () => number = () => performance.now(),
): (event: KeyLike) => void {
  let taps: number[] = [];
  let tapKey = '';
  return (event) => {
    if (event.repeat) return;
    if (event.key !== 'Shift' && event.key !== 'Escape') {
      taps = [];
      return;
    }
    const t = now();
    if (event.key !== tapKey) {
      tapKey = event.key;
      taps = [];
    }
    const [needed, windowMs] = event.key === 'Shift' ? [SHIFT_TAPS, SHIFT_WINDOW_MS] : [ESCAPE_TAPS, ESCAPE_WINDOW_MS];
    taps = [...taps.filter((at) => t - at <= windowMs), t];
    if (taps.length >= needed) {
      taps = [];
      onExit();
    }
  };
}
