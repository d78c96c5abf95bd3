import { closeSync, copyFileSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, runCliAsync, type Run } from '../helpers/cli.js';

/**
 * Hostile inputs (issue 10, item 17), generated here into a temporary directory: each ends in
 * exit 2 with a short message, whatever its size. Time is bounded by the jest timeout only.
 */
const LINE_MAX = 500;
const LINES_MAX = 52;

function expectBoundedRefusal(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.length).toBeLessThanOrEqual(LINES_MAX);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(LINE_MAX);
  expect(run.stderr).toMatch(pattern);
}

const HEAD = 'organization: x\nhosts:\n  mailbox: [mbx01.x.local]\n';
const MIB = 1024 * 1024;

/** A sparse file of `size` bytes: nothing is written, so a 300 MB file costs no disk. */
function sparse(file: string, size: number): string {
  const fd = openSync(file, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return file;
}

describe('hostile topologies, saved results and --ca files: exit 2, a bounded message', () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeAll(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'xpi-bounds-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a 4 MB unknown key (JSON): no did-you-mean work, the key cut to an excerpt', async () => {
    const key = 'k'.repeat(4 * MIB);
    const topology = file('key.json', JSON.stringify({ organization: 'x', hosts: { mailbox: ['mbx01.x.local'] }, [key]: 1 }));
    const run = await runCliAsync(['plan', '-t', topology, '--from', 'mailbox']);
    expectBoundedRefusal(run, /key\.json:1: \["k{80}\.\.\."\]: unknown key \(expected one of: organization, /);
  }, 120_000);

  test('a 4 MB unknown key (YAML explicit key) that differs from a known key by one letter at the start', async () => {
    const topology = file('key.yaml', `${HEAD}? o${'rganization'.repeat(MIB / 2)}\n: 1\n`);
    const run = await runCliAsync(['plan', '-t', topology, '--from', 'mailbox']);
    expectBoundedRefusal(run, /key\.yaml:4: \["orga.{76}\.\.\."\]: unknown key \(expected one of/);
  }, 120_000);

  test('100,000 unknown keys: the first 50 problems, then how many more', async () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: 1\n`).join('');
    const topology = file('many.yaml', `${HEAD}${keys}`);
    const run = await runCliAsync(['plan', '-t', topology, '--from', 'mailbox']);
    expectBoundedRefusal(run, /many\.yaml:54: \.\.\. and 99,950 more problems from this line on\n$/);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(51);
  }, 120_000);

  test('a 1 MB alias name and a 1 MB tag are cut', async () => {
    const alias = await runCliAsync(['plan', '-t', file('alias.yaml', `${HEAD}site: *${'a'.repeat(MIB)}\n`), '--from', 'mailbox']);
    expectBoundedRefusal(alias, /alias\.yaml:4: site: unknown alias \*a{80}\.\.\.\n$/);
    const tag = await runCliAsync(['plan', '-t', file('tag.yaml', `${HEAD}site: !${'t'.repeat(MIB)} x\n`), '--from', 'mailbox']);
    expectBoundedRefusal(tag, /tag\.yaml:4: /);
  }, 120_000);

  test('a 1 MB value and a 1 MB host name are quoted as an excerpt', async () => {
    const value = await runCliAsync(['plan', '-t', file('value.yaml', `${HEAD}edge: ${'v'.repeat(MIB)}\n`), '--from', 'mailbox']);
    expectBoundedRefusal(value, /value\.yaml:4: edge: expected "subscribed" or "none", got a string \("v{80}\.\.\."\)\n$/);
    const name = await runCliAsync(['plan', '-t', file('name.yaml', `organization: x\nhosts:\n  mailbox: [${'b'.repeat(MIB)}.test]\n`), '--from', 'mailbox']);
    expectBoundedRefusal(name, /name\.yaml:3: hosts\.mailbox\[0\]: not a valid host name: "b{80}\.\.\." \(longer than 253 characters\)\n$/);
  }, 120_000);

  test('a 300 MB topology is refused by its size before it is read', async () => {
    const topology = sparse(join(dir, 'huge.yaml'), 300 * MIB);
    const run = await runCliAsync(['plan', '-t', topology, '--from', 'mailbox']);
    expectBoundedRefusal(run, /huge\.yaml: cannot read: 300 MiB: larger than the 16 MiB limit for a topology, refused before reading\n$/);
  }, 120_000);

  test('a saved result, a --baseline and a --ca over their limits are refused by size', async () => {
    const result = sparse(join(dir, 'huge-result.json'), 200 * MIB);
    const report = await runCliAsync(['report', result]);
    expectBoundedRefusal(report, /huge-result\.json: cannot read: 200 MiB: larger than the 128 MiB limit for a saved result, refused before reading\n$/);
    const topology = join(dir, 'edge.yaml');
    copyFileSync('fixtures/topologies/edge.yaml', topology);
    const baseline = await runCliAsync(['scan', '-t', topology, '--from', 'mailbox', '--baseline', result]);
    expectBoundedRefusal(baseline, /huge-result\.json: cannot read: 200 MiB: larger than the 128 MiB limit for a saved result/);
    const ca = sparse(join(dir, 'huge-ca.pem'), 5 * MIB);
    const scan = await runCliAsync(['scan', '-t', topology, '--from', 'mailbox', '--ca', ca]);
    expectBoundedRefusal(scan, /--ca .*huge-ca\.pem: cannot read: 5 MiB: larger than the 4 MiB limit for a --ca file, refused before reading\n$/);
  }, 120_000);
});
