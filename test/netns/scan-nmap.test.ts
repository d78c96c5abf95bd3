import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, runCli, runCliAsync } from '../helpers/cli.js';
import { createFirewallLab, targetAddress, type PolicyEntry } from '../helpers/firewall-lab.js';
import type { Namespace, NetnsLab } from '../helpers/netns-lab.js';
import { nmapStates } from '../helpers/nmap.js';
import { whenRoot } from '../helpers/root.js';


interface PlannedCheck {
  destination: { host: string };
  port: number;
  transport: 'tcp' | 'udp';
}
interface ScannedCheck {
  destination: { address?: string };
  port: number;
  transport: 'tcp' | 'udp';
  observed: { state: string };
}

/** What the firewall and the target do with each planned port, in turn. */
const TCP_TREATMENTS = ['listen', 'closed', 'reset', 'admin', 'drop'] as const;

whenRoot(() => {
  describe('exchange-ports scan through a real firewall agrees with nmap', () => {
    const [edge, mailbox, dns] = [targetAddress(0), targetAddress(1), targetAddress(2)];
    let lab: NetnsLab | undefined;
    let scanner: Namespace;
    let dir: string;
    let topology: string;
    let planned: PlannedCheck[];

    beforeAll(async () => {
      requireBuild();
      dir = mkdtempSync(join(tmpdir(), 'xpe-scan-'));
      topology = join(dir, 'topology.yaml');
      writeFileSync(
        topology,
        ['organization: lab', 'edge: subscribed', 'hosts:', '  mailbox:', `    - { name: ${mailbox}, address: ${mailbox} }`, '  edge:', `    - { name: ${edge}, address: ${edge} }`, `  dns: [${dns}]`, ''].join('\n'),
      );
      const plan = runCli(['plan', '-t', topology, '--from', 'mailbox', '--format', 'json']);
      planned = (JSON.parse(plan.stdout) as { checks: PlannedCheck[] }).checks;
      const policy: PolicyEntry[] = [];
      const services = { tcp: [] as Array<[string, number]>, dns: [] as Array<[string, number]> };
      planned.forEach(({ destination: { host }, port, transport }, index) => {
        if (port === 53) {
          policy.push({ address: host, port, transport, action: 'accept' });
          if (transport === 'udp') services.dns.push([host, port]);
          return;
        }
        const treatment = TCP_TREATMENTS[index % TCP_TREATMENTS.length]!;
        policy.push({ address: host, port, transport, action: treatment === 'listen' || treatment === 'closed' ? 'accept' : treatment });
        if (treatment === 'listen') services.tcp.push([host, port]);
      });
      ({ lab, scanner } = await createFirewallLab({ targets: 3, policy, services }));
    }, 60_000);
    afterAll(async () => {
      await lab?.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('every planned port: the same state as nmap -sT / -sU', async () => {
      expect(new Set(planned.map(({ transport }) => transport))).toEqual(new Set(['tcp', 'udp']));
      const run = await runCliAsync(['scan', '-t', topology, '--from', 'mailbox', '--format', 'json', '--timeout', '500', '--quiet'], { prefix: ['ip', 'netns', 'exec', scanner.name] });
      expect(run.stderr).toBe('');
      const scanned = (JSON.parse(run.stdout) as { checks: ScannedCheck[] }).checks;
      const ours = new Map(scanned.map(({ destination, port, transport, observed }) => [`${destination.address} ${port}/${transport}`, observed.state]));

      const tcpPorts = [...new Set(planned.filter(({ transport }) => transport === 'tcp').map(({ port }) => port))].join(',');
      const tcp = await nmapStates(scanner, ['-sT', '-Pn', '-T4', '-p', tcpPorts, edge, mailbox, dns]);
      const udp = await nmapStates(scanner, ['-sU', '-Pn', '-T4', '-p', '53', dns]);
      const theirs = new Map([...tcp, ...udp].filter(([key]) => ours.has(key)));
      expect(ours.size).toBe(planned.length);
      expect(ours).toEqual(theirs);
      expect(new Set(ours.values())).toEqual(new Set(['open', 'closed', 'filtered']));
    }, 120_000);
  });
});
