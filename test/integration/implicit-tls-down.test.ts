import { scanTopology } from '../../src/cli/run-scan.js';
import { ENGINE_ARG_DEFAULTS, toEngineOptions } from '../../src/cli/engine-options.js';
import { toServiceSetup } from '../../src/cli/service-options.js';
import { startRawServer, type Running } from '../helpers/servers.js';
import { host, topology } from '../helpers/topologies.js';

// An implicit-TLS port whose listener answers but does not speak TLS (a service bound to the wrong
// port, a proxy left in front of it): the required flow does not work, so it is down, not warn.
describe('a required implicit-TLS port that answers without TLS is down', () => {
  const running: Running[] = [];
  afterAll(async () => {
    await Promise.all(running.map((r) => r.close()));
  });

  test('IMAP4 993, POP3 995 and EdgeSync 50636: tls.handshake-failed, down', async () => {
    for (const greeting of ['* OK IMAP4rev1 ready\r\n', '+OK POP3 ready\r\n', 'plain text\r\n']) {
      running.push(await startRawServer((socket) => socket.end(greeting)));
    }
    const [imaps, pop3s, edgesync] = running.map((r) => r.port) as [number, number, number];
    const org = topology(
      { edge: true, imap4: true, pop3: true },
      {
        mailbox: [host('mbx01.lab.test', { address: '127.0.0.1', ports: { imaps, pop3s } })],
        edge: [host('edge01.lab.test', { address: '127.0.0.1', ports: { edgesync } })],
      },
    );
    // What `scan --service-timeout 2000 --no-legacy-tls` sets up.
    const services = await toServiceSetup({ ca: [], 'cert-warn-days': 30, 'cert-crit-days': 14, 'service-timeout': 2000, 'legacy-tls': false });
    const engine = toEngineOptions({ ...ENGINE_ARG_DEFAULTS, timeout: 500, quiet: true });
    const fromClient = await scanTopology(org, { role: 'client' }, { engine, ...services });
    const fromMailbox = await scanTopology(org, { role: 'mailbox', host: 'mbx01.lab.test' }, { engine, ...services });
    const checks = [
      ...fromClient.checks.filter((c) => c.port === imaps || c.port === pop3s),
      ...fromMailbox.checks.filter((c) => c.flow === 'edge.edgesync' && c.port === edgesync),
    ];
    expect(checks.map((c) => c.port).sort((a, b) => a - b)).toEqual([imaps, pop3s, edgesync].sort((a, b) => a - b));
    for (const check of checks) {
      expect(check.observed.state).toBe('open');
      expect(check.verdict).toBe('down');
      expect(check.findings?.map((f) => f.id)).toContain('tls.handshake-failed');
    }
  }, 30_000);
});
