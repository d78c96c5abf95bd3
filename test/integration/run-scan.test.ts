import { scanTopology } from '../../src/cli/run-scan.js';
import { ENGINE_ARG_DEFAULTS, toEngineOptions } from '../../src/cli/engine-options.js';
import { host, topology } from '../helpers/topologies.js';
import { startDnsServer, type RunningDns } from '../helpers/dns-server.js';

const ZONE = {
  'example.test': [{ type: 'MX' as const, exchange: 'mx.example.test', priority: 10 }],
  'mx.example.test': [{ type: 'A' as const, address: '127.0.0.1' }],
  'mbx02.lab.test': [{ type: 'A' as const, address: '127.0.0.1' }],
};

describe('scanTopology: the topology decides name resolution and the DNS question', () => {
  let dns: RunningDns;
  beforeAll(async () => {
    dns = await startDnsServer(ZONE);
  });
  afterAll(() => dns.close());

  test('inside the organization: names through the topology DNS server, the DNS probe asks for the MX domain', async () => {
    const org = topology(
      {},
      {
        mailbox: [host('mbx01.lab.test', { address: '127.0.0.2' }), host('mbx02.lab.test')],
        dns: [host('127.0.0.1', { address: '127.0.0.1', ports: { dns: dns.udpPort } })],
      },
      'example.test',
    );
    const engine = toEngineOptions({ ...ENGINE_ARG_DEFAULTS, deadline: 20, quiet: true });
    const result = await scanTopology(org, { role: 'mailbox', host: 'mbx01.lab.test' }, { engine });
    // mbx02 has no address: it resolved only through the topology's DNS server.
    const internal = result.checks.filter((c) => c.flow === 'internal.exchange');
    expect(internal.length).toBeGreaterThan(0);
    expect(new Set(internal.map((c) => c.destination.address))).toEqual(new Set(['127.0.0.1']));
    const udpDns = result.checks.find((c) => c.flow === 'mail.dns' && c.transport === 'udp');
    expect(udpDns?.observed.state).toBe('open');
    expect(dns.questions).toEqual(expect.arrayContaining(['udp mbx02.lab.test A', 'udp example.test MX']));
    // The outbound MX is followed through the same server.
    expect(dns.questions).toEqual(expect.arrayContaining(['udp example.test MX', 'udp mx.example.test A']));
  });
});
