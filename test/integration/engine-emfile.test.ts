import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:net';
import type { Socket as UdpSocket } from 'node:dgram';
import { closeServer, freeTcpPort, listenTcp, listenUdpEcho } from '../helpers/servers.js';

const script = fileURLToPath(new URL('../helpers/emfile-scan.mjs', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('open-file limit (built engine under ulimit -n 64)', () => {
  const servers: Server[] = [];
  const udp: UdpSocket[] = [];
  afterAll(async () => {
    for (const server of servers) await closeServer(server);
    for (const socket of udp) await new Promise<void>((resolve) => socket.close(() => resolve()));
  });

  it('caps concurrency below the limit: 900 probes, asked for 1000 at once, no EMFILE', async () => {
    const open = await listenTcp('127.0.0.1');
    servers.push(open.server, (await listenTcp('::1', open.port)).server);
    const closedPort = await freeTcpPort('::1');
    const echo = await listenUdpEcho('127.0.0.1');
    udp.push(echo.socket, (await listenUdpEcho('::1', echo.port)).socket);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        'bash',
        ['-c', `ulimit -n 64 && exec node "${script}" ${open.port} ${closedPort} ${echo.port} 900 1000`],
        { cwd: root, timeout: 60_000 },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    expect(JSON.parse(stdout)).toEqual({ states: { open: 600, closed: 300 }, errors: [], partial: false });
  });
});
