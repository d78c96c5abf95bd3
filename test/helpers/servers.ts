import { createServer, type Server, type AddressInfo } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';

/** A TCP server on loopback (a free port unless given) that accepts and closes. */
export async function listenTcp(host = '127.0.0.1', port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** A port that was free a moment ago: bound, then released. Nothing listens there. */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  const { server, port } = await listenTcp(host);
  await closeServer(server);
  return port;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A UDP echo server on loopback (a free port unless given). */
export async function listenUdpEcho(host = '127.0.0.1', port = 0): Promise<{ socket: UdpSocket; port: number }> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (message, rinfo) => socket.send(message.length > 0 ? message : Buffer.from('pong'), rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(port, host, () => resolve()));
  return { socket, port: socket.address().port };
}

export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const { socket, port } = await listenUdpEcho(host);
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
