import type { Observation, Prober, ProbeTarget } from '../../src/probe/types.js';

/** Never answers; ends only when its signal aborts (or, if `deaf`, not even then). */
export function silentProber(deaf = false): Prober {
  return (target, signal) =>
    new Promise<Observation>((resolve) => {
      if (deaf) return;
      const done = (): void => resolve({ state: 'error', address: target.address, attempts: 1, error: 'cancelled' });
      if (signal.aborted) done();
      else signal.addEventListener('abort', done, { once: true });
    });
}

/** Records each attempt (start time, address, timeout) and answers per port. */
export function recordingProber(answer: (target: ProbeTarget) => Observation | 'silent', delayMs = 5) {
  const starts: Array<{ at: number; address: string; port: number; timeoutMs: number }> = [];
  const inFlight = new Map<string, number>();
  let maxInFlight = 0;
  const maxPerHost = new Map<string, number>();
  const silent = silentProber();
  const prober: Prober = async (target, signal) => {
    starts.push({ at: performance.now(), address: target.address, port: target.port, timeoutMs: target.timeoutMs });
    const here = (inFlight.get(target.address) ?? 0) + 1;
    inFlight.set(target.address, here);
    maxPerHost.set(target.address, Math.max(maxPerHost.get(target.address) ?? 0, here));
    maxInFlight = Math.max(maxInFlight, [...inFlight.values()].reduce((a, b) => a + b, 0));
    try {
      const outcome = answer(target);
      if (outcome === 'silent') return await silent(target, signal);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return outcome;
    } finally {
      inFlight.set(target.address, (inFlight.get(target.address) ?? 1) - 1);
    }
  };
  return { prober, starts, maxPerHost, maxInFlight: () => maxInFlight };
}
