import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';

/** Drops a TCP socket without letting a late error escape as an unhandled event. */
export function releaseTcp(socket: Socket): void {
  socket.removeAllListeners();
  socket.on('error', () => undefined);
  socket.destroy();
}

export function releaseUdp(socket: UdpSocket): void {
  socket.removeAllListeners();
  socket.on('error', () => undefined);
  try {
    socket.close();
  } catch {
    // already closed
  }
}
