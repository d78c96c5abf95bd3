// A TCP proxy on loopback that delays every byte and every close by a one-way delay in each
// direction: a server `2 * oneWayMs` round trips away, for tests and measurements only. The
// client's own TCP handshake is with the proxy and is not delayed; the proxy connects upstream
// one way later, so a greeting still arrives one round trip after the client's connect.
import { connect, createServer } from 'node:net';

/**
 * @param {{ upstreamPort: number, oneWayMs: number, upstreamHost?: string }} options
 * @returns {Promise<import('./delay-proxy.js').DelayProxy>}
 */
export async function startDelayProxy({ upstreamPort, oneWayMs, upstreamHost = '127.0.0.1' }) {
  const sockets = new Set();
  const timers = new Set();
  const later = (action) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, oneWayMs);
    timers.add(timer);
  };
  /** Everything `from` sends reaches `to` one way later, in order, its end and reset too. */
  const pipeDelayed = (from, to) => {
    from.on('data', (chunk) => later(() => to.destroyed || to.write(chunk)));
    from.on('end', () => later(() => to.destroyed || to.end()));
    from.on('close', () => later(() => to.destroyed || to.destroySoon()));
    from.on('error', () => later(() => to.resetAndDestroy?.() ?? to.destroy()));
  };
  const track = (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer({ allowHalfOpen: true }, (client) => {
    track(client);
    client.pause();
    later(() => {
      if (client.destroyed) return;
      const upstream = connect({ host: upstreamHost, port: upstreamPort, allowHalfOpen: true });
      track(upstream);
      pipeDelayed(client, upstream);
      pipeDelayed(upstream, client);
      client.resume();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
