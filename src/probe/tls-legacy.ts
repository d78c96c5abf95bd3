import type { Socket } from 'node:net';
import { ProbeFailure } from './deadline.js';
import { connectTcp } from './service-connect.js';
import { handshakeFacts, type TlsClientOptions, type TlsLimits } from './tls-handshake.js';
import type { LegacyTlsFacts, TlsFacts } from './tls-facts.js';
import type { ProbeTarget } from './types.js';

/** At most TLS 1.1, at OpenSSL security level 0 so that Node can offer it at all. */
export const LEGACY_LIMITS: TlsLimits = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' };

const LOCAL_REFUSAL = /NO_PROTOCOLS_AVAILABLE|NO_CIPHERS_AVAILABLE|no protocols available|no ciphers available/i;

/** What a handshake limited to TLS 1.1 says: accepted, refused, or not testable from here. */
export function legacyOutcome(facts: TlsFacts | undefined, before: string | undefined): LegacyTlsFacts {
  if (!facts) return { tested: false, note: `could not test: ${before ?? 'the dialogue ended before TLS'}` };
  if (facts.handshake === 'ok') return { tested: true, accepted: true, ...(facts.version ? { version: facts.version } : {}) };
  const message = facts.failure?.message ?? '';
  if (LOCAL_REFUSAL.test(message)) return { tested: false, note: 'could not test: the local OpenSSL cannot offer TLS 1.0/1.1' };
  if (facts.failure?.reason === 'tls') return { tested: true, accepted: false };
  return { tested: false, note: `could not test: ${message}` };
}

/**
 * The legacy check's own connection. When the service took the main connection but not this
 * one (a limit on connections per client), the note says so: it is no fact about the service.
 */
async function onSecondConnection(
  target: ProbeTarget,
  signal: AbortSignal,
  run: (socket: Socket) => Promise<LegacyTlsFacts>,
): Promise<LegacyTlsFacts> {
  const connected = await connectTcp(target.address, target.port, target.timeoutMs, signal);
  if (!connected.ok) return legacyOutcome(undefined, `a second connection, beside the main one, failed: ${connected.error}`);
  try {
    return await run(connected.socket);
  } finally {
    connected.socket.destroy();
  }
}

/** A handshake offering at most TLS 1.1 on a connection of its own (implicit TLS). */
export function legacyHandshake(target: ProbeTarget, hostName: string, options: TlsClientOptions, signal: AbortSignal): Promise<LegacyTlsFacts> {
  return onSecondConnection(target, signal, async (socket) => {
    const { facts, socket: tlsSocket } = await handshakeFacts(socket, hostName, { ...options, limits: LEGACY_LIMITS }, signal, new Date());
    tlsSocket?.destroy();
    return legacyOutcome(facts, undefined);
  });
}

/** The note's reason when the service turned the second session away (its greeting, clipped). */
export function secondSessionRefused(greeting: string): string {
  return `the service refused a second session beside the main one: ${greeting.length > 120 ? `${greeting.slice(0, 120)}...` : greeting}`;
}

/**
 * The service's whole dialogue on a connection of its own, up to and through a handshake that
 * offers at most TLS 1.1 (STARTTLS or implicit TLS). `refusal` says why a session that never
 * reached TLS was turned away (a 421 greeting), so the note names it.
 */
export function legacyDialogue<F extends { readonly tls?: TlsFacts; readonly failure?: { readonly message: string } }>(
  target: ProbeTarget,
  signal: AbortSignal,
  again: (socket: Socket, limits: TlsLimits, signal: AbortSignal) => Promise<F>,
  refusal: (facts: F) => string | undefined,
): Promise<LegacyTlsFacts> {
  return onSecondConnection(target, signal, async (socket) => {
    const second = await again(socket, LEGACY_LIMITS, signal);
    return legacyOutcome(second.tls, refusal(second) ?? second.failure?.message);
  });
}

/**
 * Runs the main dialogue and the TLS 1.0/1.1 check side by side, each on its own connection:
 * the check takes the longer of the two, not their sum. The second connection is opened when
 * `main` calls `admitted`: once the service has let the main session in (its greeting, or at
 * once for implicit TLS), so that a service that limits connections per client refuses the
 * second session, never the main one. The legacy facts join the main facts only when the main
 * handshake succeeded (otherwise the check is stopped), and not when the scan was cut before
 * the check could tell.
 */
export async function besideLegacy<F extends { readonly tls?: TlsFacts }>(
  signal: AbortSignal,
  legacy: (signal: AbortSignal) => Promise<LegacyTlsFacts>,
  main: (admitted: () => void) => Promise<F>,
): Promise<F> {
  const own = new AbortController();
  const follow = (): void => own.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  let second: Promise<LegacyTlsFacts> | undefined;
  try {
    const facts = await main(() => {
      second ??= legacy(own.signal);
    });
    if (!second) return facts;
    if (facts.tls?.handshake !== 'ok') {
      own.abort(new ProbeFailure('aborted', 'TLS 1.0/1.1 check', 'not needed: the main dialogue had no working TLS'));
      await second;
      return facts;
    }
    const outcome = await second;
    if (signal.aborted && !outcome.tested) return facts;
    return { ...facts, tls: { ...facts.tls, legacy: outcome } };
  } finally {
    signal.removeEventListener('abort', follow);
  }
}
