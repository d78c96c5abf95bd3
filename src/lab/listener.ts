import type { Server, Socket } from 'node:net';

/** A running lab service: where it listens, and how to stop it. */
export interface Listener {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

/**
 * Listens (port 0 picks a free port) and keeps track of open connections, so that close()
 * ends them too instead of waiting for clients to go away.
 */
export function listen(server: Server, address: string, port: number): Promise<Listener> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', reject);
      const bound = server.address();
      const actual = typeof bound === 'object' && bound ? bound.port : port;
      resolve({
        address,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
