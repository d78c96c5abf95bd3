import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { EXPECTED, resultSchema, ROOT, TERMINAL_UNSAFE } from '../helpers/report-fixtures.js';

/**
 * Golden files: the built CLI (`npm run build` first) renders fixed results with NO_COLOR=1 and
 * the output must equal fixtures/expected/ byte for byte. After a deliberate change to a format,
 * regenerate with UPDATE_GOLDEN=1 and review the diff.
 */
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const validResult = resultSchema();

const run = (args: string[]) => runCli(args);

/** The merging tool writes its own version: keep golden files valid across releases. */
const normalize = (text: string) => text.split(VERSION).join('<version>');

function golden(name: string, actual: string): void {
  const file = join(EXPECTED, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  expect(existsSync(file)).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

const R = 'fixtures/results/';
const EXT = { table: 'txt', json: 'json', junit: 'xml', markdown: 'md', nagios: 'txt', prometheus: 'prom' } as const;
type Fmt = keyof typeof EXT;
const FORMATS = Object.keys(EXT) as Fmt[];

/** name, command line (without --format), exit code per format (nagios has its own). */
const SCENARIOS: [string, string[], number, number][] = [
  ['scan', ['report', `${R}internet.json`], 1, 2],
  ['mailbox', ['report', `${R}mbx01.json`], 1, 2],
  ['diff', ['diff', `${R}before.json`, `${R}after.json`], 1, 2],
  ['diff-fixed', ['diff', `${R}before.json`, `${R}after-fixed.json`], 0, 0],
  ['baseline', ['report', `${R}after.json`, '--baseline', `${R}before.json`], 1, 2],
  ['merged', ['merge', `${R}internet.json`, `${R}mbx01.json`], 1, 2],
];

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
});

describe.each(SCENARIOS)('%s', (name, args, code, nagiosCode) => {
  test.each(FORMATS)(`--format %s: golden output and exit code`, (format) => {
    const r = run([...args, '--format', format]);
    expect(r.stderr).toBe('');
    golden(`${name}.${format}.${EXT[format]}`, normalize(r.stdout));
    expect(r.code).toBe(format === 'nagios' ? nagiosCode : code);
    expect(r.stdout.replace(/\n/g, '')).not.toMatch(TERMINAL_UNSAFE);
    if (format === 'json') expect(validResult(JSON.parse(r.stdout))).toBe(true);
  });
});

describe('the CLI around the formats', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'exchange-ports-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the default is the matrix', () => {
    const r = run(['report', `${R}internet.json`]);
    expect(r.stdout).toBe(readFileSync(join(EXPECTED, 'scan.table.txt'), 'utf8'));
  });

  test('several --format/--out pairs in one run, the rest on stdout; no temp files left', () => {
    const xml = join(dir, 'scan.xml');
    const prom = join(dir, 'scan.prom');
    const r = run(['report', `${R}internet.json`, '--format', 'junit', '--out', xml, '--format', 'prometheus', '--out', prom, '--format', 'nagios']);
    expect(r.code).toBe(2);
    expect(readFileSync(xml, 'utf8')).toBe(readFileSync(join(EXPECTED, 'scan.junit.xml'), 'utf8'));
    expect(readFileSync(prom, 'utf8')).toBe(readFileSync(join(EXPECTED, 'scan.prometheus.prom'), 'utf8'));
    expect(r.stdout).toBe(readFileSync(join(EXPECTED, 'scan.nagios.txt'), 'utf8'));
    expect(readdirSync(dir).sort()).toEqual(['scan.prom', 'scan.xml']);
  });

  test('a saved JSON report is a baseline for the next one', () => {
    const saved = join(dir, 'after.json');
    expect(run(['report', `${R}after.json`, '--format', 'json', '--out', saved]).code).toBe(1);
    const again = run(['diff', saved, `${R}after.json`, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).baseline.changes).toEqual([]);
  });

  test('merge refuses results from different topologies unless --force', () => {
    const refused = run(['merge', `${R}mbx01.json`, `${R}mbx01-other-topology.json`]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `exchange-ports: ${R}mbx01.json and ${R}mbx01-other-topology.json come from different topologies (sha256 5f2b7c8e9a0d and 0b1c2d3e4f5a); merge them anyway with --force\n`,
    );
    const forced = run(['merge', `${R}mbx01.json`, `${R}mbx01-other-topology.json`, '--force', '--format', 'json']);
    expect(forced.code).toBe(1);
    expect(JSON.parse(forced.stdout).merged.forced).toBe(true);
  });

  const BAD: [string, string[], string][] = [
    ['not JSON', ['report', `${R}invalid/not-json.json`], `exchange-ports: ${R}invalid/not-json.json:2:1: not JSON: expected a value, found the end of the file\n`],
    ['wrong schemaVersion', ['diff', `${R}invalid/wrong-version.json`, `${R}after.json`], `exchange-ports: ${R}invalid/wrong-version.json: schemaVersion 2: this version of exchange-ports reads schemaVersion 1 results\n`],
    ['missing field', ['merge', `${R}internet.json`, `${R}invalid/missing-field.json`], `exchange-ports: ${R}invalid/missing-field.json: checks[2].verdict: expected one of pass, fail, exposed, down, warn, inconclusive, skipped (missing)\n`],
    ['missing file', ['report', `${R}nope.json`], `exchange-ports: ${R}nope.json: cannot read: no such file or directory\n`],
    ['a directory', ['report', R.replace(/\/$/, '')], `exchange-ports: ${R.replace(/\/$/, '')}: cannot read: is a directory\n`],
    ['missing baseline', ['report', `${R}after.json`, '--baseline', `${R}nope.json`], `exchange-ports: ${R}nope.json: cannot read: no such file or directory\n`],
    ['one file to merge', ['merge', `${R}internet.json`], 'exchange-ports: merge needs at least two result files\n'],
    ['--out without --format', ['report', `${R}internet.json`, '--out', 'x.json'], 'exchange-ports: --out x.json has no --format to go with'],
    ['unknown format', ['report', `${R}internet.json`, '--format', 'xml'], 'exchange-ports: Invalid values: Argument: format, Given: "xml"'],
  ];
  test.each(BAD)('%s: one line on stderr, exit 2, nothing on stdout', (_what, args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
