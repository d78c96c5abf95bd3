import { isIP, type Socket } from 'node:net';
import { connect, rootCertificates, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { deadline, failureFacts, ProbeFailure, within } from './deadline.js';
import { connectTcp } from './service-connect.js';
import { failedTls, tlsFacts, type LegacyTlsFacts, type TlsFacts } from './tls-facts.js';

export interface TlsClientOptions {
  readonly handshakeTimeoutMs: number;
  /** Extra trusted roots (`--ca`), PEM, added to Node's own. */
  readonly ca?: readonly string[];
}

type Limits = Pick<ConnectionOptions, 'minVersion' | 'maxVersion' | 'ciphers'>;

const PHASE = 'TLS handshake';

/** Upgrades a connected socket to TLS with SNI for `hostName`; never rejects on trust, only on failure. */
export function upgradeToTls(
  socket: Socket,
  hostName: string,
  options: TlsClientOptions,
  signal: AbortSignal,
  limits: Limits = {},
): Promise<TLSSocket> {
  const tlsSocket = connect({
    socket,
    ...(isIP(hostName) ? {} : { servername: hostName }),
    rejectUnauthorized: false,
    ca: options.ca?.length ? [...rootCertificates, ...options.ca] : undefined,
    ...limits,
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

const LOCAL_REFUSAL = /NO_PROTOCOLS_AVAILABLE|NO_CIPHERS_AVAILABLE|no protocols available|no ciphers available/i;

/** A second connection whose handshake offers at most TLS 1.1 (OpenSSL security level 0 so Node can offer it). */
export async function probeLegacyTls(
  address: string,
  port: number,
  hostName: string,
  connectMs: number,
  options: TlsClientOptions,
  signal: AbortSignal,
): Promise<LegacyTlsFacts> {
  const connected = await connectTcp(address, port, connectMs, signal);
  if (!connected.ok) return { tested: false, note: `could not test: ${connected.error}` };
  try {
    const tlsSocket = await upgradeToTls(connected.socket, hostName, options, signal, {
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    const version = tlsSocket.getProtocol() ?? undefined;
    tlsSocket.destroy();
    return { tested: true, accepted: true, ...(version ? { version } : {}) };
  } catch (error) {
    const failure = error instanceof ProbeFailure ? error : new ProbeFailure('error', PHASE, String(error));
    if (failure.reason === 'tls' && !LOCAL_REFUSAL.test(failure.message)) return { tested: true, accepted: false };
    const why = LOCAL_REFUSAL.test(failure.message) ? 'the local OpenSSL cannot offer TLS 1.0/1.1' : failure.message;
    return { tested: false, note: `could not test: ${why}` };
  } finally {
    connected.socket.destroy();
  }
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
