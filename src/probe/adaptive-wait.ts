import { performance } from 'node:perf_hooks';
import { lossSeen, NEW_GROUP, NEW_HOST, nextGroup, nextHost, triesAllowed, waitMs, type GroupTiming, type HostTiming, type TimingEvent, type TimingLimits } from './timing-model.js';

/** A wait for an answer that follows its host's timing as events come in (as nmap re-checks outstanding probes). */
export interface SilenceWait {
  /** Resolves when the host's current wait for this try has passed since the wait began. */
  readonly silent: Promise<void>;
  /** The wait it ended (or stands) on, in ms. */
  armedMs(): number;
  cancel(): void;
}

interface LiveWait {
  readonly started: number;
  readonly retry: number;
  readonly fire: () => void;
  handle?: NodeJS.Timeout;
  armedMs: number;
}

interface HostEntry {
  timing: HostTiming;
  readonly waits: Set<LiveWait>;
}

/** The timing model (timing-model.ts) held for one scan, with the timers that follow it. */
export interface AdaptiveTiming {
  /** The wait for a host's first try now. */
  timeoutMs(host: string): number;
  triesAllowed(host: string): number;
  /** Whether anything (the host or its path) has answered from this host yet. */
  answered(host: string): boolean;
  /** Whether loss was seen on this host's path (or anywhere, once the host answered). */
  lossSeen(host: string): boolean;
  /** Feeds an event to the model and re-arms the waits it changes. */
  record(event: TimingEvent): void;
  waitForSilence(host: string, retry: number): SilenceWait;
}

export function createAdaptiveTiming(limits: TimingLimits): AdaptiveTiming {
  const hosts = new Map<string, HostEntry>();
  let group: GroupTiming = NEW_GROUP;

  const entryOf = (host: string): HostEntry => {
    let entry = hosts.get(host);
    if (!entry) {
      entry = { timing: NEW_HOST, waits: new Set() };
      hosts.set(host, entry);
    }
    return entry;
  };
  const arm = (entry: HostEntry, wait: LiveWait): void => {
    const armedMs = waitMs(entry.timing, group, limits, wait.retry);
    if (wait.handle !== undefined && armedMs === wait.armedMs) return;
    clearTimeout(wait.handle);
    wait.armedMs = armedMs;
    wait.handle = setTimeout(wait.fire, Math.max(0, wait.started + armedMs - performance.now()));
  };

  return {
    timeoutMs: (host) => waitMs(hosts.get(host)?.timing, group, limits, 0),
    triesAllowed: (host) => triesAllowed(hosts.get(host)?.timing, group, limits),
    lossSeen: (host) => lossSeen(hosts.get(host)?.timing, group),
    answered(host) {
      const timing = hosts.get(host)?.timing;
      return timing !== undefined && (timing.own.samples > 0 || timing.path.samples > 0);
    },
    record(event) {
      if (event.kind === 'retired') {
        const entry = hosts.get(event.host);
        if (entry && entry.waits.size === 0) hosts.delete(event.host);
        return;
      }
      const entry = entryOf(event.host);
      const before = group;
      group = nextGroup(group, event);
      entry.timing = nextHost(entry.timing, event);
      for (const wait of entry.waits) arm(entry, wait);
      if (group === before) return;
      // The scan's round trips set the waits of hosts with none of their own; its loss, every host's.
      const everyHost = group.answeredRetry !== before.answeredRetry;
      for (const other of hosts.values()) {
        if (other !== entry && (everyHost || other.timing.own.samples === 0)) for (const wait of other.waits) arm(other, wait);
      }
    },
    waitForSilence(host, retry) {
      const entry = entryOf(host);
      let wait!: LiveWait;
      const silent = new Promise<void>((resolve) => {
        wait = { started: performance.now(), retry, armedMs: 0, fire: resolve };
      });
      entry.waits.add(wait);
      arm(entry, wait);
      return {
        silent,
        armedMs: () => wait.armedMs,
        cancel() {
          clearTimeout(wait.handle);
          entry.waits.delete(wait);
        },
      };
    },
  };
}
