import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { releaseUdp } from './release.js';
import { errorCode } from './socket-errors.js';

export { localReason } from './socket-errors.js';

/**
 * Whether this machine has a route to `address`: connecting a UDP socket looks the route up
 * and sends nothing. Resolves with the error code when there is none, undefined when there is.
 * Tells a TCP connect's ENETUNREACH raised here from one a router's ICMP caused.
 */
export function missingRoute(address: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    const done = (code: string | undefined): void => {
      releaseUdp(socket);
      resolve(code);
    };
    socket.on('error', (error) => done(errorCode(error) ?? 'EINVAL'));
    try {
      // Port 9 (discard): any port does, nothing is sent.
      socket.connect(9, address, (error?: Error) => done(error ? (errorCode(error) ?? 'EINVAL') : undefined));
    } catch (error) {
      done(errorCode(error) ?? 'EINVAL');
    }
  });
}
