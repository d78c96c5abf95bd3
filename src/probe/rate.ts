/**
 * At most `perSecond` starts per second, spaced evenly. `take` resolves when the caller may
 * start; an aborted signal resolves it at once (the caller checks the signal).
 */
export interface RateLimiter {
  take(signal: AbortSignal): Promise<void>;
}

export function createRateLimiter(perSecond: number | undefined): RateLimiter {
  if (!perSecond || perSecond <= 0 || !Number.isFinite(perSecond)) return { take: async () => undefined };
  const spacingMs = 1000 / perSecond;
  let next = 0;
  return {
    take(signal) {
      const now = performance.now();
      const at = Math.max(now, next);
      next = at + spacingMs;
      const wait = at - now;
      if (wait < 1 || signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}
