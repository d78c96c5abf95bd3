import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Role } from '../../src/model/types.js';
import type { AllowRule } from '../../src/lab/netns/firewall.js';
import { fromArgument } from '../../src/lab/vantages.js';
import { NETNS_ADDRESSES, startNetnsLab, type NetnsLab } from '../../src/lab/netns/organization.js';
import { BIN } from '../helpers/cli.js';
import type { CheckResult, ScanResult } from '../../src/verdict/types.js';

/** One change of `scan --baseline` (report layer), as the JSON carries it. */
interface Change {
  readonly kind: string;
  readonly flow: string;
  readonly destination: { readonly host: string };
  readonly port: number;
  readonly transport: string;
  readonly before?: string;
  readonly after?: string;
}

/**
 * End to end: the lab organization in network namespaces behind a real nftables firewall made
 * from the model. A correct firewall passes from every vantage; each fault, made by changing
 * the firewall, is caught with the right verdict, flow, source and destination, and exit 1.
 */
const isRoot = process.getuid?.() === 0;

interface Scan {
  readonly code: number;
  readonly result: ScanResult;
  readonly stderr: string;
}

async function scan(lab: NetnsLab, role: Role, extra: readonly string[] = []): Promise<Scan> {
  const vantage = lab.vantage(role);
  const from = fromArgument({ role, ...(vantage.host ? { host: vantage.host } : {}) });
  const args = [BIN, 'scan', '-t', lab.topologyFile, '--from', from, '--ca', lab.authorityFile, '--format', 'json', ...extra];
  const { code, stdout, stderr } = await lab.exec(vantage.namespace, process.execPath, args);
  let result: ScanResult;
  try {
    result = JSON.parse(stdout) as ScanResult;
  } catch {
    throw new Error(`scan --from ${from} printed no JSON (exit ${code}): ${stderr.trim()} ${stdout.slice(0, 500)}`);
  }
  return { code, result, stderr };
}

const failing = (result: ScanResult) => result.checks.filter((check) => ['fail', 'down', 'exposed'].includes(check.verdict));
const brief = (check: CheckResult) =>
  `${check.verdict} ${check.flow} ${check.source.role}${check.source.host ? `:${check.source.host}` : ''} -> ${check.destination.host}:${check.port}/${check.transport} (${check.why})`;

const withoutFlow = (flow: string) => (rules: readonly AllowRule[]) => rules.filter((rule) => rule.flow !== flow);
const plus = (...extra: AllowRule[]) => (rules: readonly AllowRule[]) => [...rules, ...extra];

interface Expected {
  readonly verdict: 'fail' | 'exposed';
  readonly flow: string;
  readonly destination: string;
  readonly port: number;
  readonly transport?: 'tcp' | 'udp';
}

interface Fault {
  readonly name: string;
  readonly vantage: Role;
  readonly change: (rules: readonly AllowRule[]) => readonly AllowRule[];
  readonly expected: readonly Expected[];
  /** Checks that must still pass under the fault (the other half of a partial block). */
  readonly stillPassing?: readonly Omit<Expected, 'verdict'>[];
}

const { mbx01: MBX01, mbx02: MBX02, edge01: EDGE01, dns01: DNS01, mx: MX } = NETNS_ADDRESSES;
const INTERNET = ['198.19.1.0/24'];
const MAILBOXES = [MBX01, MBX02];
const EDGE = [EDGE01];

const EDGE_FAULTS: readonly Fault[] = [
  {
    name: 'EdgeSync 50636 blocked',
    vantage: 'mailbox',
    change: withoutFlow('edge.edgesync'),
    expected: [{ verdict: 'fail', flow: 'edge.edgesync', destination: EDGE01, port: 50636 }],
  },
  {
    name: 'Edge -> Mailbox 25 blocked',
    vantage: 'edge',
    change: withoutFlow('edge.to-internal'),
    expected: [
      { verdict: 'fail', flow: 'edge.to-internal', destination: MBX01, port: 25 },
      { verdict: 'fail', flow: 'edge.to-internal', destination: MBX02, port: 25 },
    ],
  },
  {
    name: 'Mailbox 25 reachable from the Internet while an Edge server exists',
    vantage: 'internet',
    change: plus({ flow: 'fault', from: INTERNET, to: MAILBOXES, port: { transport: 'tcp', number: 25 } }),
    expected: [
      { verdict: 'exposed', flow: 'perimeter.internet-to-mailbox-smtp', destination: MBX01, port: 25 },
      { verdict: 'exposed', flow: 'perimeter.internet-to-mailbox-smtp', destination: MBX02, port: 25 },
    ],
  },
  {
    name: 'RDP and SMB on the Edge reachable from the Internet',
    vantage: 'internet',
    change: plus(
      { flow: 'fault', from: INTERNET, to: EDGE, port: { transport: 'tcp', number: 3389 } },
      { flow: 'fault', from: INTERNET, to: EDGE, port: { transport: 'tcp', number: 445 } },
    ),
    expected: [
      { verdict: 'exposed', flow: 'perimeter.internet-to-edge', destination: EDGE01, port: 3389 },
      { verdict: 'exposed', flow: 'perimeter.internet-to-edge', destination: EDGE01, port: 445 },
    ],
  },
  {
    name: 'DNS over TCP blocked while UDP works',
    vantage: 'mailbox',
    change: (rules) => rules.filter((rule) => !(rule.port?.number === 53 && rule.port.transport === 'tcp')),
    expected: [{ verdict: 'fail', flow: 'mail.dns', destination: DNS01, port: 53, transport: 'tcp' }],
    stillPassing: [{ flow: 'mail.dns', destination: DNS01, port: 53, transport: 'udp' }],
  },
  {
    name: 'Mailbox-to-Mailbox traffic restricted',
    vantage: 'mailbox',
    change: (rules) => [
      ...withoutFlow('internal.exchange')(rules),
      { flow: 'fault', from: MAILBOXES, to: MAILBOXES, port: { transport: 'tcp', number: 25 } },
      { flow: 'fault', from: MAILBOXES, to: MAILBOXES, port: { transport: 'tcp', number: 443 } },
    ],
    expected: [
      { verdict: 'fail', flow: 'internal.exchange', destination: MBX02, port: 135 },
      { verdict: 'fail', flow: 'internal.exchange', destination: MBX02, port: 445 },
      { verdict: 'fail', flow: 'internal.exchange', destination: MBX02, port: 2525 },
    ],
    stillPassing: [{ flow: 'internal.exchange', destination: MBX02, port: 443 }],
  },
];

const NO_EDGE_FAULTS: readonly Fault[] = [
  {
    name: 'outbound 25 from Mailbox blocked',
    vantage: 'mailbox',
    change: withoutFlow('mail.outbound'),
    expected: [
      { verdict: 'fail', flow: 'mail.outbound', destination: MX, port: 25 },
      { verdict: 'fail', flow: 'mail.outbound', destination: 'example.org', port: 25 },
    ],
  },
];

function find(result: ScanResult, expected: Omit<Expected, 'verdict'>): CheckResult[] {
  return result.checks.filter(
    (check) =>
      check.flows.includes(expected.flow) &&
      check.destination.host === expected.destination &&
      check.port === expected.port &&
      check.transport === (expected.transport ?? 'tcp'),
  );
}

async function expectCaught(lab: NetnsLab, fault: Fault): Promise<void> {
  await lab.setFirewall(fault.change(lab.correctRules));
  try {
    const { code, result } = await scan(lab, fault.vantage);
    const vantage = lab.vantage(fault.vantage);
    for (const expected of fault.expected) {
      const checks = find(result, expected);
      expect(checks.length).toBeGreaterThan(0);
      expect(checks.map(brief)).toEqual(checks.map(() => expect.stringMatching(new RegExp(`^${expected.verdict} `))));
      for (const check of checks) {
        expect(check.source.role).toBe(fault.vantage);
        expect(check.source.host).toBe(vantage.host);
      }
    }
    for (const passing of fault.stillPassing ?? []) {
      expect(find(result, passing).map((check) => check.verdict)).toEqual(['pass']);
    }
    expect(code).toBe(1);
  } finally {
    await lab.setFirewall(lab.correctRules);
  }
}

if (!isRoot) {
  test('netns suite not run: needs root', () => {
    console.log('netns suite not run: needs root');
    expect(process.getuid?.()).not.toBe(0);
  });
} else {
  describe('organization with an Edge server, in network namespaces', () => {
    let lab: NetnsLab;
    beforeAll(async () => {
      lab = await startNetnsLab({ edge: true });
    }, 60_000);
    afterAll(async () => {
      await lab?.destroy();
    }, 30_000);

    test('Debian\'s dnsmasq, nginx, Dovecot and Postfix serve DNS, the web sites, IMAP4, POP3 and the Internet\'s mail', async () => {
      expect(lab.daemons).toEqual(['dnsmasq', 'nginx', 'dovecot', 'postfix']);
      const { code, result } = await scan(lab, 'mailbox');
      expect(code).toBe(0);
      const dns = result.checks.filter((check) => check.flow === 'mail.dns');
      expect(dns.map((check) => `${check.transport} ${check.verdict}`).sort()).toEqual(['tcp pass', 'udp pass']);
      const client = (await scan(lab, 'client')).result.checks;
      const seen = (flow: string) => client.filter((check) => check.flow === flow).map((check) => `${check.destination.host}:${check.port} ${check.verdict}`).sort();
      expect(seen('client.https')).toEqual([`${MBX01}:443 pass`, `${MBX02}:443 pass`]);
      expect(seen('client.imap4')).toEqual([`${MBX01}:143 pass`, `${MBX01}:993 pass`, `${MBX02}:143 pass`, `${MBX02}:993 pass`]);
      expect(seen('client.pop3')).toEqual([`${MBX01}:110 pass`, `${MBX01}:995 pass`, `${MBX02}:110 pass`, `${MBX02}:995 pass`]);
      const outbound = (await scan(lab, 'edge')).result.checks.filter((check) => check.flow === 'edge.outbound');
      // Both the Internet host and example.org's MX record lead to Postfix.
      expect(outbound.map((check) => `${check.destination.host} ${check.destination.address} ${check.observed.state}`)).toEqual([
        `${MX} ${MX} open`,
        `example.org ${MX} open`,
      ]);
      expect(outbound.map((check) => (check.service as { greeting?: { lines: string[] } } | undefined)?.greeting?.lines)).toEqual([
        ['220 mx.example.org ESMTP Postfix'],
        ['220 mx.example.org ESMTP Postfix'],
      ]);
    }, 60_000);

    test.each(['internet', 'client', 'edge', 'mailbox'] as const)('the correct firewall passes from the %s vantage', async (role) => {
      const { code, result } = await scan(lab, role);
      expect(failing(result).map(brief)).toEqual([]);
      expect(result.summary.pass).toBeGreaterThan(0);
      expect(code).toBe(0);
    }, 120_000);

    test.each(EDGE_FAULTS.map((fault) => [fault.name, fault] as const))('caught: %s', async (_name, fault) => {
      await expectCaught(lab, fault);
    }, 120_000);

    test('scan, change the firewall, scan --baseline: the diff names exactly the change', async () => {
      const before = await scan(lab, 'mailbox');
      expect(before.code).toBe(0);
      const baseline = join(lab.directory, 'baseline.json');
      await writeFile(baseline, JSON.stringify(before.result));
      await lab.setFirewall(withoutFlow('edge.edgesync')(lab.correctRules));
      try {
        const vantage = lab.vantage('mailbox');
        const { code, stdout } = await lab.exec(vantage.namespace, process.execPath, [
          BIN, 'scan', '-t', lab.topologyFile, '--from', `mailbox:${vantage.host}`, '--ca', lab.authorityFile, '--format', 'json', '--baseline', baseline,
        ]);
        expect(code).toBe(1);
        const after = JSON.parse(stdout) as ScanResult & { baseline?: { changes: Change[] } };
        // Exactly one check changed its verdict. (Service facts may differ between any two scans:
        // an Exchange greeting carries the time of day.)
        const verdictChanges = after.baseline?.changes.filter((change) => change.before !== change.after) ?? [];
        expect(verdictChanges.map((change) => `${change.kind} ${change.flow} ${change.destination.host}:${change.port}/${change.transport} ${change.before} -> ${change.after}`)).toEqual([
          `regression edge.edgesync ${EDGE01}:50636/tcp pass -> fail`,
        ]);
      } finally {
        await lab.setFirewall(lab.correctRules);
      }
    }, 120_000);
  });

  describe('organization without an Edge server, in network namespaces', () => {
    let lab: NetnsLab;
    beforeAll(async () => {
      lab = await startNetnsLab({ edge: false });
    }, 60_000);
    afterAll(async () => {
      await lab?.destroy();
    }, 30_000);

    test.each(['internet', 'client', 'mailbox'] as const)('the correct firewall passes from the %s vantage', async (role) => {
      const { code, result } = await scan(lab, role);
      expect(failing(result).map(brief)).toEqual([]);
      expect(code).toBe(0);
    }, 120_000);

    test.each(NO_EDGE_FAULTS.map((fault) => [fault.name, fault] as const))('caught: %s', async (_name, fault) => {
      await expectCaught(lab, fault);
    }, 120_000);
  });
}
