import { Socket } from 'node:net';
import type { Prober } from './types.js';
import { releaseTcp } from './release.js';
import { socketProbe } from './socket-probe.js';

/**
 * TCP connect: accepted -> open, reset -> closed, silence or ICMP unreachable -> filtered.
 * Sends nothing; the connection is closed as soon as it is made.
 */
export const tcpProber: Prober = (target, signal) =>
  socketProbe(target, signal, {
    silent: 'filtered',
    refused: 'connection refused',
    start(outcome) {
      const socket = new Socket();
      socket.on('error', (error) => outcome.failed(error));
      socket.once('connect', () => outcome.answered());
      try {
        socket.connect({ host: target.address, port: target.port });
      } catch (thrown) {
        releaseTcp(socket);
        throw thrown;
      }
      return () => releaseTcp(socket);
    },
  });
