import { makeHttpProber, HTTP_DEFAULTS } from '../../src/probe/http.js';
import { MAIL_ACCESS_DEFAULTS } from '../../src/probe/imap-pop3-dialogue.js';
import { makeImapProber } from '../../src/probe/imap.js';
import { makePop3Prober } from '../../src/probe/pop3.js';
import { makeSmtpProber, SMTP_DEFAULTS } from '../../src/probe/smtp.js';
import { makeTlsProber, TLS_DEFAULTS } from '../../src/probe/tls.js';
import type { Prober } from '../../src/probe/types.js';
import { serviceFindings } from '../../src/verdict/findings/index.js';
import type { Check } from '../../src/plan/types.js';
import { exchangeHttpRedirect, exchangeHttps, plainWeb } from '../helpers/exchange-http.js';
import { endless, GARBAGE, HUGE_LINE, resetAfter, sendThenSilence, trickle } from '../helpers/hostile.js';
import { exchangeImap, exchangePop3 } from '../helpers/mail-access.js';
import { probeTarget, type TargetOptions } from '../helpers/probe-target.js';
import {
  certificate,
  smtpFixture,
  startHttpServer,
  startLineServer,
  startRawServer,
  startSmtpServer,
  startTlsServer,
  TEST_CA,
  type Running,
} from '../helpers/servers.js';

/** Short phase deadlines so hostile cases end quickly; every case must end with a finding. */
const FAST = { greetingTimeoutMs: 800, replyTimeoutMs: 800, handshakeTimeoutMs: 800, requestTimeoutMs: 800, sessionTimeoutMs: 4000, ca: [TEST_CA()] };
const SMTP = makeSmtpProber({ ...SMTP_DEFAULTS, ...FAST, ehloName: 'probe.example.test' });
const TLS = makeTlsProber({ ...TLS_DEFAULTS, ...FAST });
const HTTP = makeHttpProber({ ...HTTP_DEFAULTS, ...FAST });
const IMAP = makeImapProber({ ...MAIL_ACCESS_DEFAULTS, ...FAST });
const POP3 = makePop3Prober({ ...MAIL_ACCESS_DEFAULTS, ...FAST });
const NOW = new Date('2030-01-01T00:00:00Z');

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function ids(prober: Prober, server: Running, target: Omit<TargetOptions, 'port'>): Promise<string[]> {
  servers.push(server);
  const probe = probeTarget({ ...target, port: server.port });
  const observation = await prober(probe, new AbortController().signal);
  const check: Check = probe.check;
  return serviceFindings(check, observation, { certWarnDays: 30, certCritDays: 14, now: NOW })
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.severity}:${f.id}`)
    .sort();
}

const smtp = (modelPort: number, expectation: Check['expectation'] = 'required') => ({ modelPort, probe: 'smtp' as const, expectation });

describe('recorded servers -> findings', () => {
  test.each([
    ['exchange2016-25', 25, []],
    ['exchange2016-587', 587, []],
    ['postfix', 25, ['warning:smtp.banner-name-mismatch']],
    ['no-starttls', 587, ['critical:smtp.no-starttls']],
    ['no-starttls', 25, ['warning:smtp.no-starttls']],
    ['login-before-tls', 587, ['critical:smtp.basic-auth-before-tls', 'warning:smtp.banner-name-mismatch']],
    ['exchange2010-legacy', 25, ['warning:smtp.auth-on-25', 'warning:smtp.banner-name-mismatch', 'warning:smtp.basic-auth-before-tls', 'warning:smtp.legacy-exchange']],
    ['exchange2016-2525', 25, ['critical:smtp.backend-listener', 'warning:smtp.banner-name-mismatch']],
  ] as const)('%s on %i', async (name, port, expected) => {
    expect(await ids(SMTP, await startSmtpServer(smtpFixture(name)), smtp(port))).toEqual(expected);
  });

  test('back-end listener on 2525 reached from outside (forbidden)', async () => {
    const found = await ids(SMTP, await startSmtpServer(smtpFixture('exchange2016-2525')), smtp(2525, 'forbidden'));
    expect(found).toContain('critical:smtp.backend-listener');
  });

  test('STARTTLS certificate findings: expired, wrong name (and banner), self-signed', async () => {
    const script = smtpFixture('exchange2016-25');
    expect(await ids(SMTP, await startSmtpServer({ ...script, tls: certificate('expired') }), smtp(25))).toEqual(['critical:tls.expired']);
    expect(await ids(SMTP, await startSmtpServer({ ...script, tls: certificate('wrong-name') }), smtp(25))).toEqual([
      'warning:smtp.banner-name-mismatch',
      'warning:tls.name-mismatch',
    ]);
    expect(await ids(SMTP, await startSmtpServer({ ...script, tls: certificate('self-signed') }), smtp(25))).toEqual(['warning:tls.self-signed']);
  });

  test('STARTTLS refused with 454', async () => {
    const raw = await startRawServer((socket) => {
      socket.write('220 mx.example.test ESMTP\r\n');
      socket.on('data', (d) => {
        const verb = d.toString().split(/[ \r]/)[0];
        if (verb === 'EHLO') socket.write('250-mx.example.test\r\n250 STARTTLS\r\n');
        else if (verb === 'STARTTLS') socket.write('454 4.7.0 TLS not available\r\n');
        else socket.end('221 bye\r\n');
      });
    });
    expect(await ids(SMTP, raw, smtp(25))).toEqual(['warning:smtp.starttls-refused']);
  });

  test('greetings 421 and 554', async () => {
    expect(await ids(SMTP, await startSmtpServer({ greeting: ['421 4.3.2 busy'], ehlo: [] }), smtp(25))).toEqual(['critical:smtp.greeting-unavailable']);
    expect(await ids(SMTP, await startSmtpServer({ greeting: ['554 5.7.1 go away'], ehlo: [] }), smtp(25))).toEqual(['critical:smtp.greeting-refused']);
  });
});

describe('hostile servers -> a fact and a finding within the deadline', () => {
  test.each([
    ['endless banner', endless('220-x\r\n'), 'critical:smtp.malformed-reply'],
    ['one byte a second', trickle('220 slow ESMTP\r\n', 1000), 'critical:smtp.timeout'],
    ['10 MB line', sendThenSilence(HUGE_LINE), 'critical:smtp.limit-exceeded'],
    ['garbage', sendThenSilence(GARBAGE), 'critical:smtp.malformed-reply'],
    ['220 then silence', sendThenSilence('220 mute ESMTP\r\n'), 'critical:smtp.timeout'],
    ['reset mid-reply', resetAfter('220 x ESMTP\r\n', '250-x\r\n250-SI'), 'critical:smtp.connection-reset'],
  ] as const)('SMTP: %s', async (_name, behaviour, expected) => {
    expect(await ids(SMTP, await startRawServer(behaviour), smtp(25))).toContain(expected);
  });

  test('SMTP: TLS after STARTTLS never completes', async () => {
    const server = await startSmtpServer({ ...smtpFixture('exchange2016-25'), handshake: 'never' });
    expect(await ids(SMTP, server, smtp(25))).toEqual(['critical:smtp.starttls-failed']);
  });

  test('TLS port: handshake never completes', async () => {
    expect(await ids(TLS, await startRawServer(() => undefined), { modelPort: 443, probe: 'tls', implicitTls: true })).toEqual(['critical:tls.handshake-failed']);
  });

  test('IMAP: endless capability, and a trickle', async () => {
    const endlessCaps = await startRawServer((socket) => {
      socket.write('* OK ready\r\n');
      socket.once('data', () => endless('* CAPABILITY X\r\n')(socket));
    });
    expect(await ids(IMAP, endlessCaps, { modelPort: 143, probe: 'imap' })).toContain('critical:imap.limit-exceeded');
    expect(await ids(IMAP, await startRawServer(trickle('* OK slow\r\n', 1000)), { modelPort: 143, probe: 'imap' })).toEqual(['critical:imap.timeout']);
  });

  test('HTTP: headers that never end', async () => {
    const server = await startRawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      endless('X-A: b\r\n')(socket);
    });
    expect(await ids(HTTP, server, { modelPort: 80, probe: 'http' })).toEqual(['critical:http.request-failed']);
  });
});

describe('TLS, HTTP, IMAP4, POP3 -> findings', () => {
  test('TLS 1.1 accepted on 443', async () => {
    const server = await startTlsServer({ ...certificate('mail'), minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    expect(await ids(TLS, server, { modelPort: 443, probe: 'tls', implicitTls: true })).toEqual(['warning:tls.legacy-protocol']);
  });

  test('Exchange on 443 and 80: nothing to report', async () => {
    expect(await ids(HTTP, await startHttpServer(exchangeHttps, certificate('mail')), { modelPort: 443, probe: 'http', implicitTls: true })).toEqual([]);
    expect(await ids(HTTP, await startHttpServer(exchangeHttpRedirect), { modelPort: 80, probe: 'http' })).toEqual([]);
  });

  test('a plain web server on 443 and 80', async () => {
    expect(await ids(HTTP, await startHttpServer(plainWeb, certificate('mail')), { modelPort: 443, probe: 'http', implicitTls: true })).toEqual([
      'critical:http.not-exchange',
    ]);
    expect(await ids(HTTP, await startHttpServer(plainWeb), { modelPort: 80, probe: 'http' })).toEqual(['warning:http.no-https-redirect']);
  });

  test('Exchange with a missing virtual directory and basic auth where Negotiate belongs', async () => {
    const server = await startHttpServer((req, res) => {
      if (req.url === '/mapi') return void res.writeHead(404).end();
      if (req.url === '/OAB') return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"', 'X-FEServer': 'MBX01' }).end();
      exchangeHttps(req, res);
    }, certificate('mail'));
    expect(await ids(HTTP, server, { modelPort: 443, probe: 'http', implicitTls: true })).toEqual(['warning:http.vdir-missing', 'warning:http.vdir-unexpected']);
  });

  test('IMAP4 and POP3 as Exchange ships them, and with plaintext login', async () => {
    expect(await ids(IMAP, await startLineServer(exchangeImap()), { modelPort: 143, probe: 'imap' })).toEqual([]);
    expect(await ids(IMAP, await startLineServer(exchangeImap({ loginDisabled: false, starttls: false })), { modelPort: 143, probe: 'imap' })).toEqual([
      'critical:imap.plaintext-login',
      'warning:imap.no-starttls',
    ]);
    expect(await ids(POP3, await startLineServer(exchangePop3()), { modelPort: 110, probe: 'pop3' })).toEqual([]);
    expect(await ids(POP3, await startLineServer(exchangePop3({ user: true })), { modelPort: 110, probe: 'pop3' })).toEqual(['critical:pop3.plaintext-login']);
  });

  test('IMAP4 answering while the topology disables it; closed while enabled', async () => {
    expect(await ids(IMAP, await startLineServer(exchangeImap()), { modelPort: 143, probe: 'imap', expectation: 'forbidden' })).toEqual([
      'warning:imap.answering-while-disabled',
    ]);
    const gone = await startLineServer(exchangePop3());
    await gone.close();
    expect(await ids(POP3, gone, { modelPort: 110, probe: 'pop3' })).toEqual(['critical:pop3.not-answering']);
  });
});
