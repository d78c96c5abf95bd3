import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RULE_FORMATS, type RuleFormat } from '../../src/rules/index.js';
import type { RequestRow } from '../../src/rules/words.js';
import type { ScanResult } from '../../src/verdict/types.js';
import { ROOT, requireBuild, runCli, runCliAsync } from '../helpers/cli.js';
import { startDnsServer, type RunningDns } from '../helpers/dns-server.js';
import { TERMINAL_UNSAFE } from '../helpers/report-fixtures.js';
import { whenRoot } from '../helpers/root.js';

/**
 * `exchange-ports rules`: golden files per format over the fixture organizations (regenerate
 * with UPDATE_GOLDEN=1 after a deliberate change, and review the diff), nftables and iptables
 * accept every generated ruleset (as root, in a throwaway network namespace), names resolve
 * through the topology's DNS or stop the command, and `--only-failing` makes the ticket from a result.
 */
const GOLDEN = join(ROOT, 'fixtures/expected/rules');
const TOPOLOGIES = ['edge', 'edge-full', 'no-edge', 'networks'] as const;
const EXT: Readonly<Record<RuleFormat, string>> = {
  table: 'txt',
  markdown: 'md',
  csv: 'csv',
  json: 'json',
  nft: 'nft',
  iptables: 'iptables',
  ip6tables: 'ip6tables',
  'windows-firewall': 'ps1',
};
const topologyFile = (name: string) => `fixtures/topologies/${name}.yaml`;

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(existsSync(file)).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

beforeAll(requireBuild);

describe.each(TOPOLOGIES)('rules -t %s', (topology) => {
  test.each([...RULE_FORMATS])('--format %s: golden output, exit 0', (format) => {
    const run = runCli(['rules', '-t', topologyFile(topology), '--format', format]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    golden(`${topology}.${format}.${EXT[format]}`, run.stdout);
    expect(run.stdout.replace(/[\n\r]/g, '')).not.toMatch(TERMINAL_UNSAFE);
  });
});

whenRoot(() => describe('the firewalls accept every generated ruleset (root, in a throwaway namespace)', () => {
  const namespace = `xpr-check-${randomBytes(3).toString('hex')}`;
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'xpr-rules-'));
    expect(spawnSync('ip', ['netns', 'add', namespace]).status).toBe(0);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', namespace]);
    rmSync(directory, { recursive: true, force: true });
  });

  const CHECKERS: readonly [RuleFormat, string[]][] = [
    ['nft', ['nft', '-c', '-f']],
    ['iptables', ['iptables-restore', '--test']],
    ['ip6tables', ['ip6tables-restore', '--test']],
  ];
  test.each(TOPOLOGIES.flatMap((t) => CHECKERS.map(([format, command]) => [t, format, command] as const)))('%s: %s', (topology, format, command) => {
    const file = join(directory, `${topology}.${format}`);
    writeFileSync(file, runCli(['rules', '-t', topologyFile(topology), '--format', format]).stdout);
    const checked = spawnSync('ip', ['netns', 'exec', namespace, ...command, file], { encoding: 'utf8' });
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  test.each(CHECKERS)('a hostile organization name: %s still accepts the file', (format, command) => {
    const topology = join(directory, 'hostile.yaml');
    const name = 'evil" accept; } flush ruleset\n#\u001b[2J -j ACCEPT \\ `x`';
    writeFileSync(topology, `organization: ${JSON.stringify(name)}\nedge: subscribed\nhosts:\n  mailbox: [198.18.3.10]\n  edge: [198.18.2.25]\n`);
    const file = join(directory, `hostile.${format}`);
    const generated = runCli(['rules', '-t', topology, '--format', format]);
    expect(generated.code).toBe(0);
    writeFileSync(file, generated.stdout);
    const checked = spawnSync('ip', ['netns', 'exec', namespace, ...command, file], { encoding: 'utf8' });
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });
}));

describe('names resolved through the topology\'s DNS', () => {
  let dns: RunningDns;
  let directory: string;
  const topology = (port: number, edge: string) => `organization: tailspin
edge: subscribed
hosts:
  mailbox: [mbx01.tailspin.test, mbx02.tailspin.test]
  edge: [${edge}]
  dns:
    - { address: 127.0.0.1, ports: { dns: ${port} } }
  domain-controller: [dc01.tailspin.test]
`;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'xpr-rules-dns-'));
    dns = await startDnsServer({
      'mbx01.tailspin.test': [{ type: 'A', address: '198.18.3.10' }],
      'mbx02.tailspin.test': [{ type: 'A', address: '198.18.3.11' }, { type: 'AAAA', address: '2001:2:0:3::11' }],
      'edge01.tailspin.test': [{ type: 'A', address: '198.18.2.25' }],
      'dc01.tailspin.test': [{ type: 'A', address: '198.18.3.5' }],
    });
  });
  afterAll(async () => {
    await dns?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('every name becomes its addresses (A and AAAA) in the rules', async () => {
    const file = join(directory, 'names.yaml');
    writeFileSync(file, topology(dns.udpPort, 'edge01.tailspin.test'));
    const run = await runCliAsync(['rules', '-t', file, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = (JSON.parse(run.stdout) as { rules: RequestRow[] }).rules;
    expect(rows.find((r) => r.flows.includes('edge.edgesync'))).toMatchObject({
      service: 'tcp 50636',
      source: ['mbx01.tailspin.test (198.18.3.10)', 'mbx02.tailspin.test (198.18.3.11, 2001:2:0:3::11)'],
      destination: ['edge01.tailspin.test (198.18.2.25)'],
    });
    const nft = await runCliAsync(['rules', '-t', file, '--format', 'nft']);
    expect(nft.stdout).toContain('ip6 saddr 2001:2:0:3::11 ip6 daddr 2001:2:0:3::11 accept');
    expect(nft.stdout).toContain('ip saddr { 198.18.3.10, 198.18.3.11 } ip daddr 198.18.2.25 tcp dport 50636 accept');
  });

  test('a name that does not resolve stops the command, named, exit 2', async () => {
    const file = join(directory, 'missing.yaml');
    writeFileSync(file, topology(dns.udpPort, 'edge09.tailspin.test'));
    const run = await runCliAsync(['rules', '-t', file, '--format', 'nft']);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `exchange-ports: ${file}: cannot put these hosts in a rule: they do not resolve through the topology's DNS: edge09.tailspin.test A: NXDOMAIN, edge09.tailspin.test AAAA: NXDOMAIN (give each an address:)\n`,
    );
    expect(run.code).toBe(2);
  });

  test('names without a DNS server address to ask: exit 2, naming them', () => {
    const file = join(directory, 'no-dns.yaml');
    writeFileSync(file, 'organization: tailspin\nhosts:\n  mailbox: [mbx01.tailspin.test, 198.18.3.11]\n  dns: [dns01.tailspin.test]\n');
    const run = runCli(['rules', '-t', file]);
    expect(run.stderr).toBe(
      `exchange-ports: ${file}: cannot put these hosts in a rule without their addresses: mbx01.tailspin.test, dns01.tailspin.test (no DNS server address under hosts.dns to resolve them with; give each an address:)\n`,
    );
    expect(run.code).toBe(2);
  });
});

describe('rules --only-failing and the usage', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'xpr-rules-only-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** A saved result whose failing rows carry the rule that fixes them, as a scan writes it. */
  function resultWithRules(): string {
    const result = JSON.parse(readFileSync(join(ROOT, 'fixtures/results/internet.json'), 'utf8')) as ScanResult;
    const checks = result.checks.map((c, i) => {
      if (c.verdict !== 'fail' && c.verdict !== 'exposed') return c;
      const action = c.verdict === 'fail' ? 'allow' : 'deny';
      const row = { action, service: `${c.transport} ${c.port}`, source: ['Internet (any)'], destination: [`host${i % 2}`], bothWays: false, flows: [c.flow], why: 'w' } as const;
      return { ...c, rule: { ...row, text: `${action} ${row.service} from Internet (any) to ${row.destination[0]}: ${c.flow}` } };
    });
    const file = join(directory, 'with-rules.json');
    writeFileSync(file, JSON.stringify({ ...result, checks }));
    return file;
  }

  test('the change request that fixes a result: one row per rule, destinations joined', () => {
    const file = resultWithRules();
    const result = JSON.parse(readFileSync(file, 'utf8')) as ScanResult;
    const failing = result.checks.filter((c) => c.rule);
    expect(failing.length).toBeGreaterThan(0);
    const run = runCli(['rules', '--only-failing', file, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = (JSON.parse(run.stdout) as { rules: RequestRow[] }).rules;
    const expected = new Map<string, Set<string>>();
    for (const c of failing) {
      const key = `${c.rule!.action} ${c.rule!.service} ${c.flow}`;
      expected.set(key, (expected.get(key) ?? new Set()).add(c.rule!.destination[0]!));
    }
    expect(rows.map((r) => `${r.action} ${r.service} ${r.flows.join()} -> ${r.destination.join()}`).sort()).toEqual(
      [...expected].map(([key, to]) => `${key} -> ${[...to].join()}`).sort(),
    );
    expect(runCli(['rules', '--only-failing', file, '--format', 'table']).stdout).toMatch(/^Firewall change request for contoso \(from .*with-rules\.json\): \d+ rules\n/);
  });

  test('a result without failing rows: an empty request that says so', () => {
    const run = runCli(['rules', '--only-failing', 'fixtures/results/after-fixed.json', '--format', 'csv']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('"action","service","source","destination","flow","why"\r\n');
  });

  test.each([
    [['rules'], 'exchange-ports: rules: give the topology (-t FILE), or scan results with --only-failing\n'],
    [['rules', '--only-failing', 'fixtures/results/mbx01.json', '--format', 'nft'], 'exchange-ports: --only-failing makes a change request: --format table, markdown, csv, json (not nft)\n'],
    [['rules', '--only-failing', 'fixtures/results/mbx01.json', '-t', 'fixtures/topologies/edge.yaml'], 'exchange-ports: rules: --only-failing reads the rules from the scan results: no -t or --from with it\n'],
    [['rules', '-t', 'fixtures/topologies/edge.yaml', '--timeout', '0'], 'exchange-ports: --timeout: expected milliseconds from 1 to 60000, got 0\n'],
    [['rules', '-t', 'fixtures/topologies/edge.yaml', '--from', 'router'], 'exchange-ports: --from router: unknown role "router" (one of: auto, internet, client, mailbox, edge, dns, domain-controller, office365, voip-gateway)\n'],
    [['rules', '--only-failing', 'fixtures/results/invalid/not-json.json'], undefined],
  ])('%j: one line, exit 2', (args, stderr) => {
    const run = runCli(args);
    if (stderr !== undefined) expect(run.stderr).toBe(stderr);
    else expect(run.stderr).toMatch(/^exchange-ports: fixtures\/results\/invalid\/not-json\.json(:\d+:\d+)?: not JSON: [^\n]*\n$/);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });

  test('a malformed rule in a result is refused, naming the field', () => {
    const result = JSON.parse(readFileSync(join(ROOT, 'fixtures/results/internet.json'), 'utf8')) as ScanResult;
    const file = join(directory, 'bad-rule.json');
    writeFileSync(file, JSON.stringify({ ...result, checks: [{ ...result.checks[0], rule: { action: 'open' } }] }));
    const run = runCli(['rules', '--only-failing', file]);
    expect(run.stderr).toBe(`exchange-ports: ${file}: checks[0].rule.action: expected one of allow, deny (got "open")\n`);
    expect(run.code).toBe(2);
  });

  test('--from edge: only the rules for traffic from the Edge server', () => {
    const run = runCli(['rules', '-t', 'fixtures/topologies/edge.yaml', '--from', 'edge', '--format', 'json']);
    expect(run.code).toBe(0);
    const rows = (JSON.parse(run.stdout) as { rules: RequestRow[] }).rules;
    expect([...new Set(rows.flatMap((r) => r.flows))]).toEqual(['edge.to-internal', 'edge.outbound', 'edge.dns', 'edge.open-proxy', 'perimeter.edge-to-mailbox', 'default']);
    expect(rows.every((r) => r.source.join() === 'edge01.contoso.com (198.18.2.25)' || r.flows[0] === 'default')).toBe(true);
  });
});
