import { performance } from 'node:perf_hooks';
import type { ObservedState } from '../model/types.js';
import type { Observation, ProbeTarget, ServiceFacts } from './types.js';
import { abortText, meaningOf } from './socket-errors.js';

/** What a connect-style probe reports back to the shared skeleton. */
export interface SocketOutcome {
  answered(service?: ServiceFacts): void;
  failed(error: unknown): void;
}

export interface SocketProbeSpec {
  /** The state silence means on this transport. */
  readonly silent: ObservedState;
  /** What ECONNREFUSED means on this transport, in words. */
  readonly refused: string;
  /** Starts the probe; returns how to release its socket. */
  start(outcome: SocketOutcome): () => void;
}

/**
 * The skeleton every one-socket probe shares: one outcome only, a timeout that means
 * silence, abort on the signal, the socket released in every case.
 */
export function socketProbe(target: ProbeTarget, signal: AbortSignal, spec: SocketProbeSpec): Promise<Observation> {
  const { address, timeoutMs } = target;
  return new Promise<Observation>((resolve) => {
    if (signal.aborted) {
      resolve({ state: 'error', address, attempts: 1, error: abortText(signal) });
      return;
    }
    const started = performance.now();
    const rttMs = (): number => Math.round((performance.now() - started) * 1000) / 1000;
    let done = false;
    let release = (): void => undefined;
    const finish = (observation: Observation): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      release();
      resolve(observation);
    };
    const onAbort = (): void => finish({ state: 'error', address, attempts: 1, error: abortText(signal) });
    const timer = setTimeout(() => finish({ state: spec.silent, address, attempts: 1, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    release = spec.start({
      answered: (service) => finish({ state: 'open', address, attempts: 1, rttMs: rttMs(), ...(service ? { service } : {}) }),
      failed: (error) => {
        const meaning = meaningOf(error, spec.refused);
        finish({
          state: meaning.state,
          address,
          attempts: 1,
          error: meaning.error,
          ...(meaning.code ? { errorCode: meaning.code } : {}),
          ...(meaning.answered ? { rttMs: rttMs() } : {}),
        });
      },
    });
    if (done) release();
  });
}
