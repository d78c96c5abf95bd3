import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { scanTopology } from '../../src/cli/run-scan.js';
import { ENGINE_ARG_DEFAULTS, toEngineOptions } from '../../src/cli/engine-options.js';
import { toServiceSetup } from '../../src/cli/service-options.js';
import type { Vantage } from '../../src/plan/types.js';
import type { Topology } from '../../src/topology/types.js';
import { startRawServer, type Running } from '../helpers/servers.js';
import { host, topology } from '../helpers/topologies.js';

/** `scan --timeout 5000 --deadline 1 --service-timeout 10000 --no-legacy-tls`: the deadline ends what the servers never do. */
async function scanCutAtOneSecond(org: Topology, vantage: Vantage) {
  const engine = toEngineOptions({ ...ENGINE_ARG_DEFAULTS, timeout: 5000, deadline: 1, quiet: true });
  const services = await toServiceSetup({ ca: [], 'cert-warn-days': 30, 'cert-crit-days': 14, 'service-timeout': 10_000, 'legacy-tls': false });
  return scanTopology(org, vantage, { engine, ...services });
}

/** Servers that accept and then say nothing: only the deadline ends their checks. */
describe('--deadline cuts service checks whose server stays silent after connecting', () => {
  const running: Running[] = [];
  let udp: UdpSocket;
  let smtpPort: number;
  let ldapsPort: number;
  let dnsPort: number;

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) running.push(await startRawServer(() => undefined));
    [smtpPort, ldapsPort] = running.map((r) => r.port) as [number, number];
    udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    dnsPort = udp.address().port;
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => r.close()));
    udp.close();
  });

  test('SMTP and LDAPS are inconclusive (not PASS, not WARN), the scan partial, and the sent UDP DNS query is not "not probed"', async () => {
    const org = topology(
      { edge: true },
      {
        mailbox: [host('mbx01.lab.test', { address: '127.0.0.2' })],
        edge: [host('edge01.lab.test', { address: '127.0.0.1', ports: { smtp: smtpPort, edgesync: ldapsPort } })],
        dns: [host('127.0.0.1', { address: '127.0.0.1', ports: { dns: dnsPort } })],
      },
    );
    const result = await scanCutAtOneSecond(org, { role: 'mailbox', host: 'mbx01.lab.test' });
    expect(result.partial).toBe(true);
    const smtp = result.checks.find((c) => c.flow === 'edge.from-internal');
    expect(smtp?.observed.state).toBe('open');
    expect(smtp?.verdict).toBe('inconclusive');
    expect(smtp?.why).toContain('cut short before the service answered');
    const ldaps = result.checks.find((c) => c.flow === 'edge.edgesync');
    expect(ldaps?.verdict).toBe('inconclusive');
    const udpDns = result.checks.find((c) => c.flow === 'mail.dns' && c.transport === 'udp');
    expect(udpDns?.observed.attempts).toBeGreaterThan(0);
    expect(udpDns?.observed.error).not.toMatch(/^not probed/);
    expect(udpDns?.why).not.toContain('not probed');
    expect(udpDns?.verdict).toBe('inconclusive');
  });

  test('IMAP4 and POP3 (clear and implicit TLS) connected but silent: inconclusive when the deadline cuts them, never pass', async () => {
    const silent: Running[] = [];
    for (let i = 0; i < 4; i++) silent.push(await startRawServer(() => undefined));
    running.push(...silent);
    const [imap, imaps, pop3, pop3s] = silent.map((r) => r.port) as [number, number, number, number];
    const org = topology(
      { imap4: true, pop3: true },
      { mailbox: [host('mbx01.lab.test', { address: '127.0.0.1', ports: { imap, imaps, pop3, pop3s } })] },
    );
    const result = await scanCutAtOneSecond(org, { role: 'client' });
    expect(result.partial).toBe(true);
    const cut = result.checks.filter((c) => c.flow === 'client.imap4' || c.flow === 'client.pop3');
    expect(cut.map((c) => c.port).sort((a, b) => a - b)).toEqual([imap, imaps, pop3, pop3s].sort((a, b) => a - b));
    for (const check of cut) {
      expect(check.observed.state).toBe('open');
      expect(check.verdict).toBe('inconclusive');
      expect(check.why).toContain('cut short before the service answered');
    }
  });
});
