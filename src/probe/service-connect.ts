import { Socket } from 'node:net';
import type { ObservedState } from '../model/types.js';
import { meaningOf } from './socket-errors.js';

export type Connected = { readonly ok: true; readonly socket: Socket; readonly rttMs: number };
export type NotConnected = {
  readonly ok: false;
  readonly state: ObservedState;
  readonly error: string;
  readonly errorCode?: string;
  readonly rttMs?: number;
};

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** One TCP connect for a service checker, bounded by `timeoutMs` and the signal. */
export function connectTcp(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Connected | NotConnected> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = new Socket();
    // An error after the dialogue has given up on the socket must never become an uncaught exception.
    socket.on('error', () => undefined);
    let settled = false;
    const finish = (result: Connected | NotConnected): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const onConnect = (): void => finish({ ok: true, socket, rttMs: round(performance.now() - started) });
    // The same reading of connect errors as the TCP prober; the code lets the engine pause on EMFILE.
    const onError = (error: NodeJS.ErrnoException): void => {
      const meaning = meaningOf(error, 'connection refused');
      finish({ ok: false, state: meaning.state, error: meaning.error, ...(meaning.code ? { errorCode: meaning.code } : {}) });
    };
    const onAbort = (): void => finish({ ok: false, state: 'error', error: 'cancelled before the connection was made' });
    // After a stall of the event loop the timer runs before the I/O that came in meanwhile: the
    // verdict waits for that I/O (setImmediate runs after it), so an answer that came is counted.
    const timer = setTimeout(() => setImmediate(() => finish({ ok: false, state: 'filtered', error: `no answer within ${timeoutMs} ms` })), timeoutMs);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', onConnect);
    socket.on('error', onError);
    socket.connect({ host: address, port });
  });
}
