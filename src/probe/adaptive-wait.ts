import { performance } from 'node:perf_hooks';
import { addRoundTrip, NO_ROUND_TRIPS, timeoutFor, type RoundTripState, type TimingBounds } from './timing.js';

/** A wait for an answer that follows its host's timeout as round trips come in (as nmap re-checks outstanding probes). */
export interface SilenceWait {
  /** Resolves when the host's current timeout has passed since the wait began. */
  readonly silent: Promise<void>;
  /** The timeout the wait ended (or stands) on, in ms. */
  armedMs(): number;
  cancel(): void;
}

interface LiveWait {
  readonly started: number;
  readonly fire: () => void;
  handle?: NodeJS.Timeout;
  armedMs: number;
}

interface HostTiming {
  rtt: RoundTripState;
  readonly waits: Set<LiveWait>;
}

export interface AdaptiveTiming<K> {
  /** The host's timeout now: its own estimate, else the whole scan's, else the initial value. */
  timeoutMs(key: K): number;
  /** A measured round trip to the host: updates its estimate and the scan's, and re-arms waits. */
  learn(key: K, rttMs: number): void;
  waitForSilence(key: K): SilenceWait;
}

export function createAdaptiveTiming<K>(bounds: TimingBounds): AdaptiveTiming<K> {
  const hosts = new Map<K, HostTiming>();
  let group: RoundTripState = NO_ROUND_TRIPS;

  const hostOf = (key: K): HostTiming => {
    let host = hosts.get(key);
    if (!host) {
      host = { rtt: NO_ROUND_TRIPS, waits: new Set() };
      hosts.set(key, host);
    }
    return host;
  };
  const estimate = (host: HostTiming): RoundTripState => (host.rtt.samples > 0 ? host.rtt : group);
  const current = (host: HostTiming): number => timeoutFor(estimate(host), bounds);
  const arm = (host: HostTiming, wait: LiveWait): void => {
    const timeoutMs = current(host);
    if (wait.handle !== undefined && timeoutMs === wait.armedMs) return;
    clearTimeout(wait.handle);
    wait.armedMs = timeoutMs;
    wait.handle = setTimeout(wait.fire, Math.max(0, wait.started + timeoutMs - performance.now()));
  };

  return {
    timeoutMs: (key) => current(hostOf(key)),
    learn(key, rttMs) {
      const host = hostOf(key);
      host.rtt = addRoundTrip(host.rtt, rttMs);
      group = addRoundTrip(group, rttMs);
      for (const other of hosts.values()) {
        if (other === host || other.rtt.samples === 0) for (const wait of other.waits) arm(other, wait);
      }
    },
    waitForSilence(key) {
      const host = hostOf(key);
      let wait!: LiveWait;
      const silent = new Promise<void>((resolve) => {
        wait = { started: performance.now(), armedMs: 0, fire: resolve };
      });
      host.waits.add(wait);
      arm(host, wait);
      return {
        silent,
        armedMs: () => wait.armedMs,
        cancel() {
          clearTimeout(wait.handle);
          host.waits.delete(wait);
        },
      };
    },
  };
}
