import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, runCli, runCliAsync } from '../helpers/cli.js';
import { exchangeHttps } from '../helpers/exchange-http.js';
import { certificate, smtpFixture, startHttpServer, startSmtpServer, type Running } from '../helpers/servers.js';

async function listen(): Promise<Server> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

describe('exchange-ports scan and plan (built CLI)', () => {
  let dir: string;
  const servers: Server[] = [];
  let https: number;
  let http: number;
  let submission: number;
  let closed: number;
  const services: Running[] = [];
  let exchangeTls: number;
  let exchangeSmtp: number;

  /** A client vantage sees three checks: 443 (required), 80 (optional), 587 (required). */
  function topology(name: string, ports: { https: number; http: number; submission: number }): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      [
        'organization: loop',
        'hosts:',
        '  mailbox:',
        '    - name: mbx01.loop.test',
        '      address: 127.0.0.1',
        `      ports: { https: ${ports.https}, http: ${ports.http}, submission: ${ports.submission} }`,
        '',
      ].join('\n'),
    );
    return file;
  }

  beforeAll(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'exchange-ports-scan-'));
    for (let i = 0; i < 4; i++) servers.push(await listen());
    [https, http, submission] = servers.map(portOf) as [number, number, number];
    const spare = servers.pop() as Server;
    closed = portOf(spare);
    await new Promise((r) => spare.close(r));
    services.push(await startHttpServer(exchangeHttps, certificate('mail')), await startSmtpServer(smtpFixture('exchange2016-587')));
    [exchangeTls, exchangeSmtp] = services.map((s) => s.port) as [number, number];
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await Promise.all(services.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('exit 0: every required flow reachable and its service working; problems of a working service are warn', async () => {
    const file = topology('ok.yaml', { https: exchangeTls, http, submission: exchangeSmtp });
    const run = await runCliAsync(['scan', '-t', file, '--from', 'client', '--format', 'json', '--no-legacy-tls']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    type Row = { flow: string; observed: { state: string }; verdict: string; findings: { id: string }[] };
    expect(result.checks.map((c: Row) => [c.flow, c.observed.state])).toEqual([
      ['client.https', 'open'],
      ['client.http', 'open'],
      ['client.smtp-submission', 'open'],
    ]);
    // The test certificate is not trusted without --ca: a working service with a problem.
    expect(result.checks[0].verdict).toBe('warn');
    expect(result.checks[0].findings.map((f: { id: string }) => f.id)).toContain('tls.untrusted');
    expect(result.checks.some((c: Row) => c.verdict === 'down' || c.verdict === 'fail')).toBe(false);
    expect(result.control).toEqual({ answered: 3, checks: result.checks.map((c: { id: string }) => c.id) });
  });

  test('exit 1: a Mailbox 443 that answers but is not TLS is down, and so is a 587 that hangs up', async () => {
    const file = topology('not-tls.yaml', { https, http, submission });
    const run = await runCliAsync(['scan', '-t', file, '--from', 'client', '--format', 'json']);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    type Row = { flow: string; verdict: string; why: string; findings: { id: string }[] };
    const byFlow = Object.fromEntries(result.checks.map((c: Row) => [c.flow, c]));
    expect(byFlow['client.https'].verdict).toBe('down');
    expect(byFlow['client.https'].why).toContain('the service answers but does not work: tls.handshake-failed');
    expect(byFlow['client.smtp-submission'].verdict).toBe('down');
    // Optional 80 hanging up stays a warning.
    expect(byFlow['client.http'].verdict).toBe('warn');
  });

  test('exit 0: unrestricted internal traffic passes whether a port is open or refused', async () => {
    const file = join(dir, 'internal.yaml');
    writeFileSync(
      file,
      ['organization: loop', 'hosts:', '  mailbox:', '    - { name: mbx01.loop.test, address: 127.0.0.2 }', '    - { name: mbx02.loop.test, address: 127.0.0.1 }', ''].join('\n'),
    );
    const run = await runCliAsync(['scan', '-t', file, '--from', 'mailbox:mbx01', '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.checks.length).toBe(17);
    expect(new Set(result.checks.map((c: { flow: string }) => c.flow))).toEqual(new Set(['internal.exchange']));
    expect(result.checks.every((c: { verdict: string }) => c.verdict === 'pass')).toBe(true);
    expect(result.notes).toEqual([
      expect.stringContaining('mail.outbound: not checked: no internet hosts'),
      expect.stringContaining('mail.dns: not checked: no dns hosts'),
      expect.stringContaining('internal.domain-controller: not checked: no domain-controller hosts'),
    ]);
  });

  test('exit 1: a required port refused is down, and the table says so', async () => {
    const file = topology('down.yaml', { https: exchangeTls, http, submission: closed });
    const run = await runCliAsync(['scan', '-t', file, '--from', 'client']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^positive control: 3 of 3 checks got an answer \(client\.https:127\.0\.0\.1:\d+\/tcp, /m);
    expect(run.stdout).toContain('client -> mailbox 127.0.0.1\n');
    expect(run.stdout).toMatch(/^ {2}DOWN +\d+\/tcp +client\.smtp-submission +required +closed /m);
    expect(run.stdout).toContain('summary: 3 checks: 1 down, 2 warn\n');
    expect(run.stdout).toMatch(/^ {2}WARN +\d+\/tcp +client\.https +required +open /m);
  });

  test('exit 2: a bad topology or a bad vantage is one line, no stack', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'organization: loop\nhosts:\n  mailbox:\n    - adress: 127.0.0.1\n');
    const run = runCli(['scan', '-t', bad, '--from', 'client']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^exchange-ports: .*bad\.yaml:4: hosts\.mailbox\[0\]\.adress: unknown key \(did you mean "address"\?\)\n/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const vantage = runCli(['scan', '-t', topology('v.yaml', { https, http, submission }), '--from', 'mailbx']);
    expect(vantage).toMatchObject({ code: 2, stdout: '' });
    expect(vantage.stderr.trim().split('\n')).toHaveLength(1);
    expect(vantage.stderr).toContain('--from mailbx: unknown role "mailbx"');
    const hostile = join(dir, 'hostile.yaml');
    writeFileSync(hostile, 'organization: loop\nhosts:\n  mailbox:\n    - "adr\u009b31mess\u001b]0;x\u0007": 127.0.0.1\n');
    const escaped = runCli(['plan', '-t', hostile, '--from', 'client']);
    expect(escaped.code).toBe(2);
    expect(escaped.stderr).toContain('hosts.mailbox[0]');
    expect(escaped.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(runCli(['scan', '-t'])).toEqual({ code: 2, stdout: '', stderr: 'exchange-ports: Not enough arguments following: t\n' });
    const missing = runCli(['scan', '-t', join(dir, 'nope.yaml'), '--from', 'client']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`exchange-ports: ${join(dir, 'nope.yaml')}: cannot read: no such file or directory\n`);
  });

  test('plan lists the checks as JSON, with the contract fields, and sends nothing', () => {
    const run = runCli(['plan', '-t', topology('p.yaml', { https, http, submission }), '--from', 'client', '--format', 'json']);
    expect(run.code).toBe(0);
    const checks = JSON.parse(run.stdout).checks as Record<string, unknown>[];
    expect(checks).toHaveLength(3);
    for (const c of checks) {
      for (const key of ['id', 'flow', 'source', 'destination', 'port', 'transport', 'expectation', 'probe', 'why']) expect(c).toHaveProperty(key);
    }
    expect(checks[0]).toMatchObject({ flow: 'client.https', port: https, transport: 'tcp', expectation: 'required', destination: { role: 'mailbox', host: '127.0.0.1' } });
  });

  const root = process.getuid?.() === 0;
  if (!root) {
    test('exit 3 needs a network namespace (root): not run', () => {
      console.warn('netns part of the CLI suite not run: needs root');
      expect(process.getuid?.()).not.toBe(0);
    });
  } else {
    test('exit 3: nothing answers at all (a namespace whose network is down): could not scan', async () => {
      const ns = `xpcli-${randomBytes(3).toString('hex')}`;
      execFileSync('ip', ['netns', 'add', ns]);
      try {
        const file = topology('dead.yaml', { https, http, submission });
        const run = await runCliAsync(['scan', '-t', file, '--from', 'client', '--format', 'json', '--timeout', '200', '--retries', '0'], {
          prefix: ['ip', 'netns', 'exec', ns],
        });
        expect(run.code).toBe(3);
        const result = JSON.parse(run.stdout);
        expect(result.couldNotScan).toEqual(expect.any(String));
        expect(result.control).toEqual({ answered: 0, checks: [] });
        expect(result.checks.every((c: { verdict: string }) => c.verdict === 'inconclusive')).toBe(true);
      } finally {
        execFileSync('ip', ['netns', 'del', ns]);
      }
    });
  }
});
