import type { Server } from 'node:net';
import { defaultProbers, runEngine, type EngineOptions } from '../../src/probe/engine.js';
import { FAST_OPTIONS, makeCheck } from '../helpers/checks.js';
import { startDnsServer, startSilentUdp, type RunningDns } from '../helpers/dns-server.js';
import { closeServer, freeTcpPort, freeUdpPort, listenTcp, listenUdpEcho } from '../helpers/servers.js';

describe('engine over loopback: real sockets, names through a dns2 server', () => {
  let v4: Server;
  let v6: Server;
  let port: number;
  let closedPort: number;
  let dns: RunningDns;
  let options: EngineOptions;
  beforeAll(async () => {
    ({ server: v4, port } = await listenTcp('127.0.0.1'));
    ({ server: v6 } = await listenTcp('::1', port));
    closedPort = await freeTcpPort();
    dns = await startDnsServer({
      'mail.example.test': [
        { type: 'A', address: '127.0.0.1' },
        { type: 'AAAA', address: '::1' },
      ],
      'example.test': [{ type: 'MX', exchange: 'mail.example.test', priority: 10 }],
    });
    options = { ...FAST_OPTIONS, dnsServers: [`127.0.0.1:${dns.udpPort}`] };
  });
  afterAll(async () => {
    await closeServer(v4);
    await closeServer(v6);
    await dns.close();
  });

  it('probes every address of a name, IPv4 and IPv6, and of an MX domain', async () => {
    const checks = [makeCheck('mail.example.test', port, 'tcp', 'tcp', 'name'), makeCheck('example.test', port, 'tcp', 'smtp', 'mx')];
    const run = await runEngine(checks, options, defaultProbers(options));
    expect(run.observations.map(({ check, observation }) => [check.destination.host, observation.address, observation.state])).toEqual([
      ['mail.example.test', '127.0.0.1', 'open'],
      ['mail.example.test', '::1', 'open'],
      ['example.test', '127.0.0.1', 'open'],
      ['example.test', '::1', 'open'],
    ]);
    const v4only = await runEngine(checks.slice(0, 1), { ...options, ip: '4' }, defaultProbers(options));
    expect(v4only.observations.map(({ observation }) => observation.address)).toEqual(['127.0.0.1']);
  });

  it('classifies open, closed and unresolved, one observation per address, and names the control', async () => {
    const checks = [makeCheck('127.0.0.1', port), makeCheck('::1', closedPort), makeCheck('missing.example.test', 25, 'tcp', 'tcp', 'name')];
    const run = await runEngine(checks, options, defaultProbers(options));
    expect(run.observations.map(({ check, observation }) => [check.port, observation.state, observation.address, observation.error])).toEqual([
      [port, 'open', '127.0.0.1', undefined],
      [closedPort, 'closed', '::1', 'connection refused'],
      [25, 'unresolved', undefined, 'missing.example.test A: NXDOMAIN, missing.example.test AAAA: NXDOMAIN'],
    ]);
    expect(run.partial).toBe(false);
    expect(run.control).toEqual([checks[0]!.id, checks[1]!.id]);
    expect(run.couldNotScan).toBeUndefined();
  });

  it('UDP and DNS checks: open, closed, open|filtered after the retries', async () => {
    const echo = await listenUdpEcho();
    const silent = await startSilentUdp();
    try {
      const checks = [
        makeCheck('127.0.0.1', echo.port, 'udp'),
        makeCheck('127.0.0.1', await freeUdpPort(), 'udp'),
        makeCheck('127.0.0.1', silent.port, 'udp'),
        makeCheck('127.0.0.1', dns.udpPort, 'udp', 'dns'),
        makeCheck('127.0.0.1', dns.tcpPort, 'tcp', 'dns'),
      ];
      const withDomain = { ...options, dnsQueryDomain: 'example.test', timeoutMs: 200, minTimeoutMs: 50 };
      const run = await runEngine(checks, withDomain, defaultProbers(withDomain));
      expect(run.observations.map(({ observation }) => [observation.state, observation.attempts])).toEqual([
        ['open', 1],
        ['closed', 1],
        ['open|filtered', 2],
        ['open', 1],
        ['open', 1],
      ]);
      expect(run.observations[3]?.observation.service).toMatchObject({ kind: 'dns', transport: 'udp', question: 'example.test MX', rcode: 0, answers: 1 });
    } finally {
      await new Promise<void>((resolve) => echo.socket.close(() => resolve()));
      await silent.close();
    }
  });

  it('says it could not scan when nothing answered', async () => {
    const silent = await startSilentUdp();
    try {
      const run = await runEngine([makeCheck('127.0.0.1', silent.port, 'udp')], { ...options, timeoutMs: 100, minTimeoutMs: 50, retries: 0 }, defaultProbers(options));
      expect(run.control).toEqual([]);
      expect(run.couldNotScan).toBe('no probe got an answer (1 probes: silent, unreachable, unresolved or not probed); blocked results cannot be trusted');
    } finally {
      await silent.close();
    }
  });
});
