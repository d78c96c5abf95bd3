import { Socket } from 'node:net';
import type { ObservedState } from '../model/types.js';

export type Connected = { readonly ok: true; readonly socket: Socket; readonly rttMs: number };
export type NotConnected = { readonly ok: false; readonly state: ObservedState; readonly error: string; readonly rttMs?: number };

const FILTERED = new Set(['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM', 'EHOSTDOWN']);

/** nmap's reading of a failed TCP connect: refused is closed, silence or prohibited is filtered. */
export function connectState(code: string | undefined): ObservedState {
  if (code === 'ECONNREFUSED') return 'closed';
  return code && FILTERED.has(code) ? 'filtered' : 'error';
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** One TCP connect for a service checker, bounded by `timeoutMs` and the signal. */
export function connectTcp(address: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Connected | NotConnected> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = new Socket();
    // An error after the dialogue has given up on the socket must never become an uncaught exception.
    socket.on('error', () => undefined);
    const finish = (result: Connected | NotConnected): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      if (!result.ok) socket.destroy();
      resolve(result);
    };
    const onConnect = (): void => finish({ ok: true, socket, rttMs: round(performance.now() - started) });
    const onError = (error: NodeJS.ErrnoException): void =>
      finish({ ok: false, state: connectState(error.code), error: `connect: ${error.code ?? error.message}` });
    const onAbort = (): void => finish({ ok: false, state: 'error', error: 'connect: aborted' });
    const timer = setTimeout(
      () => finish({ ok: false, state: 'filtered', error: `connect: timed out after ${timeoutMs} ms` }),
      timeoutMs,
    );
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', onConnect);
    socket.on('error', onError);
    socket.connect({ host: address, port });
  });
}
