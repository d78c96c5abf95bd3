import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Prober } from './types.js';
import { releaseUdp } from './release.js';
import { socketProbe } from './socket-probe.js';
import { udpPayloadFor } from './udp-payloads.js';

/**
 * Generic UDP: one connected socket per probe, so ICMP port unreachable comes back as
 * ECONNREFUSED; well-known ports get a request their service answers (NTP, CLDAP).
 * Any datagram back -> open; port unreachable -> closed; other ICMP unreachable ->
 * filtered; silence -> open|filtered. A failed connect (no route: nothing sent) or send is an
 * error the skeleton reads, never an exception.
 */
export const udpProber: Prober = (target, signal) =>
  socketProbe(target, signal, {
    silent: 'open|filtered',
    refused: 'ICMP port unreachable',
    start(outcome) {
      const socket = createSocket(isIP(target.address) === 6 ? 'udp6' : 'udp4');
      const release = (): void => releaseUdp(socket);
      socket.on('error', (error) => outcome.failed(error));
      socket.once('message', (message) => outcome.answered({ kind: 'udp', bytes: message.length }));
      const sent = (error?: Error | null): void => {
        if (error) outcome.failed(error);
      };
      try {
        socket.connect(target.port, target.address, (error?: Error) => {
          if (error) return outcome.failed(error);
          try {
            socket.send(udpPayloadFor(target.port), sent);
          } catch (thrown) {
            outcome.failed(thrown);
          }
        });
      } catch (thrown) {
        release();
        throw thrown;
      }
      return release;
    },
  });
