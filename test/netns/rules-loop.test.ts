import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate } from '../../src/lab/certificate.js';
import { startNetnsLab, NETNS_ADDRESSES, type NetnsLab as OrganizationLab } from '../../src/lab/netns/organization.js';
import { labHost, type LabOrganization } from '../../src/lab/organization.js';
import { fromArgument } from '../../src/lab/vantages.js';
import type { Role } from '../../src/model/types.js';
import type { RequestRow } from '../../src/rules/words.js';
import type { CheckResult, ScanResult } from '../../src/verdict/types.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { NetnsLab, type Namespace } from '../helpers/netns-lab.js';
import { whenRoot } from '../helpers/root.js';

/**
 * The closed loop (issue 12): `rules --format nft` loaded into a router between the Internet,
 * a perimeter and an internal network with real listeners makes every check that crosses the
 * router pass and lets through nothing the tables do not call for; remove one generated rule and
 * the scan catches exactly that flow, naming the rule.
 */

const FAILING = new Set(['fail', 'exposed', 'down']);
const brief = (c: CheckResult) => `${c.verdict} ${c.id}${c.rule ? ` [${c.rule.text}]` : ''}`;

interface Ran {
  readonly code: number;
  readonly result: ScanResult;
}

function parseScan(code: number, stdout: string, stderr: string, from: string): Ran {
  try {
    return { code, result: JSON.parse(stdout) as ScanResult };
  } catch {
    throw new Error(`scan --from ${from} printed no JSON (exit ${code}): ${stderr.trim()} ${stdout.slice(0, 300)}`);
  }
}

/** A TCP connect from inside a namespace: `connected`, `refused` or `timeout` (a drop). */
const CONNECT = `
const [host, port] = process.argv.slice(1);
const s = require('net').connect(Number(port), host);
const done = (word) => { process.stdout.write(word); s.destroy(); process.exit(0); };
s.setTimeout(1500, () => done('timeout'));
s.on('connect', () => done('connected'));
s.on('error', (e) => done(e.code === 'ECONNREFUSED' ? 'refused' : e.code));
`;

/** The rule lines of a generated nftables file without the ones whose comment names `flow`. */
function withoutFlow(ruleset: string, flow: string): string {
  const kept = ruleset.split('\n').filter((line) => !line.includes(`comment "${flow}:`));
  expect(kept.length).toBeLessThan(ruleset.split('\n').length);
  return kept.join('\n');
}

function rules(topology: string, format: string): string {
  const run = runCli(['rules', '-t', topology, '--format', format]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

whenRoot(() => {
  describe('rules --format nft in the namespace lab (contoso, with an Edge server)', () => {
    let lab: OrganizationLab;
    let ruleset: string;
    let directory: string;

    const load = async (text: string): Promise<void> => {
      const file = join(directory, 'rules.nft');
      writeFileSync(file, text);
      expect((await lab.exec(lab.firewallNamespace, 'nft', ['flush', 'ruleset'])).code).toBe(0);
      const loaded = await lab.exec(lab.firewallNamespace, 'nft', ['-f', file]);
      expect(loaded.stderr).toBe('');
      expect(loaded.code).toBe(0);
    };

    const scan = async (role: Role): Promise<Ran> => {
      const vantage = lab.vantage(role);
      const from = fromArgument({ role, ...(vantage.host ? { host: vantage.host } : {}) });
      const { code, stdout, stderr } = await lab.exec(vantage.namespace, process.execPath, [BIN, 'scan', '-t', lab.topologyFile, '--from', from, '--ca', lab.authorityFile, '--format', 'json']);
      return parseScan(code, stdout, stderr, from);
    };

    const connect = async (role: Role, host: string, port: number): Promise<string> =>
      (await lab.exec(lab.vantage(role).namespace, process.execPath, ['-e', CONNECT, host, String(port)])).stdout;

    beforeAll(async () => {
      lab = await startNetnsLab({ edge: true, prefix: 'xpr-' });
      directory = mkdtempSync(join(tmpdir(), 'xpr-rules-'));
      ruleset = rules(lab.topologyFile, 'nft');
      await load(ruleset);
    }, 90_000);
    afterAll(async () => {
      await lab?.destroy();
      if (directory) rmSync(directory, { recursive: true, force: true });
    }, 30_000);

    test('the generated ruleset is the only one in the router: the lab\'s own firewall is gone', async () => {
      const listed = await lab.exec(lab.firewallNamespace, 'nft', ['list', 'tables']);
      expect(listed.stdout.trim()).toBe('table inet exchange_ports');
    });

    test.each(['internet', 'client', 'edge', 'mailbox'] as const)('every check from the %s vantage passes: fail 0, exposed 0, down 0', async (role) => {
      const { code, result } = await scan(role);
      expect(result.checks.filter((c) => FAILING.has(c.verdict)).map(brief)).toEqual([]);
      expect(result.summary.pass).toBeGreaterThan(10);
      expect(result.summary.inconclusive).toBe(0);
      expect(code).toBe(0);
    }, 120_000);

    test('iptables-restore with the iptables format: the same passes from every vantage', async () => {
      const file = join(directory, 'rules.iptables');
      writeFileSync(file, rules(lab.topologyFile, 'iptables'));
      expect((await lab.exec(lab.firewallNamespace, 'nft', ['flush', 'ruleset'])).code).toBe(0);
      try {
        const restored = await lab.exec(lab.firewallNamespace, 'iptables-restore', [file]);
        expect(restored.stderr).toBe('');
        expect(restored.code).toBe(0);
        for (const role of ['internet', 'edge', 'mailbox'] as const) {
          const { code, result } = await scan(role);
          expect(result.checks.filter((c) => FAILING.has(c.verdict)).map(brief)).toEqual([]);
          expect(code).toBe(0);
        }
      } finally {
        await load(ruleset);
      }
    }, 240_000);

    test('ports no flow names stay unreachable though something listens there', async () => {
      const { dns01, mbx01, edge01 } = NETNS_ADDRESSES;
      // Listening: each answers inside its own namespace.
      expect(await connect('dns', dns01, 53)).toBe('connected');
      expect(await connect('mailbox', mbx01, 587)).toBe('connected');
      // Through the router: DNS is not published to the Internet, and the Edge server talks to
      // the Mailbox servers on 25 only, never 587 or 443.
      expect(await connect('internet', dns01, 53)).toBe('timeout');
      expect(await connect('edge', mbx01, 587)).toBe('timeout');
      expect(await connect('edge', mbx01, 443)).toBe('timeout');
      expect(await connect('internet', mbx01, 25)).toBe('timeout');
      // The positive control on the same paths.
      expect(await connect('internet', edge01, 25)).toBe('connected');
      expect(await connect('edge', mbx01, 25)).toBe('connected');
    }, 60_000);

    test('without its EdgeSync rule, the scan fails exactly edge.edgesync and names the rule the change request has', async () => {
      await load(withoutFlow(ruleset, 'edge.edgesync'));
      try {
        const { code, result } = await scan('mailbox');
        const failing = result.checks.filter((c) => FAILING.has(c.verdict));
        const { mbx01, edge01 } = NETNS_ADDRESSES;
        const expected = `allow tcp 50636 from mbx01.contoso.lab (${mbx01}) to edge01.contoso.lab (${edge01}): edge.edgesync`;
        expect(failing.map(brief)).toEqual([`fail edge.edgesync:${edge01}:50636/tcp [${expected}]`]);
        expect(code).toBe(1);
        // The same words as the change request's row for that rule.
        const request = JSON.parse(rules(lab.topologyFile, 'json')) as { rules: RequestRow[] };
        const row = request.rules.find((r) => r.flows.includes('edge.edgesync'));
        expect(row).toMatchObject({ action: 'allow', service: 'tcp 50636', destination: [`edge01.contoso.lab (${edge01})`] });
        expect(row?.source).toContain(`mbx01.contoso.lab (${mbx01})`);
        // And --only-failing turns the result into just that change.
        const file = join(directory, 'mailbox.json');
        writeFileSync(file, JSON.stringify(result));
        const fix = runCli(['rules', '--only-failing', file, '--format', 'json']);
        expect(fix.code).toBe(0);
        const only = JSON.parse(fix.stdout) as { rules: RequestRow[] };
        expect(only.rules.map((r) => `${r.action} ${r.service} ${r.source.join()} -> ${r.destination.join()} ${r.flows.join()}`)).toEqual([
          `allow tcp 50636 mbx01.contoso.lab (${mbx01}) -> edge01.contoso.lab (${edge01}) edge.edgesync`,
        ]);
      } finally {
        await load(ruleset);
      }
    }, 120_000);
  });

  describe('rules --format nft for a topology made for this test (northwind: perimeter and internal subnets)', () => {
    const ADDRESS = {
      router: { internet: '198.18.64.1', perimeter: '198.18.20.1', internal: '198.18.30.1' },
      mx: '198.18.64.25',
      scanner: '198.18.64.100',
      edge: '198.18.20.25',
      mbx01: '198.18.30.11',
      mbx02: '198.18.30.12',
      dns: '198.18.30.53',
      dc: '198.18.30.5',
    };
    const host = labHost;
    const WINDOWS = [445, 3389];
    const organization: LabOrganization = {
      organization: 'northwind',
      site: 'HQ',
      domain: 'northwind.test',
      edge: true,
      features: { imap4: false, pop3: false, smtpSubmission: true, outboundProxy: false, openProxyDetection: true, hybrid: false, unifiedMessaging: false },
      hosts: [
        host({ role: 'mailbox', name: 'mbx01.northwind.test', address: ADDRESS.mbx01, services: ['smtp', 'submission', 'https', 'http'], windowsPorts: WINDOWS }),
        host({ role: 'mailbox', name: 'mbx02.northwind.test', address: ADDRESS.mbx02, services: ['smtp', 'submission', 'https', 'http'], windowsPorts: WINDOWS }),
        host({ role: 'edge', name: 'edge01.northwind.test', address: ADDRESS.edge, services: ['smtp', 'edgesync'], windowsPorts: WINDOWS }),
        host({ role: 'dns', name: 'dns01.northwind.test', address: ADDRESS.dns, services: ['dns'] }),
        host({ role: 'domain-controller', name: 'dc01.northwind.test', address: ADDRESS.dc, windowsPorts: WINDOWS }),
        host({ role: 'internet', name: 'mx.example.net', address: ADDRESS.mx, services: ['smtp'] }),
      ],
      faults: [],
    };
    const TOPOLOGY = `# Northwind: an Edge server in the perimeter subnet, Mailbox servers and DNS/DC on the internal one.
organization: northwind
site: HQ
edge: subscribed
hosts:
  mailbox:
    - { name: mbx01.northwind.test, address: ${ADDRESS.mbx01} }
    - { name: mbx02.northwind.test, address: ${ADDRESS.mbx02} }
  edge:
    - { name: edge01.northwind.test, address: ${ADDRESS.edge} }
  dns: [${ADDRESS.dns}]
  domain-controller:
    - { name: dc01.northwind.test, address: ${ADDRESS.dc} }
networks:
  - 198.18.20.0/24   # perimeter
  - 198.18.30.0/24   # internal
internet:
  hosts: [${ADDRESS.mx}]
`;

    let lab: NetnsLab;
    let router: Namespace;
    const spaces = new Map<string, Namespace>();
    let directory: string;
    let topologyFile: string;
    let authorityFile: string;
    let ruleset: string;

    /** A host namespace on its own link to the router: /32 on both ends, routed (every packet between two hosts crosses the router). */
    const attach = async (short: string, addresses: readonly string[], gateway: string): Promise<Namespace> => {
      const space = await lab.namespace(short);
      const [first, ...more] = addresses as [string, ...string[]];
      const { left, right } = await lab.link(router, `${gateway}/32`, space, `${first}/32`);
      for (const address of [first, ...more]) await router.route(`${address}/32`, 'dev', left);
      for (const address of more) await space.addAddress(`${address}/32`, right);
      await space.route(`${gateway}/32`, 'dev', right);
      await space.route('default', 'via', gateway, 'dev', right);
      await space.sysctl('net.ipv4.icmp_ratelimit', 0);
      return space;
    };

    const scan = async (short: string, from: string): Promise<Ran> => {
      const space = spaces.get(short) as Namespace;
      const args = ['netns', 'exec', space.name, process.execPath, BIN, 'scan', '-t', topologyFile, '--from', from, '--ca', authorityFile, '--format', 'json'];
      const run = spawnSync('ip', args, { encoding: 'utf8', timeout: 110_000 });
      return parseScan(run.status ?? -1, run.stdout, run.stderr, from);
    };

    beforeAll(async () => {
      directory = mkdtempSync(join(tmpdir(), 'xpr-northwind-'));
      topologyFile = join(directory, 'northwind.yaml');
      writeFileSync(topologyFile, TOPOLOGY);
      lab = await NetnsLab.create();
      router = await lab.namespace('router');
      await router.sysctl('net.ipv4.ip_forward', 1);
      spaces.set('inet', await attach('inet', [ADDRESS.mx, ADDRESS.scanner], ADDRESS.router.internet));
      spaces.set('edge', await attach('edge', [ADDRESS.edge], ADDRESS.router.perimeter));
      spaces.set('mbx01', await attach('mbx01', [ADDRESS.mbx01], ADDRESS.router.internal));
      spaces.set('mbx02', await attach('mbx02', [ADDRESS.mbx02], ADDRESS.router.internal));
      spaces.set('dc', await attach('dc', [ADDRESS.dns, ADDRESS.dc], ADDRESS.router.internal));

      const authority = makeCertificate({ commonName: 'northwind lab root', altNames: [], validDays: 365, authority: true });
      authorityFile = join(directory, 'ca.pem');
      writeFileSync(authorityFile, authority.cert);
      const authorityJson = join(directory, 'ca.json');
      writeFileSync(authorityJson, JSON.stringify(authority), { mode: 0o600 });
      const organizationFile = join(directory, 'organization.json');
      writeFileSync(organizationFile, JSON.stringify(organization));
      const serveHost = join(ROOT, 'dist', 'lab', 'netns', 'serve-host.js');
      const where: Record<string, string> = { mailbox: '', edge: 'edge', dns: 'dc', 'domain-controller': 'dc', internet: 'inet' };
      for (const served of organization.hosts) {
        const short = served.role === 'mailbox' ? served.name.split('.')[0]! : where[served.role]!;
        await spaces.get(short)!.start(process.execPath, [serveHost, organizationFile, served.name, authorityJson]);
      }
      ruleset = rules(topologyFile, 'nft');
      await router.nft(ruleset);
    }, 90_000);
    afterAll(async () => {
      await lab?.destroy();
      if (directory) rmSync(directory, { recursive: true, force: true });
    }, 30_000);

    const VANTAGES: readonly [string, string][] = [
      ['inet', 'internet'],
      ['inet', 'client'],
      ['edge', 'edge:edge01.northwind.test'],
      ['mbx01', 'mailbox:mbx01.northwind.test'],
      ['mbx02', 'mailbox:mbx02.northwind.test'],
    ];

    test.each(VANTAGES)('from %s as %s: fail 0, exposed 0, down 0', async (short, from) => {
      const { code, result } = await scan(short, from);
      expect(result.checks.filter((c) => FAILING.has(c.verdict)).map(brief)).toEqual([]);
      expect(result.summary.pass).toBeGreaterThan(5);
      expect(code).toBe(0);
    }, 120_000);

    test('the forbidden sample is checked across the router, and listeners no flow names stay unreachable', async () => {
      const { result } = await scan('inet', 'internet');
      const forbidden = result.checks.filter((c) => c.expectation === 'forbidden');
      // RDP and SMB listen on every Windows host: blocked (filtered), not merely closed.
      const windows = forbidden.filter((c) => [445, 3389].includes(c.port)).map((c) => `${c.destination.host}:${c.port} ${c.observed.state} ${c.verdict}`);
      expect(windows.sort()).toEqual(
        [ADDRESS.edge, ADDRESS.mbx01, ADDRESS.mbx02].flatMap((a) => [`${a}:3389 filtered pass`, `${a}:445 filtered pass`]).sort(),
      );
      const inet = spaces.get('inet') as Namespace;
      const edge = spaces.get('edge') as Namespace;
      const connect = (space: Namespace, address: string, port: number) => space.exec(process.execPath, '-e', CONNECT, address, String(port));
      expect(await connect(inet, ADDRESS.dns, 53)).toBe('timeout');
      expect(await connect(inet, ADDRESS.dc, 445)).toBe('timeout');
      expect(await connect(edge, ADDRESS.mbx01, 587)).toBe('timeout');
      expect(await connect(edge, ADDRESS.dc, 445)).toBe('timeout');
      expect(await connect(edge, ADDRESS.mbx02, 25)).toBe('connected');
    }, 120_000);

    test('without the Edge -> Mailbox SMTP rule, the Edge scan fails exactly edge.to-internal on both Mailbox servers, naming the rule', async () => {
      await router.nft(withoutFlow(ruleset, 'edge.to-internal'));
      try {
        const { code, result } = await scan('edge', 'edge:edge01.northwind.test');
        const failing = result.checks.filter((c) => FAILING.has(c.verdict)).map(brief).sort();
        const rule = (mbx: string, address: string) => `allow tcp 25 from edge01.northwind.test (${ADDRESS.edge}) to ${mbx}.northwind.test (${address}): edge.to-internal`;
        expect(failing).toEqual([
          `fail edge.to-internal:${ADDRESS.mbx01}:25/tcp [${rule('mbx01', ADDRESS.mbx01)}]`,
          `fail edge.to-internal:${ADDRESS.mbx02}:25/tcp [${rule('mbx02', ADDRESS.mbx02)}]`,
        ]);
        expect(code).toBe(1);
      } finally {
        await router.nft(ruleset);
      }
    }, 120_000);
  });
});
