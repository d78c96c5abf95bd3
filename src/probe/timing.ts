/**
 * nmap's adaptive retransmission timeout (timing.cc, adjust_timeouts2), pure:
 * timeout = srtt + 4 * rttvar, clamped to [min, max]. Before the first round trip the
 * initial value is used. Times are in milliseconds.
 */
export interface TimingBounds {
  readonly initialMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface RoundTripState {
  /** Smoothed round trip; undefined until the first sample. */
  readonly srttMs?: number;
  readonly rttvarMs?: number;
  readonly samples: number;
}

export const NO_ROUND_TRIPS: RoundTripState = { samples: 0 };

/** nmap keeps rttvar between 5 ms and 2 s on the first sample. */
const FIRST_RTTVAR_MIN_MS = 5;
const FIRST_RTTVAR_MAX_MS = 2000;

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** Feeds one measured round trip into the estimate. */
export function addRoundTrip(state: RoundTripState, deltaMs: number): RoundTripState {
  const delta = Math.max(0, deltaMs);
  if (state.srttMs === undefined || state.rttvarMs === undefined) {
    return { srttMs: delta, rttvarMs: clamp(delta, FIRST_RTTVAR_MIN_MS, FIRST_RTTVAR_MAX_MS), samples: 1 };
  }
  const error = delta - state.srttMs;
  return {
    srttMs: state.srttMs + error / 8,
    rttvarMs: state.rttvarMs + (Math.abs(error) - state.rttvarMs) / 4,
    samples: state.samples + 1,
  };
}

/** The time to wait for an answer before calling a probe silent. */
export function timeoutFor(state: RoundTripState, bounds: TimingBounds): number {
  const low = Math.min(bounds.minMs, bounds.maxMs);
  if (state.srttMs === undefined || state.rttvarMs === undefined) return clamp(bounds.initialMs, low, bounds.maxMs);
  return Math.round(clamp(state.srttMs + 4 * state.rttvarMs, low, bounds.maxMs));
}
