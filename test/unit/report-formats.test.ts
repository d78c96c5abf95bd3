import { parse as parseJunit } from 'junit2json';
import parsePrometheus from 'parse-prometheus-text-format';
import { SaxesParser } from 'saxes';
import { VERDICTS } from '../../src/model/types.js';
import { diffResults } from '../../src/report/diff.js';
import { exitCode, FORMATS, formatters, type Format } from '../../src/report/index.js';
import { mergeResults } from '../../src/report/merge.js';
import type { Report } from '../../src/report/types.js';
import { fixture, hostileGreeting, resultSchema, TERMINAL_UNSAFE } from '../helpers/report-fixtures.js';

const validate = resultSchema({ allErrors: true });

const internet = fixture('internet.json');
const withBaseline = (before: string, after: string): Report => ({ ...fixture(after), baseline: diffResults(fixture(before), fixture(after), before) });
const merged = mergeResults(
  [
    { file: 'internet.json', result: internet },
    { file: 'mbx01.json', result: fixture('mbx01.json') },
  ],
  { force: false, tool: { name: 'exchange-ports', version: '0.1.0' } },
);

/** Every kind of report the formatters see: single vantage, baseline, merged. */
const REPORTS: [string, Report][] = [
  ['internet', internet],
  ['mbx01', fixture('mbx01.json')],
  ['diff', withBaseline('before.json', 'after.json')],
  ['merged', merged],
];

const render = (format: Format, report: Report, changesOnly = false) => formatters[format](report, { color: false, changesOnly });

describe('json', () => {
  test.each(REPORTS)('%s: the JSON output validates against src/report/result.schema.json', (_name, report) => {
    const value = JSON.parse(render('json', report)) as unknown;
    const ok = validate(value);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the schema rejects what the contract forbids', () => {
    const bad = (patch: (r: Record<string, unknown>) => void) => {
      const copy = JSON.parse(render('json', internet)) as Record<string, unknown>;
      patch(copy);
      return validate(copy);
    };
    expect(bad((r) => (r.schemaVersion = 2))).toBe(false);
    expect(bad((r) => delete r.summary)).toBe(false);
    expect(bad((r) => ((r.checks as Record<string, unknown>[])[0]!.verdict = 'maybe'))).toBe(false);
    expect(bad((r) => ((r.topology as Record<string, unknown>).sha256 = 'abc'))).toBe(false);
  });

  test('server text stays raw in JSON, and JSON never carries a raw control character', () => {
    const text = render('json', internet);
    expect(JSON.stringify(JSON.parse(text))).toContain(JSON.stringify(hostileGreeting()).slice(1, -1));
    expect(TERMINAL_UNSAFE.test(text.replace(/\n/g, ''))).toBe(false);
  });
});

/** Strict XML 1.0 well-formedness (saxes refuses characters XML cannot carry). */
function wellFormed(xml: string): void {
  const parser = new SaxesParser();
  const errors: string[] = [];
  parser.on('error', (e) => errors.push(e.message));
  parser.write(xml).close();
  expect(errors).toEqual([]);
}

describe('junit', () => {
  test.each(REPORTS)('%s: well-formed XML that a JUnit parser reads', async (_name, report) => {
    const xml = render('junit', report);
    wellFormed(xml);
    const parsed = await parseJunit(xml);
    expect(parsed).toBeDefined();
  });

  test('one testsuite per pair, one testcase per check, failures and skips by verdict', async () => {
    const parsed = (await parseJunit(render('junit', internet))) as { testsuite: { name: string; tests: number; failures: number; skipped: number; testcase: { failure?: unknown[]; skipped?: unknown[] }[] }[]; tests: number; failures: number };
    expect(parsed.testsuite.map((s) => s.name)).toEqual([
      'internet -> mailbox mail.contoso.com (198.18.1.80)',
      'internet -> mailbox mail.contoso.com (2001:db8:18::80)',
      'internet -> edge edge01.contoso.com (198.18.2.25)',
    ]);
    const cases = parsed.testsuite.flatMap((s) => s.testcase);
    const s = internet.summary;
    expect(cases).toHaveLength(s.total);
    expect(cases.filter((c) => c.failure).length).toBe(s.fail + s.down + s.exposed);
    expect(cases.filter((c) => c.skipped).length).toBe(s.skipped + s.inconclusive);
    expect(parsed.tests).toBe(s.total);
    expect(parsed.failures).toBe(s.fail + s.down + s.exposed);
    for (const suite of parsed.testsuite) {
      expect(suite.tests).toBe(suite.testcase.length);
      expect(suite.failures).toBe(suite.testcase.filter((c) => c.failure).length);
      expect(suite.skipped).toBe(suite.testcase.filter((c) => c.skipped).length);
    }
  });

  test('a hostile banner arrives as text: `]]>`, `&` and `<` intact, controls gone', async () => {
    const xml = render('junit', internet);
    expect(xml).not.toMatch(TERMINAL_UNSAFE);
    const parsed = (await parseJunit(xml)) as { testsuite: { testcase: { name: string; 'system-out'?: string[] }[] }[] };
    const out = parsed.testsuite.flatMap((s) => s.testcase).find((c) => c.name.startsWith('client.smtp-submission'))?.['system-out']?.[0];
    expect(out).toContain('220 mail.contoso.com ]]> & <b>x</b> | `t`');
    expect(out).not.toMatch(TERMINAL_UNSAFE);
  });

  test('characters XML 1.0 cannot carry never reach the document', () => {
    const nasty: Report = { ...internet, checks: internet.checks.map((c) => ({ ...c, why: `${c.why} \uffff\ufffe\u0000\u001b[1m]]>` })) };
    wellFormed(render('junit', nasty));
  });

  test('the diff view holds only the changes: failures for regressions and new exposures', async () => {
    const report = withBaseline('before.json', 'after.json');
    const parsed = (await parseJunit(render('junit', report, true))) as { testsuite: { name: string; testcase: { failure?: { type?: string }[] }[] }[] };
    expect(parsed.testsuite.map((s) => s.name)).toEqual(['changes since before.json']);
    const types = parsed.testsuite[0]!.testcase.flatMap((c) => c.failure ?? []).map((f) => f.type);
    expect(types.sort()).toEqual(['new-exposure', 'regression']);
  });
});

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

describe('prometheus', () => {
  test.each(REPORTS)('%s: the exposition parser reads every line; names, grouping and series follow the format', (_name, report) => {
    const text = render('prometheus', report);
    const families = parsePrometheus(text);
    const names = families.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    const sampleLines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(families.reduce((n, f) => n + f.metrics.length, 0)).toBe(sampleLines.length);
    for (const f of families) {
      expect(f.name).toMatch(METRIC);
      expect(f.name.startsWith('exchange_ports_')).toBe(true);
      expect(f.type).toBe('GAUGE');
      expect(f.help).not.toBe('');
      const series = new Set<string>();
      for (const m of f.metrics) {
        expect(m.timestamp_ms).toBeUndefined();
        expect(Number.isNaN(Number(m.value))).toBe(false);
        for (const label of Object.keys(m.labels ?? {})) expect(label).toMatch(LABEL);
        series.add(JSON.stringify(m.labels ?? {}));
      }
      expect(series.size).toBe(f.metrics.length);
    }
  });

  test('per check: up, verdict and observed state as one-hot gauges, round trip in seconds, certificate expiry', () => {
    const families = new Map(parsePrometheus(render('prometheus', internet)).map((f) => [f.name, f]));
    const up = families.get('exchange_ports_check_up')!.metrics;
    expect(up).toHaveLength(internet.checks.length);
    expect(up.filter((m) => m.value === '0')).toHaveLength(3);
    const verdicts = families.get('exchange_ports_check_verdict')!.metrics;
    expect(verdicts).toHaveLength(internet.checks.length * VERDICTS.length);
    expect(verdicts.filter((m) => m.value === '1')).toHaveLength(internet.checks.length);
    const down = verdicts.find((m) => m.value === '1' && m.labels?.verdict === 'down');
    expect(down?.labels).toMatchObject({ flow: 'edge.inbound', destination_host: '198.18.2.25', port: '25', transport: 'tcp' });
    const v6 = up.find((m) => m.labels?.address === '2001:db8:18::80');
    expect(v6?.value).toBe('0');
    const rtt = families.get('exchange_ports_check_rtt_seconds')!.metrics.find((m) => m.labels?.check === 'client.smtp-submission:mail.contoso.com:587/tcp');
    expect(Number(rtt?.value)).toBeCloseTo(0.0025, 6);
    const expiry = families.get('exchange_ports_check_certificate_expiry_timestamp_seconds')!.metrics;
    expect(expiry).toHaveLength(2);
    for (const e of expiry) expect(Number(e.value)).toBe(Date.parse(internet.finishedAt) / 1000 + 20 * 86400);
    expect(families.get('exchange_ports_scan_duration_seconds')!.metrics[0]!.value).toBe('12.5');
    expect(families.get('exchange_ports_scan_timestamp_seconds')!.metrics[0]!.value).toBe(String(Date.parse(internet.finishedAt) / 1000));
  });

  test('label values are escaped and come back as they went in', () => {
    const odd = 'we"ird\\host\nname';
    const report: Report = { ...internet, checks: [{ ...internet.checks[0]!, destination: { ...internet.checks[0]!.destination, host: odd } }] };
    const text = render('prometheus', report);
    expect(text).toContain('destination_host="we\\"ird\\\\host name"');
    const up = parsePrometheus(text).find((f) => f.name === 'exchange_ports_check_up')!;
    expect(up.metrics[0]!.labels?.destination_host).toBe('we"ird\\host name');
  });

  test('a baseline adds the change counts', () => {
    const families = parsePrometheus(render('prometheus', withBaseline('before.json', 'after.json')));
    const changes = families.find((f) => f.name === 'exchange_ports_baseline_changes')!.metrics;
    expect(Object.fromEntries(changes.map((m) => [m.labels?.change, Number(m.value)]))).toMatchObject({ regression: 1, 'new-exposure': 1, fixed: 1 });
  });
});

/** Monitoring-plugins output: `'label'=value[UOM];[warn];[crit];[min];[max]`. */
/** label=value[UOM];[warn];[crit];[min];[max], thresholds in range syntax (`30:`, `@10:20`, `~:5`). */
const PERF = /^'?[^'= ]+'?=-?\d+(\.\d+)?(s|ms|us|%|B|KB|MB|TB|c)?(;(@?(~|-?\d+(\.\d+)?)?:?(-?\d+(\.\d+)?)?)?){0,2}(;(-?\d+(\.\d+)?)?){0,2}$/;

describe('nagios', () => {
  test.each(REPORTS)('%s: one status line with valid perfdata; no pipe anywhere else', (_name, report) => {
    const [first, ...rest] = render('nagios', report).trimEnd().split('\n');
    expect(first).toMatch(/^EXCHANGE-PORTS (OK|WARNING|CRITICAL|UNKNOWN) - [^|]+ \| /);
    const perf = first!.split(' | ')[1]!.split(' ');
    for (const p of perf) expect(p).toMatch(PERF);
    for (const line of rest) expect(line).not.toContain('|');
    expect(render('nagios', report)).not.toMatch(TERMINAL_UNSAFE);
  });

  test('CRITICAL names the blocked flows, the exposures and the services down', () => {
    const first = render('nagios', internet).split('\n')[0]!;
    expect(first).toMatch(/^EXCHANGE-PORTS CRITICAL - 1 required flow blocked: client\.https internet->mail\.contoso\.com \(2001:db8:18::80\) 443\/tcp; 1 forbidden flow reachable: perimeter\.internet-to-mailbox internet->mail\.contoso\.com \(198\.18\.1\.80\) 2525\/tcp; 1 required service down: edge\.inbound internet->edge01\.contoso\.com \(198\.18\.2\.25\) 25\/tcp \| /);
    expect(first).toContain('exposed=1;;;0;12');
    expect(first).toContain('duration=12.500s;;;0');
    expect(first).toContain('cert_days_left_min=20');
    expect(exitCode(internet, 'nagios')).toBe(2);
  });

  test('WARNING for warn verdicts only, OK when clean, UNKNOWN when nothing answered', () => {
    const only = (verdicts: string[]): Report => {
      const checks = internet.checks.filter((c) => verdicts.includes(c.verdict));
      return { ...internet, checks };
    };
    expect(render('nagios', only(['warn', 'pass'])).split('\n')[0]).toMatch(/^EXCHANGE-PORTS WARNING - 2 service warnings: client\.https internet->mail\.contoso\.com \(198\.18\.1\.80\) 443\/tcp, client\.smtp-submission internet->mail\.contoso\.com \(198\.18\.1\.80\) 587\/tcp \| /);
    expect(exitCode(only(['warn', 'pass']), 'nagios')).toBe(1);
    expect(render('nagios', only(['pass', 'skipped'])).split('\n')[0]).toMatch(/^EXCHANGE-PORTS OK - 6 checks: 4 pass, 2 skipped \| /);
    expect(exitCode(only(['pass', 'skipped']), 'nagios')).toBe(0);
    const dead: Report = { ...internet, couldNotScan: 'nothing answered | not even the positive control' };
    expect(render('nagios', dead).split('\n')[0]).toMatch(/^EXCHANGE-PORTS UNKNOWN - could not scan: nothing answered \/ not even the positive control \| /);
    expect(exitCode(dead, 'nagios')).toBe(3);
  });

  test('with a baseline: CRITICAL for regressions and new exposures, known failures only WARNING', () => {
    const diff = withBaseline('before.json', 'after.json');
    expect(render('nagios', diff).split('\n')[0]).toMatch(/^EXCHANGE-PORTS CRITICAL - 1 regression: edge\.from-internal mbx01->edge01\.contoso\.com \(198\.18\.2\.25\) 25\/tcp; 1 new exposure: perimeter\.mailbox-to-edge mbx01->edge01\.contoso\.com \(198\.18\.2\.25\) 3389\/tcp; 1 flow not checked \| /);
    const known = withBaseline('before.json', 'before.json');
    expect(render('nagios', known).split('\n')[0]).toMatch(/^EXCHANGE-PORTS WARNING - 1 known failure unchanged since the baseline; 1 flow not checked \| /);
    expect(exitCode(known, 'nagios')).toBe(1);
  });
});

describe('markdown', () => {
  test('a summary table and the rows that need action, worst first', () => {
    const text = render('markdown', internet);
    expect(text.split('\n')[0]).toBe('## exchange-ports: 3 failing');
    const verdictCells = text.split('\n').filter((l) => l.startsWith('| **')).map((l) => l.split('|')[1]!.trim());
    expect(verdictCells).toEqual(['**exposed**', '**fail**', '**down**', '**warn**', '**warn**']);
    expect(text.length).toBeLessThan(65536);
  });

  test('server text cannot inject markup, mentions or table cells', () => {
    const text = render('markdown', { ...internet, checks: internet.checks.map((c) => ({ ...c, verdict: 'warn' as const })) });
    const row = text.split('\n').find((l) => l.includes('client.smtp-submission'))!;
    expect(row).toContain("`220 mail.contoso.com ]]> & <b>x</b> \\| 't' @admins 'q'");
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(10);
    expect(text).not.toMatch(TERMINAL_UNSAFE);
  });

  test('long results are cut to a PR comment: at most 50 rows and a pointer to the rest', () => {
    const many: Report = { ...internet, checks: Array.from({ length: 120 }, (_, i) => ({ ...internet.checks[0]!, id: `x${i}`, verdict: 'fail' as const })) };
    const text = render('markdown', many);
    expect(text.split('\n').filter((l) => l.startsWith('| **fail**'))).toHaveLength(50);
    expect(text).toContain('...and 70 more');
  });
});

describe('table', () => {
  test('one block per pair, failures first, verdicts in words, a summary line', () => {
    const text = render('table', internet);
    const blocks = text.split('\n').filter((l) => l.startsWith('internet -> '));
    expect(blocks).toEqual(['internet -> mailbox mail.contoso.com (198.18.1.80)', 'internet -> mailbox mail.contoso.com (2001:db8:18::80)', 'internet -> edge edge01.contoso.com (198.18.2.25)']);
    expect(text.trimEnd().split('\n').pop()).toBe('summary: 12 checks: 1 exposed, 1 fail, 1 down, 2 warn, 1 inconclusive, 4 pass, 2 skipped');
    const first = text.split('\n').find((l) => l.startsWith('  EXPOSED'));
    expect(first).toContain('2525/tcp');
    expect(text).not.toMatch(TERMINAL_UNSAFE);
  });

  test('colour only when asked: verdicts painted, server text still inert', () => {
    const plain = formatters.table(internet, { color: false });
    const coloured = formatters.table(internet, { color: true });
    expect(plain).not.toContain('\u001b');
    expect(coloured).toContain('\u001b[1;31mEXPOSED\u001b[0m');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  test('the diff view lists the changes, regressions first', () => {
    const text = render('table', withBaseline('before.json', 'after.json'), true);
    const changes = text.split('\n').filter((l) => /^ {2}[A-Z]/.test(l)).map((l) => l.trim().split(':')[0]);
    expect(changes).toEqual(['REGRESSION', 'NEW EXPOSURE', 'FIXED', 'SERVICE CHANGE', 'SERVICE CHANGE', 'VERDICT CHANGE', 'NEW CHECK', 'REMOVED CHECK']);
    expect(text).toContain('1 regression, 1 new exposure, 1 fixed, 2 service change, 1 verdict change, 1 new check, 1 removed check, 6 unchanged');
  });
});

describe('exit codes', () => {
  const clean: Report = { ...internet, checks: internet.checks.filter((c) => c.verdict === 'pass') };
  test.each(FORMATS.filter((f) => f !== 'nagios'))('%s: 1 on fail/down/exposed, 0 when clean, 3 when nothing answered', (format) => {
    expect(exitCode(internet, format)).toBe(1);
    expect(exitCode(clean, format)).toBe(0);
    expect(exitCode({ ...clean, couldNotScan: 'no answer' }, format)).toBe(3);
  });

  test('with a baseline only a regression or new exposure fails', () => {
    expect(exitCode(withBaseline('before.json', 'after.json'), 'table')).toBe(1);
    expect(exitCode(withBaseline('before.json', 'after-fixed.json'), 'table')).toBe(0);
    expect(exitCode(withBaseline('before.json', 'before.json'), 'json')).toBe(0);
  });
});
