import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, type Run } from '../helpers/cli.js';

/**
 * `exchange-ports smtp` against a real Debian Postfix (apt-get install -y postfix), run with its
 * own configuration directory inside a network namespace: the host's own mail system, if any,
 * is never touched. The CLI runs in a second namespace, joined to the first by a veth pair
 * in 198.18.200.0/24.
 */

const CERTS = join(ROOT, 'fixtures/certs');
const isRoot = process.geteuid?.() === 0;

const suffix = randomBytes(3).toString('hex');
const CLIENT_NS = `xpc-smtpc-${suffix}`;
const MTA_NS = `xpc-smtpm-${suffix}`;
const CLIENT_IF = `xpcc${suffix}`;
const MTA_IF = `xpcm${suffix}`;
const CLIENT_ADDRESS = '198.18.200.1';
const MTA_ADDRESS = '198.18.200.2';

function sh(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function inNs(ns: string, command: string, args: string[]): string {
  return sh('ip', ['netns', 'exec', ns, command, ...args]);
}

const cli = (args: string[]): Run => runCli(['smtp', ...args], { prefix: ['ip', 'netns', 'exec', CLIENT_NS] });

function postfixConfig(dir: string): string {
  const conf = join(dir, 'conf');
  const queue = join(dir, 'queue');
  const data = join(dir, 'data');
  for (const path of [conf, queue, data]) mkdirSync(path, { recursive: true });
  // mkdtemp makes 0700: the postfix user must reach its data directory.
  chmodSync(dir, 0o755);
  const postfix = sh('id', ['-u', 'postfix']).trim();
  chownSync(data, Number(postfix), 0);
  copyFileSync(join(CERTS, 'mail.pem'), join(conf, 'mail.pem'));
  copyFileSync(join(CERTS, 'mail.key'), join(conf, 'mail.key'));
  // The chroot column off for smtpd: no jail to furnish.
  const master = readFileSync('/etc/postfix/master.cf', 'utf8').replace(/^(smtp\s+inet\s+n\s+-\s+)y/m, '$1n');
  writeFileSync(join(conf, 'master.cf'), master);
  writeFileSync(
    join(conf, 'main.cf'),
    [
      'compatibility_level = 3.6',
      'myhostname = mail.contoso.test',
      'mydestination =',
      'relayhost =',
      `inet_interfaces = ${MTA_ADDRESS}`,
      'inet_protocols = ipv4',
      `queue_directory = ${queue}`,
      `data_directory = ${data}`,
      `maillog_file_prefixes = ${dir}`,
      `maillog_file = ${join(dir, 'maillog')}`,
      'smtpd_peername_lookup = no',
      'smtp_dns_support_level = disabled',
      'smtpd_banner = $myhostname ESMTP Postfix',
      'smtpd_tls_security_level = may',
      // Debian's Postfix accepts TLS 1.0/1.1 by default; refusing them here makes the legacy probe's answer certain.
      'smtpd_tls_protocols = >=TLSv1.2',
      `smtpd_tls_cert_file = ${join(conf, 'mail.pem')}`,
      `smtpd_tls_key_file = ${join(conf, 'mail.key')}`,
      'alias_maps =',
      'alias_database =',
      'mynetworks = 127.0.0.0/8',
      '',
    ].join('\n'),
  );
  return conf;
}

async function waitForListener(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (inNs(MTA_NS, 'ss', ['-ltnH']).includes(`${MTA_ADDRESS}:25 `)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('postfix did not start listening within 10 s');
}

if (!isRoot) {
  test('netns suite not run: needs root', () => {
    console.log('netns suite not run: needs root');
    expect(process.geteuid?.()).not.toBe(0);
  });
} else {
  describe('exchange-ports smtp against Debian Postfix in a network namespace', () => {
    let dir = '';
    let conf = '';
    let master: ChildProcess | undefined;

    beforeAll(async () => {
      if (!existsSync('/usr/sbin/postfix')) throw new Error('postfix is not installed: apt-get install -y postfix');
      if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first: the test runs the built binary');
      dir = mkdtempSync(join(tmpdir(), 'xpc-postfix-'));
      sh('ip', ['netns', 'add', CLIENT_NS]);
      sh('ip', ['netns', 'add', MTA_NS]);
      sh('ip', ['link', 'add', CLIENT_IF, 'netns', CLIENT_NS, 'type', 'veth', 'peer', 'name', MTA_IF, 'netns', MTA_NS]);
      for (const [ns, dev, address] of [
        [CLIENT_NS, CLIENT_IF, CLIENT_ADDRESS],
        [MTA_NS, MTA_IF, MTA_ADDRESS],
      ] as const) {
        sh('ip', ['-n', ns, 'addr', 'add', `${address}/24`, 'dev', dev]);
        sh('ip', ['-n', ns, 'link', 'set', dev, 'up']);
        sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      }
      conf = postfixConfig(dir);
      // In the foreground, as this process's child: stopped and reaped here, never a stray daemon.
      master = spawn('ip', ['netns', 'exec', MTA_NS, 'postfix', '-c', conf, 'start-fg'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      master.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        await waitForListener();
      } catch (error) {
        // Postfix writes its fatal errors to a terminal or its log: show both.
        const log = existsSync(join(dir, 'maillog')) ? readFileSync(join(dir, 'maillog'), 'utf8') : '(no log)';
        throw new Error(`postfix did not start: ${(error as Error).message}\n${stderr}\n${log}`);
      }
    }, 60000);

    afterAll(async () => {
      const exited = master && master.exitCode === null ? new Promise((resolve) => master?.once('exit', resolve)) : Promise.resolve();
      const attempts: Array<() => void> = [
        () => conf && inNs(MTA_NS, 'postfix', ['-c', conf, 'stop']),
        () => {
          // Whatever Postfix left running in our namespace (by pid, nothing else).
          for (const pid of sh('ip', ['netns', 'pids', MTA_NS]).split('\n').filter(Boolean)) {
            try {
              process.kill(Number(pid), 'SIGKILL');
            } catch {
              // already gone
            }
          }
        },
        () => sh('ip', ['netns', 'del', CLIENT_NS]),
        () => sh('ip', ['netns', 'del', MTA_NS]),
        () => dir && rmSync(dir, { recursive: true, force: true }),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
        } catch {
          // keep cleaning up the rest
        }
      }
      if (master?.exitCode === null) master.kill('SIGKILL');
      await exited;
    });

    test('--starttls: the real dialogue, extensions before and after TLS, the certificate, findings', () => {
      const result = cli([MTA_ADDRESS, '--starttls', '--ehlo', 'probe.xpc.test', '--ca', join(CERTS, 'ca.pem'), '--format', 'json']);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as {
        observation: { state: string; service: Record<string, any> };
        findings: { id: string; severity: string }[];
      };
      const facts = report.observation.service;
      expect(report.observation.state).toBe('open');
      expect(facts.greeting).toEqual({ code: 220, lines: ['220 mail.contoso.test ESMTP Postfix'] });
      expect(facts.bannerHost).toBe('mail.contoso.test');
      expect(Object.keys(facts.ehlo.extensions)).toEqual(expect.arrayContaining(['STARTTLS', 'PIPELINING', 'SIZE', '8BITMIME']));
      expect(facts.ehloAfterTls.extensions).not.toHaveProperty('STARTTLS');
      expect(facts.starttls).toMatchObject({ offered: true, attempted: true, reply: { code: 220 } });
      expect(facts.tls).toMatchObject({ handshake: 'ok', trusted: true, hostNameMatch: false, hostName: MTA_ADDRESS });
      expect(facts.tls.legacy).toEqual({ tested: true, accepted: false });
      expect(facts.exchange).toEqual({ banner: false, markers: [], backEnd: [], legacy: [] });
      // QUIT is sent and the connection closed: its reply is never waited for.
      expect(facts.quit).toEqual({ sent: true });
      // Asked for by address, which the certificate does not name; the banner name it does.
      expect(report.findings.map((f) => `${f.severity}:${f.id}`).sort()).toEqual(['info:smtp.not-exchange', 'warning:tls.name-mismatch']);
      expect(result.code).toBe(1);
    });

    test('Postfix logged EHLO, STARTTLS, EHLO, QUIT, and beside it the TLS 1.1 attempt: no MAIL, RCPT or DATA', () => {
      const log = readFileSync(join(dir, 'maillog'), 'utf8');
      expect(log).toMatch(/disconnect from \S+ ehlo=2 starttls=1 quit=1 commands=4/);
      expect(log).toMatch(/disconnect from \S+ ehlo=1 starttls=0\/1 commands=1\/2/);
      expect(log).not.toMatch(/\b(mail|rcpt|data)=\d/);
    });

    test('without --starttls: greeting, EHLO, QUIT; nothing serious; exit 0', () => {
      const result = cli([`${MTA_ADDRESS}:25`, '--ehlo', 'probe.xpc.test']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('S: 220 mail.contoso.test ESMTP Postfix\nC: EHLO probe.xpc.test\nS: 250-mail.contoso.test\n');
      expect(result.stdout).toContain('C: QUIT\n');
      expect(result.stdout).not.toContain('S: 221');
      expect(result.stdout).toContain('  info     smtp.not-exchange: neither the greeting nor EHLO looks like Exchange\n');
    });

    test('a port where Postfix does not listen: closed, exit 3', () => {
      const result = cli([`${MTA_ADDRESS}:2525`, '--timeout', '2000']);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain('Could not connect: connection refused');
    });
  });
}
