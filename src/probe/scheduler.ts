import pLimit, { type LimitFunction } from 'p-limit';

type Job = () => Promise<void>;

interface HostQueue {
  jobs: Array<Job | undefined>;
  head: number;
  running: number;
}

/**
 * Starts jobs round-robin over hosts, at most `perHost` at once per host and at most the
 * p-limit's concurrency in all. Jobs wait here, not in p-limit, so a scan of 10,000 probes
 * holds 10,000 small closures, not 10,000 pending promises, and no host gets a burst.
 */
export interface Scheduler<K> {
  /** The global limit; lowering its concurrency takes effect at the next start. */
  readonly limit: LimitFunction;
  push(key: K, job: Job): void;
  /** Drops every job not started yet; jobs already handed to p-limit still run (they check the cut themselves). */
  clear(): void;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
}

/** Compact a host's queue once this many started jobs sit in front of it. */
const COMPACT_AFTER = 1024;

export function createScheduler<K>(concurrency: number, perHost: number): Scheduler<K> {
  const limit = pLimit(Math.max(1, Math.floor(concurrency)));
  const hostCap = Math.max(1, Math.floor(perHost));
  const queues = new Map<K, HostQueue>();
  const ring: HostQueue[] = [];
  let cursor = 0;
  let queued = 0;
  let running = 0;
  let waiters: Array<() => void> = [];

  const settleIdle = (): void => {
    if (queued > 0 || running > 0) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };

  const next = (): HostQueue | undefined => {
    for (let step = 0; step < ring.length; step += 1) {
      const queue = ring[(cursor + step) % ring.length]!;
      if (queue.head < queue.jobs.length && queue.running < hostCap) {
        cursor = (cursor + step + 1) % ring.length;
        return queue;
      }
    }
    return undefined;
  };

  const pump = (): void => {
    while (queued > 0 && limit.activeCount + limit.pendingCount < limit.concurrency) {
      const queue = next();
      if (!queue) return;
      const job = queue.jobs[queue.head]!;
      queue.jobs[queue.head] = undefined;
      queue.head += 1;
      if (queue.head >= COMPACT_AFTER && queue.head * 2 >= queue.jobs.length) {
        queue.jobs = queue.jobs.slice(queue.head);
        queue.head = 0;
      }
      queued -= 1;
      queue.running += 1;
      running += 1;
      void limit(job)
        .catch(() => undefined)
        .finally(() => {
          queue.running -= 1;
          running -= 1;
          pump();
          settleIdle();
        });
    }
  };

  return {
    limit,
    push(key, job) {
      let queue = queues.get(key);
      if (!queue) {
        queue = { jobs: [], head: 0, running: 0 };
        queues.set(key, queue);
        ring.push(queue);
      }
      queue.jobs.push(job);
      queued += 1;
      pump();
    },
    clear() {
      for (const queue of ring) {
        queue.jobs = [];
        queue.head = 0;
      }
      queued = 0;
      settleIdle();
    },
    idle() {
      if (queued === 0 && running === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
