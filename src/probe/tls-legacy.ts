import type { Socket } from 'node:net';
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

/** A second connection whose handshake offers at most TLS 1.1 (implicit TLS). */
export async function probeLegacyTls(
  address: string,
  port: number,
  hostName: string,
  connectMs: number,
  options: TlsClientOptions,
  signal: AbortSignal,
): Promise<LegacyTlsFacts> {
  const connected = await connectTcp(address, port, connectMs, signal);
  if (!connected.ok) return legacyOutcome(undefined, connected.error);
  try {
    const { facts, socket } = await handshakeFacts(connected.socket, hostName, { ...options, limits: LEGACY_LIMITS }, signal, new Date());
    socket?.destroy();
    return legacyOutcome(facts, undefined);
  } finally {
    connected.socket.destroy();
  }
}

/**
 * Whether a service still accepts TLS 1.0/1.1: its whole dialogue once more on a new
 * connection, up to and through a handshake limited to TLS 1.1 (STARTTLS or implicit TLS).
 * Facts without a successful first handshake are returned as they are.
 */
export async function withLegacyTls<F extends { readonly tls?: TlsFacts; readonly failure?: { readonly message: string } }>(
  facts: F,
  target: ProbeTarget,
  signal: AbortSignal,
  again: (socket: Socket, limits: TlsLimits) => Promise<F>,
): Promise<F> {
  if (facts.tls?.handshake !== 'ok' || signal.aborted) return facts;
  const connected = await connectTcp(target.address, target.port, target.timeoutMs, signal);
  let legacy: LegacyTlsFacts;
  if (!connected.ok) legacy = legacyOutcome(undefined, connected.error);
  else {
    try {
      const second = await again(connected.socket, LEGACY_LIMITS);
      legacy = legacyOutcome(second.tls, second.failure?.message);
    } finally {
      connected.socket.destroy();
    }
  }
  return { ...facts, tls: { ...facts.tls, legacy } };
}
