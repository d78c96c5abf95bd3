import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { ROOT, runCliAsync } from '../helpers/cli.js';
import { startDnsServer, type RunningDns } from '../helpers/dns-server.js';
import { endless, resetAfter } from '../helpers/hostile.js';
import { certificate, freeTcpPort, smtpFixture, startRawServer, startSmtpServer, type ListenAt, type Running, type SmtpScript } from '../helpers/servers.js';

const CA = join(ROOT, 'fixtures/certs/ca.pem');
const EHLO = ['--ehlo', 'probe.example.test'];

/** Without blocking this process, so the fake servers in it can answer. */
const run = (args: string[]) => runCliAsync(args);

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(name: string, extra: Partial<SmtpScript> = {}, at: ListenAt = {}): Promise<number> {
  const server = await startSmtpServer({ ...smtpFixture(name), ...extra }, at);
  servers.push(server);
  return server.port;
}

async function serveRaw(onConnection: (socket: Socket) => void, at: ListenAt = {}): Promise<number> {
  const server = await startRawServer(onConnection, at);
  servers.push(server);
  return server.port;
}

/** Control characters a terminal or a monitoring console would act on (newline aside). */
const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** The blocks of the text output, each starting with its `SMTP check of` heading, then the summary line. */
const blocks = (stdout: string): string[] => stdout.split(/\n\n(?=SMTP check of |\S+ port \d+: \d+ addresses: )/);

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first: the CLI tests run the built binary');
});

describe('exchange-ports smtp (built CLI)', () => {
  test('Exchange 2016: STARTTLS without a flag, the dialogue, TLS facts, no findings, exit 0', async () => {
    const port = await serve('exchange2016-25');
    const result = await run(['smtp', `127.0.0.1:${port}`, ...EHLO, '--ca', CA]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^SMTP check of 127\\.0\\.0\\.1 port ${port}: open in [\\d.]+ ms$`));
    expect(lines).toEqual(
      expect.arrayContaining([
        'S: 220 mail.contoso.test Microsoft ESMTP MAIL Service ready at Fri, 27 Nov 2026 20:30:00 +0000',
        'C: EHLO probe.example.test',
        'S: 250 STARTTLS',
        'C: STARTTLS',
        'S: 220 2.0.0 SMTP server ready',
        'C: QUIT',
        'AUTH before TLS: NTLM',
        '  names: DNS:mail.contoso.test, DNS:autodiscover.contoso.test, DNS:localhost, IP Address:127.0.0.1',
        'Exchange: Exchange 2007 or later; Exchange; Exchange 2010 or later (X-ANONYMOUSTLS, X-EXPS, XRDST)',
        '  TLS 1.0/1.1: refused',
        'Findings: none',
      ]),
    );
    expect(lines.filter((line) => line === 'C: EHLO probe.example.test')).toHaveLength(2);
    // QUIT is sent and the connection closed: its reply is never waited for.
    expect(lines.filter((line) => line.startsWith('S: 221'))).toEqual([]);
    // `--starttls` (once needed for this) is still accepted, and changes nothing.
    const alias = await run(['smtp', `127.0.0.1:${port}`, '--starttls', ...EHLO, '--ca', CA]);
    expect(alias.code).toBe(0);
    expect(alias.stdout).toContain('\nC: STARTTLS\n');
  });

  test('certificate findings without a flag: expired, wrong name, untrusted, TLS 1.0 accepted; --no-starttls stays in clear text', async () => {
    const expired = await serve('exchange2016-25', { tls: certificate('expired') });
    const result = await run(['smtp', `127.0.0.1:${expired}`, ...EHLO, '--ca', CA]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('\nC: STARTTLS\n');
    expect(result.stdout).toContain(`  critical tls.expired: STARTTLS on ${expired}: the certificate expired on 2021-01-01T00:00:00.000Z\n`);

    const wrongName = await serve('exchange2016-25', { tls: certificate('wrong-name') });
    const untrusted = await run(['smtp', `localhost:${wrongName}`, ...EHLO]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toContain(`  warning  tls.name-mismatch: STARTTLS on ${wrongName}: the certificate does not name localhost`);
    expect(untrusted.stdout).toMatch(/ {2}warning {2}tls\.untrusted: /);

    const legacy = await serve('exchange2016-25', { tlsOptions: { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } });
    const old = await run(['smtp', `127.0.0.1:${legacy}`, ...EHLO, '--ca', CA]);
    expect(old.stdout).toMatch(new RegExp(`  warning  tls\\.legacy-protocol: STARTTLS on ${legacy}: the server accepts TLSv1(\\.1)?\\n`));
    expect(old.code).toBe(1);

    const plain = await run(['smtp', `127.0.0.1:${expired}`, ...EHLO, '--no-starttls']);
    expect(plain.stdout).not.toContain('C: STARTTLS');
    expect(plain.stdout).not.toContain('tls.');
    expect(plain.stdout).toContain('\nSTARTTLS: offered, not tried (--no-starttls)\n');
    expect(plain.code).toBe(0);
  });

  test('no STARTTLS on a port other than 587: a warning, exit 1', async () => {
    const port = await serve('no-starttls');
    const result = await run(['smtp', `127.0.0.1:${port}`, ...EHLO]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`  warning  smtp.no-starttls: STARTTLS is not offered on ${port}\n`);
  });

  test('JSON keeps the raw server text; text output strips escapes', async () => {
    const port = await serveRaw((socket) => {
      socket.write('220 evil.example.test \x1b]0;owned\x07\x1b[31mred\x9b1m\r\n');
      socket.on('data', (d) => {
        if (d.toString().startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 evil.example.test\r\n');
      });
    });
    const json = await run(['smtp', `127.0.0.1:${port}`, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { host: string; port: number; addresses: { address: string; observation: { service: { greeting: { lines: string[] } } } }[] };
    expect(report).toMatchObject({ host: '127.0.0.1', port, addresses: [{ address: '127.0.0.1' }] });
    expect(report.addresses[0]?.observation.service.greeting.lines[0]).toBe('220 evil.example.test \x1b]0;owned\x07\x1b[31mred\x9b1m');
    expect(json.code).toBe(1);
    // The same value, written so that printing the JSON cannot act on the terminal (U+009B is an 8-bit CSI).
    expect(json.stdout).not.toMatch(CONTROLS);
    expect(json.stdout).toContain('\\u009b1m');
    const text = await run(['smtp', `127.0.0.1:${port}`]);
    expect(text.stdout).toContain('S: 220 evil.example.test red\n');
    expect(text.stdout).not.toMatch(CONTROLS);
  });

  test('a hostile server that goes silent after 220 ends within --timeout with a finding, exit 1', async () => {
    const port = await serveRaw((socket) => socket.write('220 mute.example.test ESMTP\r\n'));
    const result = await run(['smtp', `127.0.0.1:${port}`, '--timeout', '500']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  critical smtp.timeout: timed out waiting for the EHLO reply after 500 ms\n');
    expect(result.stdout).not.toContain('Findings: none');
  });

  test('nothing listening: exit 3, the reason, and no "Findings" line', async () => {
    const port = await freeTcpPort();
    const result = await run(['smtp', `127.0.0.1:${port}`]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(`SMTP check of 127.0.0.1 port ${port}: closed\nCould not connect: connection refused\n`);
  });

  test.each([
    [['smtp', '::1:25'], 'exchange-ports: ::1:25: write an IPv6 address in brackets, e.g. [::1]:25\n'],
    [['smtp', '2001:db8::1'], 'exchange-ports: 2001:db8::1: write an IPv6 address in brackets, e.g. [::1]:25\n'],
    [['smtp', 'mail.contoso.test:0'], 'exchange-ports: mail.contoso.test:0: the port must be a number from 1 to 65535\n'],
    [['smtp', 'mail.contoso.test:smtp'], 'exchange-ports: mail.contoso.test:smtp: the port must be a number from 1 to 65535\n'],
    [['smtp', 'bad host!'], 'exchange-ports: bad host!: "bad host!" is not a host name or IP address\n'],
    [['smtp', '[mail.contoso.test]:25'], 'exchange-ports: [mail.contoso.test]:25: only an IPv6 address goes in brackets\n'],
    [['smtp', '127.0.0.1', '--timeout', '0'], 'exchange-ports: --timeout: expected a whole number from 1 to 600000, got 0\n'],
    [['smtp', '127.0.0.1:9', '--timeout', '3000000000'], 'exchange-ports: --timeout: expected a whole number from 1 to 600000, got 3000000000\n'],
    [['smtp', '127.0.0.1', '--ca', '/nonexistent/ca.pem'], 'exchange-ports: --ca /nonexistent/ca.pem: cannot read: no such file or directory\n'],
    [['smtp', 'mail.contoso.test', '--dns', 'ns1.contoso.test'], 'exchange-ports: --dns: "ns1.contoso.test" is not an IP address, ADDRESS:PORT or [IPv6]:PORT\n'],
    [['smtp', '127.0.0.1', '--format', 'json', '--format', 'text'], 'exchange-ports: --format: give it once (got 2 values)\n'],
    [['smtp', '127.0.0.1', '--ip'], 'exchange-ports: Not enough arguments following: ip\n'],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    expect(await run(args)).toEqual({ code: 2, stdout: '', stderr: message });
  });

  test('[::1]:PORT is accepted', async () => {
    const port = await freeTcpPort();
    const result = await run(['smtp', `[::1]:${port}`, '--timeout', '1000']);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^SMTP check of ::1 port \d+: (closed|error|filtered)/);
  });
});

describe('smtp HOST: every address the name resolves to, through --dns', () => {
  let dns: RunningDns;
  let port = 0;
  const ZONE = {
    // 127.0.0.2 and ::1: Exchange; 127.0.0.3 resets after EHLO; nothing listens on 127.0.0.4 or .5.
    // The certificate names mail.contoso.test, autodiscover.contoso.test and localhost: a clean address is one of those.
    'mail.contoso.test': [{ type: 'A', address: '127.0.0.2' }, { type: 'A', address: '127.0.0.3' }, { type: 'AAAA', address: '::1' }],
    'autodiscover.contoso.test': [{ type: 'A', address: '127.0.0.2' }, { type: 'AAAA', address: '::1' }],
    localhost: [{ type: 'A', address: '127.0.0.2' }, { type: 'A', address: '127.0.0.4' }],
    'down.contoso.test': [{ type: 'A', address: '127.0.0.4' }, { type: 'A', address: '127.0.0.5' }],
  } as const;

  /** The same port on 127.0.0.2, 127.0.0.3 and ::1 (the first free one of a few tries). */
  async function serveEverywhere(): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const first = await serve('exchange2016-25', {}, { host: '127.0.0.2' });
      try {
        await serve('exchange2016-25', {}, { host: '::1', port: first });
        await serveRaw(resetAfter('220 mail.contoso.test Microsoft ESMTP MAIL Service ready\r\n', '250-mail.contoso.test Hello\r\n'), { host: '127.0.0.3', port: first });
        return first;
      } catch {
        // That port is taken on another address: the servers left behind close in afterAll.
      }
    }
    throw new Error('no port free on 127.0.0.2, 127.0.0.3 and ::1 at once');
  }

  beforeAll(async () => {
    dns = await startDnsServer(ZONE as never);
    port = await serveEverywhere();
  });
  afterAll(async () => {
    await dns?.close();
  });

  const dnsArgs = (): string[] => ['--dns', `127.0.0.1:${dns.udpPort}`, '--ca', CA, ...EHLO, '--timeout', '3000'];

  test('one block per address (A and AAAA), name and address on each heading; a reset after EHLO is a finding, exit 1', async () => {
    const result = await run(['smtp', `mail.contoso.test:${port}`, ...dnsArgs()]);
    expect(result.stderr).toBe('');
    const [first, second, third, summary] = blocks(result.stdout);
    expect(first).toMatch(new RegExp(`^SMTP check of mail\\.contoso\\.test \\(127\\.0\\.0\\.2\\) port ${port}: open in [\\d.]+ ms\\n`));
    expect(first).toContain('\nC: STARTTLS\n');
    expect(first).toContain('\n  trusted: yes; name mail.contoso.test matches: yes\n');
    expect(first).toContain('\nFindings: none');
    expect(second).toMatch(new RegExp(`^SMTP check of mail\\.contoso\\.test \\(127\\.0\\.0\\.3\\) port ${port}: open in `));
    expect(second).toContain('  critical smtp.connection-reset: the server reset the connection during the EHLO reply');
    expect(third).toMatch(new RegExp(`^SMTP check of mail\\.contoso\\.test \\(::1\\) port ${port}: open in `));
    expect(third).toContain('\nFindings: none');
    expect(summary).toBe(`mail.contoso.test port ${port}: 3 addresses: 2 clean, 1 with critical findings\n`);
    expect(result.code).toBe(1);
    expect(dns.questions).toEqual(expect.arrayContaining(['udp mail.contoso.test A', 'udp mail.contoso.test AAAA']));
  });

  test('every address clean: exit 0', async () => {
    const result = await run(['smtp', `autodiscover.contoso.test:${port}`, ...dnsArgs()]);
    expect(blocks(result.stdout)).toHaveLength(3);
    expect(result.stdout.match(/\nFindings: none\n/g)).toHaveLength(2);
    expect(result.code).toBe(0);
  });

  test('one address refused, one clean: exit 1; the refused block has no findings line', async () => {
    const result = await run(['smtp', `localhost:${port}`, ...dnsArgs()]);
    const [clean, refused] = blocks(result.stdout);
    expect(clean).toContain('\nFindings: none');
    expect(refused).toBe(`SMTP check of localhost (127.0.0.4) port ${port}: closed\nCould not connect: connection refused`);
    expect(result.code).toBe(1);
  });

  test('nothing connects at any address: exit 3, never "Findings"', async () => {
    const result = await run(['smtp', `down.contoso.test:${port}`, ...dnsArgs()]);
    expect(result.stdout).toBe(
      [
        `SMTP check of down.contoso.test (127.0.0.4) port ${port}: closed`,
        'Could not connect: connection refused',
        '',
        `SMTP check of down.contoso.test (127.0.0.5) port ${port}: closed`,
        'Could not connect: connection refused',
        '',
        `down.contoso.test port ${port}: 2 addresses: 2 could not connect`,
        '',
      ].join('\n'),
    );
    expect(result.code).toBe(3);
  });

  test('--ip 4 checks the A records only', async () => {
    const result = await run(['smtp', `autodiscover.contoso.test:${port}`, '--ip', '4', ...dnsArgs()]);
    expect(result.stdout).toMatch(/^SMTP check of autodiscover\.contoso\.test \(127\.0\.0\.2\) /);
    expect(result.stdout).not.toContain('::1');
    expect(result.code).toBe(0);
  });

  test('a name the DNS server does not know: exit 3, said on stdout', async () => {
    const result = await run(['smtp', `nx.contoso.test:${port}`, ...dnsArgs()]);
    expect(result.stdout).toMatch(new RegExp(`^SMTP check of nx\\.contoso\\.test port ${port}: unresolved\\nCould not resolve: nx\\.contoso\\.test A: NXDOMAIN`));
    expect(result.code).toBe(3);
  });

  test('--format nagios: one status line, one line per address, a response time per address', async () => {
    const result = await run(['smtp', `mail.contoso.test:${port}`, '--format', 'nagios', ...dnsArgs()]);
    const [status, ...rest] = result.stdout.trimEnd().split('\n');
    expect(status).toMatch(
      new RegExp(
        '^SMTP CRITICAL - mail\\.contoso\\.test \\(127\\.0\\.0\\.3\\): the server reset the connection during the EHLO reply, \\d+\\.\\d{3} sec\\. response time' +
          '\\|time=\\d+\\.\\d{6}s;;;0\\.000000 time_127\\.0\\.0\\.2=\\d+\\.\\d{6}s;;;0\\.000000 time_127\\.0\\.0\\.3=\\d+\\.\\d{6}s;;;0\\.000000 time_::1=\\d+\\.\\d{6}s;;;0\\.000000 cert_days_left_min=\\d+;30:;14:$',
      ),
    );
    expect(rest[0]).toMatch(/^mail\.contoso\.test \(127\.0\.0\.2\): OK - 220 mail\.contoso\.test Microsoft ESMTP MAIL Service ready at .*; TLSv1\.[23]; certificate \d+ days left; \d+\.\d{3} sec\.$/);
    expect(rest[1]).toMatch(/^mail\.contoso\.test \(127\.0\.0\.3\): CRITICAL - 220 mail\.contoso\.test Microsoft ESMTP MAIL Service ready; \d+\.\d{3} sec\.$/);
    expect(rest[2]).toBe('  CRITICAL smtp.connection-reset: the server reset the connection during the EHLO reply');
    expect(rest[3]).toMatch(/^mail\.contoso\.test \(::1\): OK - /);
    expect(result.code).toBe(2);
  });

  test('--format nagios: a name that does not resolve is UNKNOWN', async () => {
    const result = await run(['smtp', `nx.contoso.test:${port}`, '--format', 'nagios', ...dnsArgs()]);
    expect(result.stdout).toBe('SMTP UNKNOWN - nx.contoso.test: the name did not resolve (nx.contoso.test A: NXDOMAIN, nx.contoso.test AAAA: NXDOMAIN)\n');
    expect(result.code).toBe(3);
  });
});

describe('smtp --format nagios: check_smtp conventions', () => {
  const OK_LINE = /^SMTP OK - \d+\.\d{3} sec\. response time\|time=\d+\.\d{6}s;;;0\.000000 cert_days_left_min=(\d+);30:;14:$/;

  test('a clean Exchange server: SMTP OK, the response time, certificate days as perfdata, exit 0', async () => {
    const port = await serve('exchange2016-25');
    const result = await run(['smtp', `127.0.0.1:${port}`, '--format', 'nagios', ...EHLO, '--ca', CA]);
    const [status, address, ...rest] = result.stdout.split('\n');
    expect(status).toMatch(OK_LINE);
    expect(address).toMatch(/^127\.0\.0\.1: OK - 220 mail\.contoso\.test Microsoft ESMTP MAIL Service ready at Fri, 27 Nov 2026 20:30:00 \+0000; TLSv1\.[23]; certificate \d+ days left; \d+\.\d{3} sec\.$/);
    expect(rest).toEqual(['']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('connection refused: CRITICAL, exit 2', async () => {
    const port = await freeTcpPort();
    const result = await run(['smtp', `127.0.0.1:${port}`, '--format', 'nagios']);
    expect(result.stdout).toMatch(/^SMTP CRITICAL - 127\.0\.0\.1: connection refused, \d+\.\d{3} sec\. response time\|time=\d+\.\d{6}s;;;0\.000000\n127\.0\.0\.1: CRITICAL - could not connect: connection refused\n$/);
    expect(result.code).toBe(2);
  });

  test('a timeout after connecting: CRITICAL, exit 2', async () => {
    const port = await serveRaw((socket) => socket.write('220 mute.example.test ESMTP\r\n'));
    const result = await run(['smtp', `127.0.0.1:${port}`, '--format', 'nagios', '--timeout', '500']);
    expect(result.stdout).toMatch(/^SMTP CRITICAL - 127\.0\.0\.1: timed out waiting for the EHLO reply after 500 ms, \d+\.\d{3} sec\. response time\|/);
    expect(result.code).toBe(2);
  });

  test('certificate days left against --cert-warn-days / --cert-crit-days (check_smtp -D): WARNING, then CRITICAL', async () => {
    const port = await serve('exchange2016-25');
    const warn = await run(['smtp', `127.0.0.1:${port}`, '--format', 'nagios', ...EHLO, '--ca', CA, '--cert-warn-days', '100000']);
    expect(warn.stdout).toMatch(/^SMTP WARNING - 127\.0\.0\.1: STARTTLS on \d+: the certificate expires in \d+ days \(2075-01-01T00:00:00\.000Z\), [\d.]+ sec\. response time\|time=[\d.]+s;;;0\.000000 cert_days_left_min=\d+;100000:;14:\n/);
    expect(warn.code).toBe(1);
    const crit = await run(['smtp', `127.0.0.1:${port}`, '--format', 'nagios', ...EHLO, '--ca', CA, '--cert-warn-days', '100000', '--cert-crit-days', '90000']);
    expect(crit.stdout).toMatch(/^SMTP CRITICAL - .*cert_days_left_min=\d+;100000:;90000:\n/);
    expect(crit.code).toBe(2);
  });

  test('usage errors are UNKNOWN, exit 3', async () => {
    const result = await run(['smtp', '127.0.0.1', '--format', 'nagios', '--timeout', 'abc']);
    expect(result.stdout).toBe('SMTP UNKNOWN - --timeout: expected a whole number from 1 to 600000, got "abc"\n');
    expect(result.code).toBe(3);
  });

  test('what the server sent is sanitized: no escapes, no bidi, no second "|"', async () => {
    const port = await serveRaw((socket) => {
      socket.write('220 evil.example.test \x1b[2J\x9b31m|time=0s \u202eOK\r\n');
      socket.on('data', () => socket.end('554 5.3.2 \x1b]0;x\x07no|service\r\n'));
    });
    const result = await run(['smtp', `127.0.0.1:${port}`, '--format', 'nagios']);
    expect(result.stdout).not.toMatch(CONTROLS);
    expect(result.stdout.split('|')).toHaveLength(2);
    // The CSI sequence goes whole (`\x9b31m`), the `|` becomes `/`.
    expect(result.stdout).toContain('127.0.0.1: WARNING - 220 evil.example.test /time=0s OK;');
  });
});

describe('smtp: an endless or huge reply is shown truncated', () => {
  test('an EHLO reply of 99 lines of 2,000 bytes: a few KB of output, saying how much is not shown', async () => {
    const port = await serveRaw((socket) => {
      socket.write('220 big.example.test ESMTP\r\n');
      socket.on('data', (d) => {
        if (d.toString().startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write(`${Array.from({ length: 99 }, (_, i) => `250-X${i}${'B'.repeat(2000)}\r\n`).join('')}250 SIZE 1000\r\n`);
      });
    });
    const result = await run(['smtp', `127.0.0.1:${port}`, ...EHLO]);
    expect(Buffer.byteLength(result.stdout)).toBeLessThan(4096);
    // 100 lines of the reply, 99 * 2,006 + 10 bytes with their CRLF; 1,024 of them shown.
    const cut = /\nS: \.\.\. \(([\d,]+) more bytes not shown\)\n/.exec(result.stdout);
    expect(Number(cut?.[1]?.replace(/,/g, ''))).toBeGreaterThan(190_000);
    expect(result.stdout).toMatch(/\nExtensions: SIZE X\d+B+\.\.\. \([\d,]+ more bytes not shown\)\n/);
    expect(result.stdout).toContain('\nC: QUIT\n');
    expect(result.code).toBe(1);
    const nagios = await run(['smtp', `127.0.0.1:${port}`, ...EHLO, '--format', 'nagios']);
    expect(Buffer.byteLength(nagios.stdout)).toBeLessThanOrEqual(4096);
  });

  test('a greeting of 100 long 554 lines: the finding that quotes it is clipped too', async () => {
    const port = await serveRaw((socket) => {
      socket.end(`${Array.from({ length: 99 }, () => `554-${'N'.repeat(2000)}\r\n`).join('')}554 no service\r\n`);
    });
    const result = await run(['smtp', `127.0.0.1:${port}`]);
    expect(Buffer.byteLength(result.stdout)).toBeLessThan(4096);
    expect(result.stdout).toMatch(/\n {2}critical smtp\.greeting-refused: the server greets with 554 \(no SMTP service here\): 554-N+\.\.\. \([\d,]+ more bytes not shown\)\n/);
    expect(result.code).toBe(1);
  });

  test('a reply without end: cut by the reply limit, shown in a few KB', async () => {
    const port = await serveRaw((socket) => {
      socket.write('220 flood.example.test ESMTP\r\n');
      socket.once('data', () => endless(`250-${'F'.repeat(1500)}\r\n`)(socket));
    });
    const result = await run(['smtp', `127.0.0.1:${port}`, ...EHLO, '--timeout', '3000']);
    expect(Buffer.byteLength(result.stdout)).toBeLessThan(4096);
    expect(result.stdout).toMatch(/\nS: \.\.\. \([\d,]+ more bytes not shown\)\n/);
    expect(result.stdout).toMatch(/ {2}critical smtp\.(malformed-reply|limit-exceeded): /);
    expect(result.code).toBe(1);
  });
});
