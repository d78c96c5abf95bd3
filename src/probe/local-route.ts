import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { releaseUdp } from './release.js';
import type { Observation } from './types.js';
import { errorCode, localReason, ROUTE_DEPENDENT } from './socket-errors.js';

export { localReason };

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

/**
 * An observation a prober read as the network's answer (ICMP unreachable or prohibited) that this
 * machine's own routing raised instead: `not probed`, without a round trip. Any prober's, so a
 * service check's connect is read like the TCP prober's.
 */
export async function localized(observation: Observation, address: string, lookUp = missingRoute): Promise<Observation> {
  const code = observation.errorCode;
  if (observation.state === 'error' || code === undefined || !ROUTE_DEPENDENT.has(code)) return observation;
  const missing = await lookUp(address);
  if (missing === undefined) return observation;
  const { rttMs: _rttMs, service: _service, ...rest } = observation;
  return { ...rest, state: 'error', error: `not probed: ${localReason(missing) ?? 'no route to it from this machine'} (${code})` };
}
