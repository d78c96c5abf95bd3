import { createServer } from 'node:tls';
import { listen, type KeyPair, type Listener } from './listener.js';

/**
 * A TLS listener standing in for AD LDS secure LDAP on the Edge server (EdgeSync, 50636):
 * completes the handshake and waits; EdgeSync traffic itself is not simulated.
 */
export function startTlsService(options: { address: string; port: number; keyPair: KeyPair }): Promise<Listener> {
  const server = createServer({ ...options.keyPair }, (socket) => {
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.resume();
  });
  return listen(server, options.address, options.port);
}
