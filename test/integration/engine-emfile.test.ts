import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:net';
import type { Socket as UdpSocket } from 'node:dgram';
import { closeServer, freeTcpPort, listenTcp, listenUdpEcho } from '../helpers/servers.js';

const runner = fileURLToPath(new URL('../helpers/run-engine.mjs', import.meta.url));

interface Output {
  observations: Array<{ state: string; error?: string }>;
  partial: boolean;
}

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
    const kinds: Array<[number, string]> = [[open.port, 'tcp'], [closedPort, 'tcp'], [echo.port, 'udp']];
    const targets = Array.from({ length: 900 }, (_, index) => [index % 2 ? '127.0.0.1' : '::1', ...kinds[index % 3]!]);
    const options = { concurrency: 1000, perHost: 1000, timeoutMs: 2000, minTimeoutMs: 500, maxTimeoutMs: 5000, retries: 1, deadlineMs: 60_000, ip: 'both', exclude: [], dnsServers: [] };
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile('bash', ['-c', `ulimit -n 64 && exec node "${runner}"`], { timeout: 60_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      );
      child.stdin?.end(JSON.stringify({ targets, options }));
    });
    const output = JSON.parse(stdout) as Output;
    const states = new Map<string, number>();
    for (const { state } of output.observations) states.set(state, (states.get(state) ?? 0) + 1);
    expect(Object.fromEntries(states)).toEqual({ open: 600, closed: 300 });
    expect(output.observations.filter(({ error }) => error && !/refused/.test(error))).toEqual([]);
    expect(output.partial).toBe(false);
  });
});
