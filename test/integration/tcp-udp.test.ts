import { tcpProber } from '../../src/probe/tcp.js';
import { udpProber } from '../../src/probe/udp.js';
import type { Prober, ProbeTarget } from '../../src/probe/types.js';
import type { Transport } from '../../src/model/types.js';
import { makeCheck } from '../helpers/checks.js';
import { startSilentUdp, startStallingTcp } from '../helpers/dns-server.js';
import { closeServer, freeTcpPort, freeUdpPort, listenTcp, listenUdpEcho } from '../helpers/servers.js';

const target = (address: string, port: number, transport: Transport, timeoutMs = 300): ProbeTarget => ({
  check: makeCheck(address, port, transport),
  address,
  port,
  transport,
  timeoutMs,
});
const never = new AbortController().signal;

describe.each([['127.0.0.1'], ['::1']])('connect probes on %s', (address) => {
  it('TCP: accepted is open with a round trip, refused is closed', async () => {
    const { server, port } = await listenTcp(address);
    try {
      const open = await tcpProber(target(address, port, 'tcp'), never);
      expect(open).toMatchObject({ state: 'open', address, attempts: 1 });
      expect(open.rttMs).toBeGreaterThanOrEqual(0);
      const closed = await tcpProber(target(address, await freeTcpPort(address), 'tcp'), never);
      expect(closed).toMatchObject({ state: 'closed', address, error: 'connection refused' });
    } finally {
      await closeServer(server);
    }
  });

  it('UDP: an answer is open, ICMP port unreachable is closed, silence is open|filtered', async () => {
    const echo = await listenUdpEcho(address);
    const silent = await startSilentUdp(address);
    try {
      expect(await udpProber(target(address, echo.port, 'udp'), never)).toMatchObject({ state: 'open', service: { kind: 'udp', bytes: 4 } });
      expect(await udpProber(target(address, await freeUdpPort(address), 'udp'), never)).toMatchObject({ state: 'closed', error: 'ICMP port unreachable' });
      expect(await udpProber(target(address, silent.port, 'udp', 200), never)).toEqual({ state: 'open|filtered', address, attempts: 1, error: 'no answer within 200 ms' });
    } finally {
      await new Promise<void>((resolve) => echo.socket.close(() => resolve()));
      await silent.close();
    }
  });
});

describe('cancellation', () => {
  it.each([
    ['tcp', tcpProber],
    ['udp', udpProber],
  ] as Array<[Transport, Prober]>)('%s: an aborted signal ends the probe at once and says why', async (transport, prober) => {
    const stalling = transport === 'udp' ? await startSilentUdp() : await startStallingTcp();
    try {
      const controller = new AbortController();
      controller.abort('SIGTERM');
      expect(await prober(target('127.0.0.1', stalling.port, transport, 60_000), controller.signal)).toMatchObject({ state: 'error', error: 'cancelled (SIGTERM)' });
    } finally {
      await stalling.close();
    }
  });

  it('udp: an abort while waiting for an answer ends the wait', async () => {
    const silent = await startSilentUdp();
    try {
      const controller = new AbortController();
      const pending = udpProber(target('127.0.0.1', silent.port, 'udp', 60_000), controller.signal);
      setTimeout(() => controller.abort('deadline'), 20);
      expect(await pending).toMatchObject({ state: 'error', error: 'cancelled (deadline)' });
    } finally {
      await silent.close();
    }
  });
});
