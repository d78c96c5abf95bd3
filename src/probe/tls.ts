import type { Socket } from 'node:net';
import { runService } from './service-run.js';
import { handshakeFacts, type TlsClientOptions } from './tls-handshake.js';
import { probeLegacyTls } from './tls-legacy.js';
import type { TlsFacts } from './tls-facts.js';
import type { ProbeTarget, Prober, ServiceFacts } from './types.js';

export interface TlsProberOptions extends TlsClientOptions {
  readonly sessionTimeoutMs: number;
  /** Also try a handshake limited to TLS 1.1. */
  readonly legacyCheck: boolean;
  readonly now?: () => Date;
}

export interface TlsServiceFacts extends TlsFacts, ServiceFacts {
  readonly kind: 'tls';
}

export const TLS_DEFAULTS: TlsProberOptions = { handshakeTimeoutMs: 5000, sessionTimeoutMs: 15000, legacyCheck: true };

/** Implicit TLS (443, 444, 993, 995, 5061, 50636): handshake facts, then the TLS 1.0/1.1 probe. */
export async function implicitTlsFacts(
  target: ProbeTarget,
  options: TlsProberOptions,
  socket: Socket,
  signal: AbortSignal,
): Promise<TlsFacts> {
  const hostName = target.check.destination.host;
  const now = options.now?.() ?? new Date();
  const { facts, socket: tlsSocket } = await handshakeFacts(socket, hostName, options, signal, now);
  tlsSocket?.destroy();
  if (facts.handshake !== 'ok' || !options.legacyCheck) return facts;
  const legacy = await probeLegacyTls(target.address, target.port, hostName, target.timeoutMs, options, signal);
  return { ...facts, legacy };
}

export function makeTlsProber(options: TlsProberOptions = TLS_DEFAULTS): Prober {
  return (target, signal) =>
    runService(target, signal, options.sessionTimeoutMs, async (socket, session): Promise<TlsServiceFacts> => ({
      kind: 'tls',
      ...(await implicitTlsFacts(target, options, socket, session)),
    }));
}
