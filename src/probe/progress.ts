import type { ObservedState } from '../model/types.js';

/** Where a scan stands, for a progress line. `total` grows once names are resolved. */
export interface Progress {
  readonly total: number;
  readonly done: number;
  readonly open: number;
  readonly closed: number;
  readonly filtered: number;
  /** open|filtered, unresolved, error. */
  readonly other: number;
  readonly elapsedMs: number;
  /** Finished probes per second so far. */
  readonly ratePerSecond: number;
}

export interface ProgressTally {
  setTotal(total: number): void;
  count(state: ObservedState): void;
  snapshot(): Progress;
}

export function createProgressTally(startedAt: number, now: () => number = () => performance.now()): ProgressTally {
  let total = 0;
  const counts = { open: 0, closed: 0, filtered: 0, other: 0 };
  return {
    setTotal(value) {
      total = value;
    },
    count(state) {
      if (state === 'open' || state === 'closed' || state === 'filtered') counts[state] += 1;
      else counts.other += 1;
    },
    snapshot() {
      const done = counts.open + counts.closed + counts.filtered + counts.other;
      const elapsedMs = Math.max(0, now() - startedAt);
      return { total, done, ...counts, elapsedMs, ratePerSecond: elapsedMs > 0 ? (done * 1000) / elapsedMs : 0 };
    },
  };
}
