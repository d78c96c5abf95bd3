import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL } from '../../src/model/index.js';
import { plan } from '../../src/plan/plan.js';
import { diffResults } from '../../src/report/diff.js';
import { formatters, type ReportOptions } from '../../src/report/index.js';
import { mergeResults } from '../../src/report/merge.js';
import { formatPlan } from '../../src/report/plan.js';
import type { Report } from '../../src/report/types.js';
import { fixture, ROOT } from '../helpers/report-fixtures.js';

const TOOL = { name: 'exchange-ports', version: 'test' };
const internet = fixture('internet.json');
const mbx01 = fixture('mbx01.json');
const merged = mergeResults([{ file: 'internet.json', result: internet }, { file: 'mbx01.json', result: mbx01 }], { force: false, tool: TOOL });
const render = (format: keyof typeof formatters, report: Report, options: Partial<ReportOptions> = {}) => formatters[format](report, { color: false, ...options });

describe('item 8: a host name beside its address', () => {
  test.each(['table', 'junit', 'markdown', 'nagios'] as const)('%s names edge01.contoso.com (198.18.2.25)', (format) => {
    expect(render(format, merged)).toContain('edge01.contoso.com (198.18.2.25)');
  });
  test('prometheus carries destination_name; json keeps destination.name', () => {
    expect(render('prometheus', merged)).toContain('destination_name="edge01.contoso.com"');
    expect(JSON.parse(render('json', merged)).checks.some((c: { destination: { name?: string } }) => c.destination.name === 'edge01.contoso.com')).toBe(true);
  });
  test('nagios tells apart the two addresses behind mail.contoso.com', () => {
    const first = render('nagios', internet).split('\n')[0] as string;
    expect(first).toContain('mail.contoso.com (2001:db8:18::80) 443/tcp');
    expect(first).toContain('mail.contoso.com (198.18.1.80) 2525/tcp');
  });
});

describe('item 9: what the plan could not check', () => {
  const note = 'hybrid.outbound-https: not checked: no office365 hosts';
  test.each(['table', 'markdown', 'nagios', 'junit'] as const)('%s shows the notes', (format) => {
    expect(render(format, mbx01)).toContain(note);
  });
  test('junit lists each as a skipped test case', () => {
    expect(render('junit', mbx01)).toMatch(/<testcase name="hybrid\.outbound-https[^"]*" classname="exchange-ports\.not-checked" time="0\.000">\n\s*<skipped /);
  });
});

describe('item 10: the table on a terminal', () => {
  const tty = { terminal: { columns: 80 } };
  test('at 80 columns no line is wider than 80', () => {
    for (const report of [internet, mbx01, merged]) {
      for (const line of render('table', report, tty).split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    }
  });
  test('problems listed, passes counted per block; --all and a pipe list every row', () => {
    const text = render('table', mbx01, tty);
    expect(text).toContain('4 more pass (--all lists them)');
    expect(text).not.toMatch(/^ {2}PASS /m);
    expect(render('table', mbx01, { ...tty, all: true })).toMatch(/^ {2}PASS /m);
    expect(render('table', mbx01)).toMatch(/^ {2}PASS /m);
    expect(render('table', mbx01)).not.toContain('more pass');
  });
  test('a certificate finding is said once per certificate, not per port', () => {
    const text = render('table', internet);
    expect(text.match(/warning: tls\.expires-soon/g)).toHaveLength(1);
    expect(text).toContain('(same certificate on 587/tcp)');
  });
  test('plain ASCII: "..." where text is cut, no box drawing (Windows PowerShell 5.1 code pages)', () => {
    for (const format of ['table', 'markdown', 'nagios'] as const) expect(render(format, merged)).not.toMatch(/[\u2026\u2500-\u257f]/);
    expect(render('table', internet)).toContain('...');
  });
});

describe('item 11: vantages kept apart', () => {
  test('diff of results from different vantages is refused naming both, unless forced', () => {
    expect(() => diffResults(internet, mbx01, 'internet.json', { afterName: 'mbx01.json' })).toThrow(
      'internet.json was taken from internet and mbx01.json from mailbox mbx01.contoso.local: results from different vantages cannot be compared; compare them anyway with --force',
    );
    expect(diffResults(internet, mbx01, 'internet.json', { force: true }).changes.length).toBeGreaterThan(0);
  });
  test('junit: no two test cases share class and name, the vantage is in the class', () => {
    const mbx02 = { ...mbx01, vantage: { role: 'mailbox' as const, host: 'mbx02.contoso.local' }, checks: mbx01.checks.map((c) => ({ ...c, source: { role: 'mailbox' as const, host: 'mbx02.contoso.local' } })) };
    const both = mergeResults([{ file: 'a.json', result: mbx01 }, { file: 'b.json', result: mbx02 }], { force: false, tool: TOOL });
    const xml = render('junit', both);
    const keys = [...xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)].map((m) => `${m[2]}|${m[1]}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(xml).toContain('classname="exchange-ports.mailbox-mbx02_contoso_local.to-edge"');
  });
  test('merge says so when two results come from the same vantage', () => {
    const twice = mergeResults([{ file: 'a.json', result: mbx01 }, { file: 'b.json', result: mbx01 }], { force: false, tool: TOOL });
    expect(render('table', twice)).toContain('same vantage: 2 results from mailbox mbx01.contoso.local (a.json, b.json)');
    expect(render('markdown', twice)).toContain('same vantage');
  });
  test('a comment edit is not another topology; other content is', () => {
    const edited = fixture('mbx01-comment-edit.json');
    expect(edited.topology.sha256).not.toBe(mbx01.topology.sha256);
    expect(() => mergeResults([{ file: 'a', result: mbx01 }, { file: 'b', result: edited }], { force: false, tool: TOOL })).not.toThrow();
    expect(() => mergeResults([{ file: 'a', result: mbx01 }, { file: 'b', result: fixture('mbx01-other-topology.json') }], { force: false, tool: TOOL })).toThrow('different topologies');
  });
  test('prometheus: one scan timestamp per vantage', () => {
    const lines = render('prometheus', merged).split('\n').filter((l) => l.startsWith('exchange_ports_scan_timestamp_seconds{'));
    expect(lines).toEqual([
      `exchange_ports_scan_timestamp_seconds{vantage_role="internet",vantage_host=""} ${Date.parse(internet.finishedAt) / 1000}`,
      `exchange_ports_scan_timestamp_seconds{vantage_role="mailbox",vantage_host="mbx01.contoso.local"} ${Date.parse(mbx01.finishedAt) / 1000}`,
    ]);
  });
});

describe('item 12: JUnit schema, Nagios size and perfdata', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'xr-junit-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  test.each([
    ['internet', internet],
    ['mbx01', mbx01],
    ['merged', merged],
    ['baseline', { ...mbx01, baseline: diffResults(fixture('before.json'), fixture('after.json'), 'before.json') }],
  ] as const)('%s validates against junit-10.xsd (xmllint)', (name, report) => {
    const file = join(dir, `${name}.xml`);
    writeFileSync(file, render('junit', report as Report));
    expect(() => execFileSync('xmllint', ['--noout', '--schema', join(ROOT, 'fixtures/junit/junit-10.xsd'), file], { stdio: 'pipe' })).not.toThrow();
  });
  test.each([
    ['skipped on <testsuites>', (xml: string) => xml.replace('<testsuites ', '<testsuites skipped="1" ')],
    ['a <testsuite> without failures', (xml: string) => xml.replace(/(<testsuite [^>]*?) failures="\d+"/, '$1')],
    ['a time that is not seconds', (xml: string) => xml.replace(/(<testsuite [^>]*?) time="[^"]*"/, '$1 time="1s"')],
    ['an attribute the schema does not know on <testcase>', (xml: string) => xml.replace('<testcase ', '<testcase status="x" ')],
  ] as const)('the schema refuses what Jenkins xunit refuses: %s', (name, spoil) => {
    const valid = render('junit', mbx01);
    const spoiled = spoil(valid);
    expect(spoiled).not.toBe(valid);
    const file = join(dir, `spoiled-${name.replace(/\W+/g, '-')}.xml`);
    writeFileSync(file, spoiled);
    expect(() => execFileSync('xmllint', ['--noout', '--schema', join(ROOT, 'fixtures/junit/junit-10.xsd'), file], { stdio: 'pipe' })).toThrow();
  });
  test('nagios output stays under 4 KB however many checks fail, and says how many lines were left out', () => {
    const many = { ...internet, checks: Array.from({ length: 500 }, (_, i) => ({ ...(internet.checks[0] as Report['checks'][number]), id: `x${i}`, verdict: 'fail' as const })) };
    const text = render('nagios', many);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/\n\.\.\. \d+ more lines \(see the JSON result\)\n$/);
  });
  test('cert_days_left_min has warn/crit thresholds; a response time per check kind', () => {
    const first = render('nagios', internet, { certDays: { warn: 40, crit: 10 } }).split('\n')[0] as string;
    expect(first).toContain('cert_days_left_min=20;40:;10:');
    expect(first).toContain('rtt_smtp_max=0.002500s;;;0');
    expect(first).toContain('rtt_http_max=0.001250s;;;0');
  });
});

describe('item 22: never a duplicate Prometheus series', () => {
  const series = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' ')));
  test('merge of the same vantage twice, and a result with a check twice', () => {
    const twice = mergeResults([{ file: 'a.json', result: mbx01 }, { file: 'b.json', result: mbx01 }], { force: false, tool: TOOL });
    const doubled = { ...mbx01, checks: [...mbx01.checks, ...mbx01.checks] };
    for (const report of [twice, doubled]) {
      const all = series(render('prometheus', report));
      expect(new Set(all).size).toBe(all.length);
    }
  });
});

describe('item 23: the plan table renders linearly', () => {
  test('3,000 Mailbox servers: every check one line, plain columns', () => {
    const hosts = Array.from({ length: 3000 }, (_, i) => ({ name: `mbx${i}.contoso.local`, address: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`, ports: {}, edgeSync: true }));
    const topology = { ...(JSON.parse('{}') as object), file: 't.yaml', sha256: '0'.repeat(64), organization: 'contoso', features: { edge: false, imap4: false, pop3: false, smtpSubmission: true, outboundProxy: false, openProxyDetection: false, hybrid: false, unifiedMessaging: false }, hosts: { internet: [], client: [], mailbox: hosts, edge: [], dns: [], 'domain-controller': [], office365: [], 'voip-gateway': [] } };
    const p = plan(MODEL, topology as never, { role: 'mailbox', host: 'mbx0.contoso.local' });
    expect(p.checks.length).toBeGreaterThan(40_000);
    const lines = formatPlan(p, 'table').trimEnd().split('\n');
    expect(lines).toHaveLength(2 + p.checks.length + p.notes.length);
    expect(lines[2]).toMatch(/^internal\.exchange +mailbox mbx1\.contoso\.local \(198\.18\.0\.2\) +\d+\/tcp +unrestricted +tcp$/);
  }, 60_000);
});
