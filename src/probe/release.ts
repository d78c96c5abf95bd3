import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';

/** Drops a TCP socket without letting a late error escape as an unhandled event. */
export function releaseTcp(socket: Socket): void {
  socket.removeAllListeners();
  socket.on('error', () => undefined);
  socket.destroy();
}

/**
 * Only our own listeners go: dgram keeps internal 'listening' listeners that a close during
 * connect waits on, and removing those would leave the socket open for good.
 */
export function releaseUdp(socket: UdpSocket): void {
  for (const event of ['message', 'error', 'connect']) socket.removeAllListeners(event);
  socket.on('error', () => undefined);
  try {
    socket.close();
  } catch {
    // already closed
  }
}
