import { addRoundTrip, NO_ROUND_TRIPS, timeoutFor, type RoundTripState } from '../../src/probe/timing.js';

const T3 = { initialMs: 1000, minMs: 100, maxMs: 10_000 };
const feed = (deltas: number[]): RoundTripState => deltas.reduce(addRoundTrip, NO_ROUND_TRIPS);

describe('adaptive timeout (nmap)', () => {
  it('uses the initial value, clamped, before any round trip', () => {
    expect(timeoutFor(NO_ROUND_TRIPS, T3)).toBe(1000);
    expect(timeoutFor(NO_ROUND_TRIPS, { initialMs: 50_000, minMs: 100, maxMs: 1250 })).toBe(1250);
    expect(timeoutFor(NO_ROUND_TRIPS, { initialMs: 10, minMs: 100, maxMs: 1250 })).toBe(100);
  });

  it('first sample: srtt = delta, rttvar = delta kept within 5 ms .. 2 s', () => {
    expect(feed([40])).toEqual({ srttMs: 40, rttvarMs: 40, samples: 1 });
    expect(feed([1])).toEqual({ srttMs: 1, rttvarMs: 5, samples: 1 });
    expect(feed([3000])).toEqual({ srttMs: 3000, rttvarMs: 2000, samples: 1 });
    expect(timeoutFor(feed([40]), T3)).toBe(200);
    expect(timeoutFor(feed([300]), T3)).toBe(1500);
  });

  it('later samples: srtt += err/8, rttvar += (|err| - rttvar)/4, err against the old srtt', () => {
    const state = feed([40, 80]);
    expect(state.srttMs).toBe(45);
    expect(state.rttvarMs).toBe(40);
    const third = addRoundTrip(state, 45);
    expect(third.srttMs).toBe(45);
    expect(third.rttvarMs).toBe(30);
    expect(timeoutFor(third, T3)).toBe(165);
  });

  it('converges to the floor on a fast, steady path and clamps to the bounds', () => {
    const steady = feed(Array.from({ length: 50 }, () => 0.2));
    expect(steady.srttMs).toBeCloseTo(0.2, 5);
    expect(steady.rttvarMs).toBeLessThan(0.01);
    expect(timeoutFor(steady, T3)).toBe(100);
    expect(timeoutFor(feed([5000, 5000]), T3)).toBe(10_000);
  });

  it('grows again when round trips get slower', () => {
    const fast = feed([10, 10, 10, 10]);
    const slower = feed([10, 10, 10, 10, 400]);
    expect(timeoutFor(slower, T3)).toBeGreaterThan(timeoutFor(fast, T3));
    expect(timeoutFor(slower, T3)).toBe(Math.round(slower.srttMs! + 4 * slower.rttvarMs!));
  });
});
