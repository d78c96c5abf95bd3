import { fileURLToPath } from 'node:url';
import { createFirewallLab, targetAddress, type PolicyEntry } from '../helpers/firewall-lab.js';
import type { Namespace, NetnsLab } from '../helpers/netns-lab.js';
import { listNamespaces } from '../helpers/netns-lab.js';
import { nmapStates } from '../helpers/nmap.js';
import { whenRoot } from '../helpers/root.js';

const runner = fileURLToPath(new URL('../helpers/run-engine.mjs', import.meta.url));

/** Port -> firewall action and the state both the engine and nmap must report. */
const TCP: ReadonlyArray<[number, PolicyEntry['action'], string]> = [
  [8080, 'accept', 'open'],
  [8081, 'accept', 'closed'],
  [8082, 'reset', 'closed'],
  [8083, 'admin', 'filtered'],
  [8084, 'drop', 'filtered'],
];
const UDP: ReadonlyArray<[number, PolicyEntry['action'], string]> = [
  [53, 'accept', 'open'],
  [5000, 'accept', 'open'],
  [5001, 'accept', 'closed'],
  [5002, 'unreachable', 'closed'],
  [5003, 'drop', 'open|filtered'],
  [5004, 'admin', 'filtered'],
];

interface EngineOutput {
  observations: Array<{ address: string; port: number; transport: string; state: string; attempts: number; rttMs?: number; error?: string }>;
  partial: boolean;
  control: number;
  couldNotScan?: string;
}

async function scan(namespace: Namespace, targets: unknown[], options: Record<string, unknown> = {}): Promise<EngineOutput> {
  const engineOptions = { concurrency: 64, perHost: 32, timeoutMs: 400, minTimeoutMs: 100, maxTimeoutMs: 1000, retries: 1, deadlineMs: 20_000, ip: 'both', exclude: [], dnsServers: [], ...options };
  return JSON.parse(await namespace.pipe(JSON.stringify({ targets, options: engineOptions }), 'node', runner)) as EngineOutput;
}

whenRoot(() => {
  describe('through a real firewall (nftables in a router namespace)', () => {
    const address = targetAddress(0);
    let lab: NetnsLab;
    let scanner: Namespace;
    beforeAll(async () => {
      const policy: PolicyEntry[] = [
        ...TCP.map(([port, action]) => ({ address, port, transport: 'tcp' as const, action })),
        ...UDP.map(([port, action]) => ({ address, port, transport: 'udp' as const, action })),
      ];
      ({ lab, scanner } = await createFirewallLab({ targets: 1, policy, services: { tcp: [[address, 8080]], udp: [[address, 5000]], dns: [[address, 53]] } }));
    }, 60_000);
    afterAll(async () => {
      await lab?.destroy();
      if (lab) expect((await listNamespaces()).filter((name) => name.endsWith(lab.suffix))).toEqual([]);
    });

    it('TCP: listening is open; no listener and reset are closed; admin-prohibited and drop are filtered', async () => {
      const run = await scan(scanner, TCP.map(([port]) => [address, port, 'tcp']));
      expect(run.observations.map(({ port, state }) => [port, state])).toEqual(TCP.map(([port, , state]) => [port, state]));
      const byPort = new Map(run.observations.map((observation) => [observation.port, observation]));
      expect(byPort.get(8083)?.error).toBe('ICMP host unreachable or administratively prohibited (EHOSTUNREACH)');
      expect(byPort.get(8084)).toMatchObject({ attempts: 2 });
      // The wait follows the host's own answer (8080), not the resets and ICMP errors: one sample sets it (srtt + 4 rttvar).
      const ownMs = byPort.get(8080)!.rttMs!;
      const waited = Number(/^no answer within (\d+) ms$/.exec(byPort.get(8084)!.error ?? '')?.[1]);
      expect(waited).toBeGreaterThanOrEqual(Math.min(1000, Math.max(100, Math.floor(ownMs * 5))));
    });

    it('UDP: an answer (DNS, echo) is open; port unreachable is closed; drop is open|filtered; admin-prohibited is filtered', async () => {
      const run = await scan(scanner, UDP.map(([port]) => [address, port, 'udp', port === 53 ? 'dns' : 'udp']));
      expect(run.observations.map(({ port, state }) => [port, state])).toEqual(UDP.map(([port, , state]) => [port, state]));
    });

    it('agrees with nmap -sT and -sU on every port', async () => {
      const tcp = await nmapStates(scanner, ['-sT', '-Pn', '-T4', '-p', TCP.map(([port]) => port).join(','), address]);
      const udp = await nmapStates(scanner, ['-sU', '-Pn', '-T4', '-p', UDP.map(([port]) => port).join(','), address]);
      const engine = await scan(scanner, [...TCP.map(([port]) => [address, port, 'tcp']), ...UDP.map(([port]) => [address, port, 'udp', port === 53 ? 'dns' : 'udp'])]);
      const ours = new Map(engine.observations.map(({ port, transport, state }) => [`${address} ${port}/${transport}`, state]));
      expect(ours).toEqual(new Map([...tcp, ...udp]));
    }, 60_000);

    it('a vantage where nothing answers could not scan', async () => {
      const run = await scan(scanner, [[address, 8084, 'tcp'], [address, 5003, 'udp']], { retries: 0 });
      expect(run.control).toBe(0);
      expect(run.couldNotScan).toMatch(/^no probe got an answer/);
    });
  });
});
