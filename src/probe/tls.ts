import type { Socket } from 'node:net';
import { runService } from './service-run.js';
import { handshakeFacts, type TlsClientOptions } from './tls-handshake.js';
import { besideLegacy, legacyHandshake } from './tls-legacy.js';
import type { TlsFacts } from './tls-facts.js';
import { serverName, type ProbeTarget, type Prober, type ServiceFacts } from './types.js';

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

/** Implicit TLS (443, 444, 993, 995, 5061, 50636): handshake facts, and beside them the TLS 1.0/1.1 probe. */
export async function implicitTlsFacts(
  target: ProbeTarget,
  options: TlsProberOptions,
  socket: Socket,
  signal: AbortSignal,
): Promise<TlsFacts> {
  const hostName = serverName(target);
  const main = async (admitted: () => void = () => undefined): Promise<{ tls: TlsFacts }> => {
    admitted();
    const { facts, socket: tlsSocket } = await handshakeFacts(socket, hostName, options, signal, options.now?.() ?? new Date());
    tlsSocket?.destroy();
    return { tls: facts };
  };
  if (!options.legacyCheck) return (await main()).tls;
  return (await besideLegacy(signal, (own) => legacyHandshake(target, hostName, options, own), main)).tls;
}

export function makeTlsProber(options: TlsProberOptions = TLS_DEFAULTS): Prober {
  return (target, signal) =>
    runService(target, signal, options.sessionTimeoutMs, async (socket, session): Promise<TlsServiceFacts> => ({
      kind: 'tls',
      ...(await implicitTlsFacts(target, options, socket, session)),
    }));
}
