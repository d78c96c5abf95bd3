import { createServer as createTcpServer, type Socket } from 'node:net';
import { createServer } from 'node:tls';
import { listen, type KeyPair, type Listener } from './listener.js';

/**
 * A TLS listener standing in for AD LDS secure LDAP on the Edge server (EdgeSync, 50636):
 * completes the handshake and waits; EdgeSync traffic itself is not simulated.
 */
export function startTlsService(options: { address: string; port: number; keyPair: KeyPair }): Promise<Listener> {
  return listen(createServer({ ...options.keyPair }, hold), options.address, options.port);
}

/** Accepts and holds plain TCP connections (a Windows port such as RDP or SMB, unspoken). */
export function startPlainTcp(address: string, port: number): Promise<Listener> {
  return listen(createTcpServer(hold), address, port);
}

function hold(socket: Socket): void {
  socket.setTimeout(10_000, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.resume();
}
