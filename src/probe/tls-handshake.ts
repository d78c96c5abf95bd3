import { isIP, type Socket } from 'node:net';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { deadline, failureFacts, ProbeFailure, within } from './deadline.js';
import { failedTls, tlsFacts, type TlsFacts } from './tls-facts.js';
import { trustContext } from './trust-store.js';

export interface TlsClientOptions {
  readonly handshakeTimeoutMs: number;
  /** Extra trusted roots (`--ca`), PEM, added to Node's own and the system's. */
  readonly ca?: readonly string[];
  /** Protocol limits for this handshake (the TLS 1.0/1.1 probe sets them). */
  readonly limits?: TlsLimits;
}

export type TlsLimits = Pick<ConnectionOptions, 'minVersion' | 'maxVersion' | 'ciphers'>;

const PHASE = 'TLS handshake';

/** Upgrades a connected socket to TLS with SNI for `hostName`; never rejects on trust, only on failure. */
export function upgradeToTls(
  socket: Socket,
  hostName: string,
  options: TlsClientOptions,
  signal: AbortSignal,
): Promise<TLSSocket> {
  const tlsSocket = connect({
    socket,
    ...(isIP(hostName) ? {} : { servername: hostName }),
    rejectUnauthorized: false,
    secureContext: trustContext(options.ca, options.limits),
  });
  tlsSocket.on('error', () => undefined);
  const handshake = new Promise<TLSSocket>((resolve, reject) => {
    tlsSocket.once('secureConnect', () => resolve(tlsSocket));
    tlsSocket.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ProbeFailure('tls', PHASE, `TLS handshake failed: ${error.code ?? ''} ${error.message}`.replace(/\s+/g, ' '))),
    );
    tlsSocket.once('close', () => reject(new ProbeFailure('tls', PHASE, 'the server closed the connection during the TLS handshake')));
  });
  return within(deadline(PHASE, options.handshakeTimeoutMs), signal, handshake, () => {
    tlsSocket.destroy();
    socket.destroy();
  });
}

/** A handshake as facts: the TLS socket to go on with, or the failure. */
export async function handshakeFacts(
  socket: Socket,
  hostName: string,
  options: TlsClientOptions,
  signal: AbortSignal,
  now: Date,
): Promise<{ facts: TlsFacts; socket?: TLSSocket }> {
  try {
    const tlsSocket = await upgradeToTls(socket, hostName, options, signal);
    return { facts: tlsFacts(tlsSocket, hostName, now), socket: tlsSocket };
  } catch (error) {
    return { facts: failedTls(hostName, failureFacts(error, PHASE)) };
  }
}
