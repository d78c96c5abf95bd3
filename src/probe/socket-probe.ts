import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ObservedState } from '../model/types.js';
import type { Observation, ProbeTarget, ServiceFacts } from './types.js';
import { missingRoute } from './local-route.js';
import { abortText, errorCode, meaningOf, ROUTE_DEPENDENT } from './socket-errors.js';

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
  /** Starts the probe; returns how to release its socket. May throw: that is a failure too. */
  start(outcome: SocketOutcome): () => void;
}

/**
 * The skeleton every one-socket probe shares: one outcome only, a timeout that means
 * silence, abort on the signal, the socket released in every case. An error that this
 * machine's own routing may have raised is checked against a route lookup before it is read.
 */
export function socketProbe(target: ProbeTarget, signal: AbortSignal, spec: SocketProbeSpec): Promise<Observation> {
  const { address, timeoutMs } = target;
  return new Promise<Observation>((resolve) => {
    if (signal.aborted) {
      resolve({ state: 'error', address, attempts: 1, error: abortText(signal) });
      return;
    }
    const started = performance.now();
    let done = false;
    let failing = false;
    let release = (): void => undefined;
    const finish = (observation: Observation): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      release();
      resolve(observation);
    };
    const read = (error: unknown, rttMs: number, routeMissing: string | undefined): void => {
      const meaning = meaningOf(error, spec.refused, { family: isIP(address) === 6 ? 6 : 4, ...(routeMissing ? { routeMissing } : {}) });
      finish({
        state: meaning.state,
        address,
        attempts: 1,
        error: meaning.error,
        ...(meaning.code ? { errorCode: meaning.code } : {}),
        ...(meaning.answered ? { rttMs } : {}),
      });
    };
    const onAbort = (): void => finish({ state: 'error', address, attempts: 1, error: abortText(signal) });
    const timer = setTimeout(() => finish({ state: spec.silent, address, attempts: 1, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    const outcome: SocketOutcome = {
      answered: (service) => finish({ state: 'open', address, attempts: 1, rttMs: roundTrip(started), ...(service ? { service } : {}) }),
      failed: (error) => {
        if (done || failing) return;
        const rttMs = roundTrip(started);
        if (!ROUTE_DEPENDENT.has(errorCode(error) ?? '')) return read(error, rttMs, undefined);
        failing = true;
        void missingRoute(address).then((missing) => read(error, rttMs, missing));
      },
    };
    try {
      release = spec.start(outcome);
    } catch (error) {
      outcome.failed(error);
    }
    if (done) release();
  });
}

const roundTrip = (started: number): number => Math.round((performance.now() - started) * 1000) / 1000;
