import { performance } from 'node:perf_hooks';
import { dnsProber } from '../../src/probe/dns.js';
import { dnsQuery, parseDnsServer } from '../../src/probe/dns-query.js';
import type { ProbeTarget } from '../../src/probe/types.js';
import { makeCheck } from '../helpers/checks.js';
import { startDnsServer, startSilentUdp, startStallingTcp, type RunningDns } from '../helpers/dns-server.js';
import { freeTcpPort, freeUdpPort } from '../helpers/servers.js';

const ZONE = {
  '': [{ type: 'SOA' as const }],
  'example.test': [
    { type: 'MX' as const, exchange: 'mx2.example.test', priority: 20 },
    { type: 'MX' as const, exchange: 'mx1.example.test', priority: 10 },
  ],
  'mx1.example.test': [{ type: 'A' as const, address: '127.0.0.1' }],
  'dual.example.test': [
    { type: 'A' as const, address: '127.0.0.1' },
    { type: 'AAAA' as const, address: '::1' },
  ],
};

const target = (port: number, transport: 'udp' | 'tcp', timeoutMs = 500): ProbeTarget => ({
  check: makeCheck('127.0.0.1', port, transport, 'dns'),
  address: '127.0.0.1',
  port,
  transport,
  timeoutMs,
});

describe('DNS over UDP and TCP (dns2 server on loopback)', () => {
  let dns: RunningDns;
  const never = new AbortController().signal;
  beforeAll(async () => {
    dns = await startDnsServer(ZONE);
  });
  afterAll(() => dns.close());

  it('reads A, AAAA and MX answers over both transports', async () => {
    const server = { address: '127.0.0.1', port: dns.udpPort };
    const a = await dnsQuery(server, 'dual.example.test', 'A', 'udp', 1000, never);
    const aaaa = await dnsQuery({ ...server, port: dns.tcpPort }, 'dual.example.test', 'AAAA', 'tcp', 1000, never);
    const mx = await dnsQuery(server, 'example.test', 'MX', 'udp', 1000, never);
    expect(a.answers.map((record) => record.address)).toEqual(['127.0.0.1']);
    expect(aaaa.answers.map((record) => record.address)).toEqual(['::1']);
    expect(mx.answers.map((record) => [record.exchange, record.priority])).toEqual([
      ['mx2.example.test', 20],
      ['mx1.example.test', 10],
    ]);
  });

  it('reports NXDOMAIN as an answer with its rcode', async () => {
    const answer = await dnsQuery({ address: '127.0.0.1', port: dns.udpPort }, 'missing.example.test', 'A', 'udp', 1000, never);
    expect(answer.rcode).toBe(3);
    expect(answer.answers).toEqual([]);
  });

  it('probe: the MX of the mxDomain over udp and tcp proves the port open, with rcode and answer count', async () => {
    const probe = dnsProber('example.test');
    const udp = await probe(target(dns.udpPort, 'udp'), never);
    const tcp = await probe(target(dns.tcpPort, 'tcp'), never);
    for (const [observation, transport] of [[udp, 'udp'], [tcp, 'tcp']] as const) {
      expect(observation.state).toBe('open');
      expect(observation.service).toEqual({ kind: 'dns', transport, question: 'example.test MX', rcode: 0, rcodeName: 'NOERROR', answers: 2, truncated: false });
    }
    expect(dns.questions).toEqual(expect.arrayContaining(['udp example.test MX', 'tcp example.test MX']));
  });

  it('probe: without an mxDomain it asks the SOA of the root; NXDOMAIN still proves open', async () => {
    const soa = await dnsProber()(target(dns.udpPort, 'udp'), never);
    expect(soa.service).toMatchObject({ question: '. SOA', rcode: 0, answers: 1 });
    const nx = await dnsProber('missing.example.test')(target(dns.tcpPort, 'tcp'), never);
    expect(nx.state).toBe('open');
    expect(nx.service).toMatchObject({ rcode: 3, rcodeName: 'NXDOMAIN', answers: 0 });
  });

  it('probe: nothing listening is closed (ICMP port unreachable over udp, reset over tcp)', async () => {
    const udp = await dnsProber()(target(await freeUdpPort(), 'udp'), never);
    const tcp = await dnsProber()(target(await freeTcpPort(), 'tcp'), never);
    expect([udp.state, udp.error]).toEqual(['closed', 'ICMP port unreachable']);
    expect([tcp.state, tcp.error]).toEqual(['closed', 'connection refused']);
  });

  it('probe: a UDP server that never answers is open|filtered after its own deadline', async () => {
    const silent = await startSilentUdp();
    try {
      const started = performance.now();
      const observation = await dnsProber()(target(silent.port, 'udp', 300), never);
      expect(observation).toMatchObject({ state: 'open|filtered', error: 'no DNS answer over udp within 300 ms' });
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    } finally {
      await silent.close();
    }
  });

  it('probe: a TCP server that accepts and stalls is open, with no answer, bounded by the deadline', async () => {
    const stalling = await startStallingTcp();
    try {
      const observation = await dnsProber()(target(stalling.port, 'tcp', 300), never);
      expect(observation).toMatchObject({ state: 'open', error: 'connected, but no DNS answer over tcp within 300 ms', service: { kind: 'dns', answered: false } });
    } finally {
      await stalling.close();
    }
  });

  it('probe: an abort ends a stalled TCP query at once', async () => {
    const stalling = await startStallingTcp();
    try {
      const controller = new AbortController();
      const pending = dnsProber()(target(stalling.port, 'tcp', 60_000), controller.signal);
      setTimeout(() => controller.abort('SIGINT'), 50);
      expect(await pending).toMatchObject({ state: 'error', error: 'cancelled (SIGINT)' });
    } finally {
      await stalling.close();
    }
  });

  it('parses server addresses with optional ports', () => {
    expect(parseDnsServer('198.18.0.53')).toEqual({ address: '198.18.0.53', port: 53 });
    expect(parseDnsServer('198.18.0.53:5353')).toEqual({ address: '198.18.0.53', port: 5353 });
    expect(parseDnsServer('[::1]:5353')).toEqual({ address: '::1', port: 5353 });
    expect(parseDnsServer('::1')).toEqual({ address: '::1', port: 53 });
    expect(parseDnsServer('dns.example.test')).toBeUndefined();
    expect(parseDnsServer('198.18.0.53:70000')).toBeUndefined();
  });
});
