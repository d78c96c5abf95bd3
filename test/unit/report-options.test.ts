import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/errors.js';
import { emitReports, nagiosUsageError, type ReportArgs } from '../../src/cli/report-options.js';
import { formatters } from '../../src/report/index.js';
import { ResultFileError } from '../../src/report/validate.js';
import { fixture, RESULTS } from '../helpers/report-fixtures.js';

const internet = fixture('internet.json');

function screen(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s) > 0, text: () => chunks.join('') };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exchange-ports-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('emitReports', () => {
  test('colour on a TTY only, and never with NO_COLOR or --no-color', async () => {
    const cases: [boolean, NodeJS.ProcessEnv, boolean | undefined, boolean][] = [
      [true, {}, undefined, true],
      [true, { NO_COLOR: '1' }, undefined, false],
      [true, {}, false, false],
      [false, {}, undefined, false],
    ];
    for (const [isTTY, env, color, coloured] of cases) {
      const out = screen(isTTY);
      await emitReports(internet, { format: ['table'], ...(color === undefined ? {} : { color }) }, { stdout: out, env });
      expect(out.text().includes('\u001b[')).toBe(coloured);
    }
  });

  test('--format/--out pairs in order: files written, the format left over goes to stdout', async () => {
    const out = screen(true);
    const xml = join(dir, 'r.xml');
    const prom = join(dir, 'r.prom');
    const code = await emitReports(internet, { format: ['junit', 'prometheus', 'nagios'], out: [xml, prom] }, { stdout: out, env: {} });
    expect(await readFile(xml, 'utf8')).toBe(formatters.junit(internet, { color: false }));
    expect(await readFile(prom, 'utf8')).toBe(formatters.prometheus(internet, { color: false }));
    expect(out.text()).toBe(formatters.nagios(internet, { color: false }));
    expect(code).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['r.prom', 'r.xml']);
  });

  test('--out replaces a file by rename, never by writing into it', async () => {
    const file = join(dir, 'metrics.prom');
    await writeFile(file, 'old\n');
    const before = await stat(file);
    await emitReports(internet, { format: ['prometheus'], out: [file] }, { stdout: screen(false), env: {} });
    const after = await stat(file);
    expect(after.ino).not.toBe(before.ino);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('exit code: default codes, Nagios states when a format is nagios', async () => {
    expect(await emitReports(internet, { format: ['json'] }, { stdout: screen(false), env: {} })).toBe(1);
    expect(await emitReports(internet, { format: ['nagios'] }, { stdout: screen(false), env: {} })).toBe(2);
    const clean = { ...internet, couldNotScan: 'nothing answered' };
    expect(await emitReports(clean, { format: ['table'] }, { stdout: screen(false), env: {} })).toBe(3);
  });

  test('--baseline compares with a saved result: exit 1 only for a regression or new exposure', async () => {
    const after = fixture('after.json');
    const out = screen(false);
    expect(await emitReports(after, { format: ['json'], baseline: `${RESULTS}before.json` }, { stdout: out, env: {} })).toBe(1);
    expect(JSON.parse(out.text()).baseline.summary.regression).toBe(1);
    expect(await emitReports(fixture('after-fixed.json'), { format: ['table'], baseline: `${RESULTS}before.json` }, { stdout: screen(false), env: {} })).toBe(0);
  });

  const usage: [string, ReportArgs, RegExp][] = [
    ['an --out without a --format', { format: ['json'], out: ['a', 'b'] }, /^--out b has no --format to go with/],
    ['two formats for stdout', { format: ['json', 'table'] }, /^only one format can go to standard output, not json and table/],
    ['an unwritable --out', { format: ['json'], out: ['/nonexistent-dir/r.json'] }, /^cannot write \/nonexistent-dir\/r\.json: /],
  ];
  test.each(usage)('%s is a usage error', async (_what, args, message) => {
    const attempt = emitReports(internet, args, { stdout: screen(false), env: {} });
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(emitReports(internet, args, { stdout: screen(false), env: {} })).rejects.toThrow(message);
  });

  test('a baseline that is not a result is a one-line error naming it', async () => {
    await expect(emitReports(internet, { baseline: join(dir, 'missing.json') }, { stdout: screen(false), env: {} })).rejects.toThrow(ResultFileError);
    await expect(emitReports(internet, { baseline: join(dir, 'missing.json') }, { stdout: screen(false), env: {} })).rejects.toThrow(`${join(dir, 'missing.json')}: cannot read: no such file`);
  });
});

describe('nagiosUsageError', () => {
  test('under --format nagios a usage error is UNKNOWN with a status line; otherwise untouched', () => {
    expect(nagiosUsageError(['scan', '--format', 'nagios'], 'topology.yaml:3: bad | thing')).toEqual({ code: 3, stdout: 'EXCHANGE-PORTS UNKNOWN - topology.yaml:3: bad / thing\n' });
    expect(nagiosUsageError(['scan', '--format=nagios'], 'x')?.code).toBe(3);
    expect(nagiosUsageError(['scan', '--format', 'json', 'nagios'], 'x')).toBeUndefined();
  });
});
