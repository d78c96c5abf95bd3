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
 * filtered; silence -> open|filtered.
 */
export const udpProber: Prober = (target, signal) =>
  socketProbe(target, signal, {
    silent: 'open|filtered',
    refused: 'ICMP port unreachable',
    start(outcome) {
      const socket = createSocket(isIP(target.address) === 6 ? 'udp6' : 'udp4');
      socket.once('error', (error) => outcome.failed(error));
      socket.once('message', (message) => outcome.answered({ kind: 'udp', bytes: message.length }));
      socket.connect(target.port, target.address, () => socket.send(udpPayloadFor(target.port)));
      return () => releaseUdp(socket);
    },
  });
