import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCliAsync } from '../helpers/cli.js';
import { freeTcpPort, smtpFixture, startRawServer, startSmtpServer, type Running } from '../helpers/servers.js';

const CA = join(ROOT, 'fixtures/certs/ca.pem');

/** Without blocking this process, so the fake servers in it can answer. */
const run = (args: string[]) => runCliAsync(args);

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(name: string, extra = {}): Promise<number> {
  const server = await startSmtpServer({ ...smtpFixture(name), ...extra });
  servers.push(server);
  return server.port;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first: the CLI tests run the built binary');
});

describe('exchange-ports smtp (built CLI)', () => {
  test('Exchange 2016 with --starttls: the dialogue, TLS facts, no findings, exit 0', async () => {
    const port = await serve('exchange2016-25');
    const result = await run(['smtp', `127.0.0.1:${port}`, '--starttls', '--ehlo', 'probe.example.test', '--ca', CA]);
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
  });

  test('no STARTTLS on a port other than 587: a warning, exit 1', async () => {
    const port = await serve('no-starttls');
    const result = await run(['smtp', `localhost:${port}`, '--ehlo', 'probe.example.test']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`  warning  smtp.no-starttls: STARTTLS is not offered on ${port}\n`);
  });

  test('JSON keeps the raw server text; text output strips escapes', async () => {
    const raw = await startRawServer((socket) => {
      socket.write('220 evil.example.test \x1b]0;owned\x07\x1b[31mred\x9b1m\r\n');
      socket.on('data', (d) => {
        if (d.toString().startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 evil.example.test\r\n');
      });
    });
    servers.push(raw);
    const json = await run(['smtp', `127.0.0.1:${raw.port}`, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { observation: { service: { greeting: { lines: string[] } } }; findings: { id: string }[] };
    expect(report.observation.service.greeting.lines[0]).toBe('220 evil.example.test \x1b]0;owned\x07\x1b[31mred\x9b1m');
    expect(json.code).toBe(1);
    // The same value, written so that printing the JSON cannot act on the terminal (U+009B is an 8-bit CSI).
    expect(json.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(json.stdout).toContain('\\u009b1m');
    const text = await run(['smtp', `127.0.0.1:${raw.port}`]);
    expect(text.stdout).toContain('S: 220 evil.example.test red\n');
    expect(text.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  test('a hostile server that goes silent after 220 ends within --timeout with a finding', async () => {
    const raw = await startRawServer((socket) => socket.write('220 mute.example.test ESMTP\r\n'));
    servers.push(raw);
    const result = await run(['smtp', `127.0.0.1:${raw.port}`, '--timeout', '500']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('  critical smtp.timeout: timed out waiting for the EHLO reply after 500 ms\n');
  });

  test('nothing listening: exit 3', async () => {
    const port = await freeTcpPort();
    const result = await run(['smtp', `127.0.0.1:${port}`]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('Could not connect: connection refused');
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
