import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, requireBuild, runCli, runCliAsync } from '../helpers/cli.js';
import { RESULTS } from '../helpers/report-fixtures.js';
import { whenRoot } from '../helpers/root.js';

const RESULT = `${RESULTS}internet.json`;

let dir: string;
beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'xs-cli-out-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--out when a file cannot be written', () => {
  // A private node like /dev/full: a writer that renamed over it must not replace the system's device.
  whenRoot(() => {
    test('a full device: the other --out files are written, stdout is printed, exit 2 names the file', () => {
      const full = join(dir, 'full');
      expect(spawnSync('mknod', [full, 'c', '1', '7']).status).toBe(0);
      const other = join(dir, 'full-other.xml');
      const run = runCli(['report', RESULT, '--format', 'json', '--out', full, '--format', 'junit', '--out', other, '--format', 'table']);
      expect(run.stderr).toBe(`exchange-ports: cannot write ${full}: no space left on device\n`);
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('summary: 12 checks');
      expect(readFileSync(other, 'utf8')).toContain('<testsuites');
    });
  });

  test('a directory is a usage error naming it, and nothing else is written', () => {
    const other = join(dir, 'dir-other.xml');
    const run = runCli(['report', RESULT, '--format', 'junit', '--out', other, '--format', 'json', '--out', dir]);
    expect(run).toMatchObject({ code: 2, stdout: '', stderr: `exchange-ports: cannot write ${dir}: is a directory\n` });
    expect(existsSync(other)).toBe(false);
  });

  describe('disk full (a 4 KB tmpfs in a private mount namespace, gone with it)', () => {
    whenRoot(() => {
      test('the temporary file is removed, the other --out file and stdout are still written, exit 2 names the file', () => {
        const small = join(dir, 'small');
        const listing = join(dir, 'listing');
        const other = join(dir, 'other.xml');
        mkdirSync(small);
        const script = [
          'mount -t tmpfs -o size=4k xs-tmpfs "$1" || exit 99',
          '"$2" "$3" report "$4" --format json --out "$1/r.json" --format junit --out "$5" --format table',
          'code=$?',
          'ls -A "$1" > "$6"',
          'exit $code',
        ].join('\n');
        const run = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', small, process.execPath, BIN, RESULT, other, listing], {
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        expect(run.stderr).toBe(`exchange-ports: cannot write ${small}/r.json: no space left on device\n`);
        expect(run.status).toBe(2);
        expect(run.stdout).toContain('summary: 12 checks');
        expect(readFileSync(other, 'utf8')).toContain('<testsuites');
        expect(readFileSync(listing, 'utf8')).toBe('');
        // The mount stayed inside the namespace.
        expect(readdirSync(small)).toEqual([]);
      });
    });
  });
});

describe('scan: every input is read and checked before the first packet', () => {
  let server: Server;
  let connections = 0;
  let topology: string;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    topology = join(dir, 'topology.yaml');
    writeFileSync(topology, ['organization: loop', 'hosts:', '  mailbox:', `    - { name: 127.0.0.1, address: 127.0.0.1, ports: { smtp: ${port} } }`, ''].join('\n'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const scan = (extra: string[]) => runCliAsync(['scan', '-t', topology, '--from', 'mailbox', '--quiet', '--timeout', '200', '--min-timeout', '100', ...extra]);

  test('the control: without a mistake the scan reaches the listener', async () => {
    connections = 0;
    const run = await scan(['--format', 'json']);
    expect(run.code === 0 || run.code === 1).toBe(true);
    expect(connections).toBeGreaterThan(0);
  });

  test.each([
    ['a missing --baseline', ['--baseline', 'xs-missing.json'], 'exchange-ports: xs-missing.json: cannot read: no such file or directory\n'],
    ['a --baseline that is not a result', ['--baseline', 'package.json'], 'exchange-ports: package.json: no schemaVersion: this version of exchange-ports reads schemaVersion 1 results\n'],
    ['an --out that is a directory', ['--format', 'json', '--out', '/tmp'], 'exchange-ports: cannot write /tmp: is a directory\n'],
    ['an --out in a folder that does not exist', ['--format', 'json', '--out', '/xs-nowhere/r.json'], 'exchange-ports: cannot write /xs-nowhere/r.json: no such directory: /xs-nowhere\n'],
    ['an --out without a --format', ['--out', 'r.json'], 'exchange-ports: --out r.json has no --format to go with (the n-th --out goes with the n-th --format)\n'],
  ])('%s: exit 2, one line, and no packet sent', async (_what, extra, stderr) => {
    connections = 0;
    const run = await scan(extra);
    expect(run).toMatchObject({ code: 2, stdout: '', stderr });
    expect(connections).toBe(0);
  });

  test('a --baseline from another vantage: refused before the first packet, naming both; --force compares; diff does the same', async () => {
    const fromMailbox = join(dir, 'from-mailbox.json');
    const fromInternet = join(dir, 'from-internet.json');
    expect([0, 1]).toContain((await scan(['--format', 'json', '--out', fromMailbox])).code);
    connections = 0;
    const refused = await runCliAsync(['scan', '-t', topology, '--from', 'internet', '--quiet', '--baseline', fromMailbox, '--format', 'json']);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toBe(
      `exchange-ports: ${fromMailbox} was taken from mailbox and this scan from internet: results from different vantages cannot be compared; compare them anyway with --force\n`,
    );
    expect(connections).toBe(0);

    const forced = await runCliAsync(['scan', '-t', topology, '--from', 'internet', '--quiet', '--timeout', '200', '--baseline', fromMailbox, '--force', '--format', 'json', '--out', fromInternet]);
    expect([0, 1]).toContain(forced.code);
    // The same scan, let through, reaches the listener: the refusal above came before it would have.
    expect(connections).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(fromInternet, 'utf8'))).toHaveProperty('baseline');

    const diff = await runCliAsync(['diff', fromMailbox, fromInternet]);
    expect(diff).toMatchObject({ code: 2, stdout: '' });
    expect(diff.stderr).toMatch(/was taken from mailbox and .* from internet: results from different vantages cannot be compared/);
    expect([0, 1]).toContain((await runCliAsync(['diff', fromMailbox, fromInternet, '--force'])).code);
  });
});
