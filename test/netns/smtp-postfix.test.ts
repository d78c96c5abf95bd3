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
 * in 198.18.200.0/24. A dns2 server beside Postfix resolves mail.contoso.test to Postfix's
 * address and to a second one where nothing listens: no /etc/hosts, no real DNS.
 */

const CERTS = join(ROOT, 'fixtures/certs');
const isRoot = process.geteuid?.() === 0;

const suffix = randomBytes(3).toString('hex');
const CLIENT_NS = `xpm-smtpc-${suffix}`;
const MTA_NS = `xpm-smtpm-${suffix}`;
const CLIENT_IF = `xpmc${suffix}`;
const MTA_IF = `xpmm${suffix}`;
const CLIENT_ADDRESS = '198.18.200.1';
const MTA_ADDRESS = '198.18.200.2';
/** On the MTA's link too, but nothing listens there: connection refused. */
const SILENT_ADDRESS = '198.18.200.3';
const DNS_PORT = 5353;
const ZONE = { 'mail.contoso.test': [{ type: 'A', address: MTA_ADDRESS }, { type: 'A', address: SILENT_ADDRESS }] };

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
    let dns: ChildProcess | undefined;

    beforeAll(async () => {
      if (!existsSync('/usr/sbin/postfix')) throw new Error('postfix is not installed: apt-get install -y postfix');
      if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first: the test runs the built binary');
      dir = mkdtempSync(join(tmpdir(), 'xpm-postfix-'));
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
      sh('ip', ['-n', MTA_NS, 'addr', 'add', `${SILENT_ADDRESS}/24`, 'dev', MTA_IF]);
      dns = spawn('ip', ['netns', 'exec', MTA_NS, process.execPath, join(ROOT, 'test/helpers/zone-dns.mjs'), JSON.stringify({ address: MTA_ADDRESS, port: DNS_PORT, zone: ZONE })], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        dns?.stdout?.once('data', () => resolve());
        dns?.once('exit', (code) => reject(new Error(`the DNS server exited with ${code}`)));
      });
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

    /** Synchronous, so the exit hook can run it too: a worker that dies mid-suite still leaves no namespace. */
    function removeAll(): void {
      const attempts: Array<() => void> = [
        () => dns?.kill('SIGKILL'),
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
        () => master?.exitCode === null && master.kill('SIGKILL'),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
        } catch {
          // keep cleaning up the rest
        }
      }
    }
    process.once('exit', removeAll);

    afterAll(async () => {
      const exited = master && master.exitCode === null ? new Promise((resolve) => master?.once('exit', resolve)) : Promise.resolve();
      removeAll();
      process.off('exit', removeAll);
      await exited;
    });

    test('Postfix offers STARTTLS: the default upgrades; the dialogue, extensions before and after TLS, the certificate, findings', () => {
      const result = cli([MTA_ADDRESS, '--ehlo', 'probe.xpm.test', '--ca', join(CERTS, 'ca.pem'), '--format', 'json']);
      expect(result.stderr).toBe('');
      const { addresses } = JSON.parse(result.stdout) as {
        addresses: { address: string; observation: { state: string; service: Record<string, any> }; findings: { id: string; severity: string }[] }[];
      };
      expect(addresses).toHaveLength(1);
      const report = addresses[0]!;
      expect(report.address).toBe(MTA_ADDRESS);
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

    test('--no-starttls: greeting, EHLO, QUIT; nothing serious; exit 0', () => {
      const result = cli([`${MTA_ADDRESS}:25`, '--ehlo', 'probe.xpm.test', '--no-starttls']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('S: 220 mail.contoso.test ESMTP Postfix\nC: EHLO probe.xpm.test\nS: 250-mail.contoso.test\n');
      expect(result.stdout).toContain('\nC: QUIT\n');
      expect(result.stdout).not.toContain('S: 221');
      expect(result.stdout).not.toContain('C: STARTTLS');
      expect(result.stdout).toContain('\nSTARTTLS: offered, not tried (--no-starttls)\n');
      expect(result.stdout).toContain('  info     smtp.not-exchange: neither the greeting nor EHLO looks like Exchange\n');
    });

    test('by name through --dns: Postfix at one address (its certificate names it), refused at the other; a block each, exit 1', () => {
      const result = cli(['mail.contoso.test', '--dns', `${MTA_ADDRESS}:${DNS_PORT}`, '--ehlo', 'probe.xpm.test', '--ca', join(CERTS, 'ca.pem'), '--timeout', '3000']);
      expect(result.stderr).toBe('');
      const [postfix, refused, summary] = result.stdout.split('\n\n').reduce<string[]>((blocks, part) => {
        if (/^(SMTP check of |mail\.contoso\.test port )/.test(part) || blocks.length === 0) blocks.push(part);
        else blocks[blocks.length - 1] += `\n\n${part}`;
        return blocks;
      }, []);
      expect(postfix).toMatch(new RegExp(`^SMTP check of mail\\.contoso\\.test \\(${MTA_ADDRESS.replace(/\./g, '\\.')}\\) port 25: open in `));
      expect(postfix).toContain('\nC: STARTTLS\n');
      expect(postfix).toContain('\n  trusted: yes; name mail.contoso.test matches: yes\n');
      expect(postfix).toContain('\nFindings:\n  info     smtp.not-exchange: neither the greeting nor EHLO looks like Exchange');
      expect(postfix).not.toMatch(/ (warning|critical) /);
      expect(refused).toBe(`SMTP check of mail.contoso.test (${SILENT_ADDRESS}) port 25: closed\nCould not connect: connection refused`);
      expect(summary).toBe('mail.contoso.test port 25: 2 addresses: 1 clean, 1 could not connect\n');
      expect(result.code).toBe(1);
    });

    test('--format nagios by name: CRITICAL for the refused address, OK for Postfix, perfdata for both', () => {
      const result = cli(['mail.contoso.test', '--dns', `${MTA_ADDRESS}:${DNS_PORT}`, '--ehlo', 'probe.xpm.test', '--ca', join(CERTS, 'ca.pem'), '--format', 'nagios']);
      const [status, ...rest] = result.stdout.trimEnd().split('\n');
      expect(status).toMatch(
        new RegExp(
          `^SMTP CRITICAL - mail\\.contoso\\.test \\(198\\.18\\.200\\.3\\): connection refused, [\\d.]+ sec\\. response time\\|time=[\\d.]+s;;;0\\.000000 ` +
            `time_198\\.18\\.200\\.2=[\\d.]+s;;;0\\.000000 time_198\\.18\\.200\\.3=[\\d.]+s;;;0\\.000000 cert_days_left_min=\\d+;30:;14:$`,
        ),
      );
      expect(rest[0]).toMatch(/^mail\.contoso\.test \(198\.18\.200\.2\): OK - 220 mail\.contoso\.test ESMTP Postfix; TLSv1\.[23]; certificate \d+ days left; [\d.]+ sec\.$/);
      expect(rest[1]).toBe('mail.contoso.test (198.18.200.3): CRITICAL - could not connect: connection refused');
      expect(result.code).toBe(2);
    });

    test('an address on the link where no host answers: the connect times out; exit 3, CRITICAL in nagios', () => {
      // No host holds 198.18.200.9 or .10: the ARP request goes unanswered (for about 3 s, then the kernel says
      // EHOSTUNREACH at once for a while), so the connect hears nothing before --timeout. A fresh address each run.
      const silent = cli(['198.18.200.9', '--timeout', '1000']);
      expect(silent.stdout).toBe('SMTP check of 198.18.200.9 port 25: filtered\nCould not connect: no answer within 1000 ms\n');
      expect(silent.code).toBe(3);
      const nagios = cli(['198.18.200.10', '--timeout', '1000', '--format', 'nagios']);
      expect(nagios.stdout).toMatch(/^SMTP CRITICAL - 198\.18\.200\.10: no answer within 1000 ms, [\d.]+ sec\. response time\|time=[\d.]+s;;;0\.000000\n/);
      expect(nagios.code).toBe(2);
    });

    test('a port where Postfix does not listen: closed, exit 3', () => {
      const result = cli([`${MTA_ADDRESS}:2525`, '--timeout', '2000']);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain('Could not connect: connection refused');
    });
  });
}
