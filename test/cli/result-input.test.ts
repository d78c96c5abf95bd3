import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, runCliAsync, type Run } from '../helpers/cli.js';
import { RESULTS } from '../helpers/report-fixtures.js';

/**
 * Saved results whose optional sections are malformed (issue 10, item 16): every command that
 * reads one (report, diff, merge, scan --baseline) says which file and which field in one line,
 * exit 2 (UNKNOWN, exit 3, under --format nagios); never `internal error` or a stack overflow.
 */
const GOOD = `${RESULTS}mbx01.json`;
const text = readFileSync(GOOD, 'utf8');

const patch = (change: (r: Record<string, any>) => void): string => {
  const r = JSON.parse(text) as Record<string, any>;
  change(r);
  return JSON.stringify(r);
};

const DEEP = 5000;
const MALFORMED: [string, string, RegExp][] = [
  ['merged-sources.json', patch((r) => (r.merged = { sources: 5 })), /merged-sources\.json: merged\.forced: expected true or false \(missing\)$/],
  ['merged-sources-5.json', patch((r) => (r.merged = { forced: false, sources: 5 })), /merged-sources-5\.json: merged\.sources: expected a list \(got 5\)$/],
  ['baseline-changes.json', patch((r) => (r.baseline = { file: 'b.json', startedAt: r.startedAt, changes: 5, summary: {} })), /baseline-changes\.json: baseline\.changes: expected a list \(got 5\)$/],
  ['baseline-string.json', patch((r) => (r.baseline = 'before.json')), /baseline-string\.json: baseline: expected an object \(got "before\.json"\)$/],
  ['deep-extra.json', text.replace(/}\s*$/, `, "extra": ${'{"x":'.repeat(DEEP)}1${'}'.repeat(DEEP)}}`), /deep-extra\.json:\d+:\d+: nested deeper than 32 levels: not an exchange-ports result$/],
];

function expectOneLine(run: Run, pattern: RegExp, code = 2): void {
  expect(run.stderr).not.toContain('internal error');
  expect(run.code).toBe(code);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('a saved result with malformed optional sections, through the built CLI', () => {
  let dir: string;
  const path = (name: string): string => join(dir, name);
  beforeAll(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'xpi-result-'));
    for (const [name, body] of MALFORMED) writeFileSync(path(name), body);
    copyFileSync('fixtures/topologies/edge.yaml', path('edge.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(MALFORMED)('%s: report, diff (either side), merge and scan --baseline name the file and the field, exit 2', async (name, _body, pattern) => {
    const file = path(name);
    expectOneLine(await runCliAsync(['report', file]), pattern);
    expectOneLine(await runCliAsync(['diff', file, GOOD]), pattern);
    expectOneLine(await runCliAsync(['diff', GOOD, file]), pattern);
    expectOneLine(await runCliAsync(['merge', GOOD, file]), pattern);
    // Read before the first packet: the scan never starts (edge.yaml's addresses are not probed).
    expectOneLine(await runCliAsync(['scan', '-t', path('edge.yaml'), '--from', 'mailbox', '--baseline', file]), pattern);
    const nagios = await runCliAsync(['report', file, '--format', 'nagios']);
    expectOneLine(nagios, pattern, 3);
    expect(nagios.stdout).toMatch(new RegExp(`^EXCHANGE-PORTS UNKNOWN - ${file}:`));
    expect(nagios.stdout.split('\n')).toHaveLength(2);
  }, 120_000);
});
