import { makeSmtpProber, SMTP_DEFAULTS, type SmtpFacts, type SmtpProberOptions } from '../../src/probe/smtp.js';
import { serviceProbers } from '../../src/probe/service-probers.js';
import type { Observation } from '../../src/probe/types.js';
import { serviceFindings } from '../../src/verdict/findings/index.js';
import { probeTarget } from '../helpers/probe-target.js';
import { certificate, onLines, smtpFixture, startSmtpServer, startTlsServer, TEST_CA, type Running, type ScriptedServer, type SmtpScript } from '../helpers/servers.js';

const OPTIONS: SmtpProberOptions = { ...SMTP_DEFAULTS, ehloName: 'probe.example.test', ca: [TEST_CA()], legacyCheck: false };

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function probe(script: SmtpScript, modelPort = 25, options: SmtpProberOptions = OPTIONS): Promise<{ observation: Observation; facts: SmtpFacts; server: ScriptedServer }> {
  const server = await startSmtpServer(script);
  servers.push(server);
  const observation = await makeSmtpProber(options)(probeTarget({ port: server.port, modelPort, probe: 'smtp' }), new AbortController().signal);
  await server.settled();
  return { observation, facts: observation.service as SmtpFacts, server };
}

describe('SMTP checker against recorded servers', () => {
  test('Exchange 2016 on 25: greeting, extensions before and after STARTTLS, certificate, QUIT', async () => {
    const { observation, facts, server } = await probe(smtpFixture('exchange2016-25'));
    expect(observation.state).toBe('open');
    expect(observation.error).toBeUndefined();
    expect(facts.greeting?.code).toBe(220);
    expect(facts.bannerHost).toBe('mail.contoso.test');
    expect(facts.banner).toBe('220 mail.contoso.test Microsoft ESMTP MAIL Service ready at Fri, 27 Nov 2026 20:30:00 +0000');
    expect(facts.exchange.banner).toBe(true);
    expect(facts.exchange.markers).toEqual(['X-ANONYMOUSTLS', 'X-EXPS', 'XRDST']);
    expect(facts.ehlo?.extensions.STARTTLS).toEqual([]);
    expect(facts.size).toBe(37748736);
    expect(facts.auth).toEqual(['NTLM']);
    expect(facts.starttls).toMatchObject({ offered: true, attempted: true, reply: { code: 220 } });
    expect(facts.tls).toMatchObject({ handshake: 'ok', trusted: true, hostNameMatch: true });
    expect(facts.tls?.certificate?.names).toContain('DNS:mail.contoso.test');
    expect(facts.ehloAfterTls?.extensions).not.toHaveProperty('STARTTLS');
    expect(facts.authAfterTls).toEqual(['NTLM']);
    // QUIT is sent and the socket closed: its reply is never waited for.
    expect(facts.quit).toEqual({ sent: true });
    expect(server.commands).toEqual(['EHLO probe.example.test', 'STARTTLS', 'EHLO probe.example.test', 'QUIT']);
  });

  test('Exchange 2016 on 587: LOGIN only after TLS', async () => {
    const { facts } = await probe(smtpFixture('exchange2016-587'), 587);
    expect(facts.auth).toEqual(['GSSAPI', 'NTLM']);
    expect(facts.authAfterTls).toEqual(['GSSAPI', 'LOGIN', 'NTLM']);
  });

  test('extension order never matters: STARTTLS found wherever it stands', async () => {
    const script = smtpFixture('exchange2016-25');
    const body = script.ehlo.slice(1).map((line) => line.slice(4)).reverse();
    const shuffled = [script.ehlo[0] ?? '', ...body.map((text, i) => `250${i === body.length - 1 ? ' ' : '-'}${text}`)];
    const { facts } = await probe({ ...script, ehlo: shuffled });
    const { facts: original } = await probe(script);
    expect(facts.ehlo?.extensions).toEqual(original.ehlo?.extensions);
  });

  test('Postfix: not Exchange, STARTTLS works', async () => {
    const { facts } = await probe(smtpFixture('postfix'));
    expect(facts.exchange).toMatchObject({ banner: false, markers: [] });
    expect(facts.exchange.suggests).toBeUndefined();
    expect(facts.tls?.handshake).toBe('ok');
  });

  test('legacy Exchange 2010: XSHADOW noted; XEXCH50 is no legacy marker (2013+ Transport offers it)', async () => {
    const { facts } = await probe(smtpFixture('exchange2010-legacy'));
    expect(facts.exchange.legacy).toEqual(['XSHADOW']);
    expect(facts.auth).toEqual(['LOGIN', 'NTLM']);
  });

  test('back-end transport (2525): XSHADOWREQUEST and friends noted', async () => {
    const { facts } = await probe(smtpFixture('exchange2016-2525'), 2525);
    expect(facts.exchange.backEnd).toEqual(expect.arrayContaining(['XSHADOWREQUEST', 'XPROXYFROM']));
  });

  test('no STARTTLS: no TLS attempted', async () => {
    const { facts, server } = await probe(smtpFixture('no-starttls'));
    expect(facts.starttls).toEqual({ offered: false, attempted: false });
    expect(facts.tls).toBeUndefined();
    expect(server.commands).toEqual(['EHLO probe.example.test', 'QUIT']);
  });

  test('EHLO refused with 502: falls back to HELO', async () => {
    const { facts, server } = await probe({ ...smtpFixture('no-starttls'), rejectEhlo: true });
    expect(facts.ehlo).toMatchObject({ command: 'HELO', code: 250, extensions: {} });
    expect(server.commands).toEqual(['EHLO probe.example.test', 'HELO probe.example.test', 'QUIT']);
  });

  test('--starttls off: EHLO and QUIT only', async () => {
    const { facts, server } = await probe(smtpFixture('exchange2016-25'), 25, { ...OPTIONS, starttls: false });
    expect(facts.starttls).toEqual({ offered: true, attempted: false });
    expect(server.commands).toEqual(['EHLO probe.example.test', 'QUIT']);
  });

  test.each([
    ['wrong-name', { trusted: true, hostNameMatch: false }],
    ['expired', { trusted: false, trustError: 'CERT_HAS_EXPIRED' }],
    ['self-signed', { trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }],
  ] as const)('STARTTLS with the %s certificate', async (name, expected) => {
    const { facts } = await probe({ ...smtpFixture('exchange2016-25'), tls: certificate(name) });
    expect(facts.tls).toMatchObject({ handshake: 'ok', ...expected });
  });

  test('554 greeting: QUIT, no EHLO', async () => {
    const { facts, server } = await probe({ greeting: ['554 5.7.1 No service for you'], ehlo: [] });
    expect(facts.greeting?.code).toBe(554);
    expect(facts.ehlo).toBeUndefined();
    expect(server.commands).toEqual(['QUIT']);
  });

  test('421 greeting: no commands at all', async () => {
    const { facts, server } = await probe({ greeting: ['421 4.3.2 Service not available'], ehlo: [] });
    expect(facts.greeting?.code).toBe(421);
    expect(server.commands).toEqual([]);
  });

  test('multi-line greeting is one reply', async () => {
    const { facts } = await probe({ ...smtpFixture('postfix'), greeting: ['220-mx.example.test first', '220-second', '220 third'] });
    expect(facts.greeting?.lines).toHaveLength(3);
    expect(facts.bannerHost).toBe('mx.example.test');
  });

  test('bare 220 code ends a greeting', async () => {
    const { facts } = await probe({ ...smtpFixture('postfix'), greeting: ['220'] });
    expect(facts.greeting).toEqual({ code: 220, lines: ['220'] });
    expect(facts.ehlo?.code).toBe(250);
  });

  test('TLS 1.0/1.1 after STARTTLS: a second session offers at most TLS 1.1', async () => {
    const legacy = { ...OPTIONS, legacyCheck: true };
    const old = await probe({ ...smtpFixture('exchange2016-25'), tlsOptions: { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } }, 25, legacy);
    expect(old.facts.tls?.legacy).toEqual({ tested: true, accepted: true, version: 'TLSv1.1' });
    expect(old.facts.tls?.version).toBe('TLSv1.3');
    // The second session stops at its handshake: QUIT inside TLS 1.1, nothing more to learn there.
    expect(old.server.sessions).toEqual([
      ['EHLO probe.example.test', 'STARTTLS', 'EHLO probe.example.test', 'QUIT'],
      ['EHLO probe.example.test', 'STARTTLS', 'QUIT'],
    ]);
    const modern = await probe(smtpFixture('exchange2016-25'), 25, legacy);
    expect(modern.facts.tls?.legacy).toEqual({ tested: true, accepted: false });
    expect(modern.server.sessions).toEqual([
      ['EHLO probe.example.test', 'STARTTLS', 'EHLO probe.example.test', 'QUIT'],
      ['EHLO probe.example.test', 'STARTTLS'],
    ]);
  });

  test('--no-legacy-tls reaches the SMTP checker through the scan\'s prober record: one session only', async () => {
    for (const [legacyTls, sessions] of [[false, 1], [true, 2]] as const) {
      const server = await startSmtpServer(smtpFixture('exchange2016-25'));
      servers.push(server);
      const smtp = serviceProbers({ ca: [TEST_CA()], ehloName: 'probe.example.test', legacyTls }).smtp!;
      await smtp(probeTarget({ port: server.port, modelPort: 25, probe: 'smtp' }), new AbortController().signal);
      expect(server.commands.filter((c) => c === 'STARTTLS')).toHaveLength(sessions);
    }
  });

  test('no TLS 1.0/1.1 facts without a good first handshake, and the second session never goes further than the main one', async () => {
    const { facts, server } = await probe(smtpFixture('no-starttls'), 25, { ...OPTIONS, legacyCheck: true });
    expect(facts.tls).toBeUndefined();
    expect(server.sessions[0]).toEqual(['EHLO probe.example.test', 'QUIT']);
    expect(server.commands).not.toContain('STARTTLS');
  });

  test('no second session at all when the greeting does not let the main one in', async () => {
    const { facts, server } = await probe({ greeting: ['554 5.7.1 No service for you'], ehlo: [] }, 25, { ...OPTIONS, legacyCheck: true });
    expect(facts.greeting?.code).toBe(554);
    expect(server.sessions).toEqual([['QUIT']]);
  });

  test('implicit TLS (SMTPS style): the handshake first, then the greeting; no STARTTLS', async () => {
    const server = await startTlsServer(certificate('mail'), (socket) => {
      socket.write('220 mail.contoso.test ESMTP\r\n');
      onLines(socket, (line) => {
        if (line.startsWith('EHLO')) socket.write('250-mail.contoso.test\r\n250 AUTH LOGIN\r\n');
        else socket.end('221 bye\r\n');
      });
    });
    servers.push(server);
    const target = probeTarget({ port: server.port, modelPort: 465, probe: 'smtp', implicitTls: true });
    const facts = (await makeSmtpProber(OPTIONS)(target, new AbortController().signal)).service as SmtpFacts;
    expect(facts).toMatchObject({ greeting: { code: 220 }, auth: ['LOGIN'], starttls: { offered: false, attempted: false }, tls: { handshake: 'ok', trusted: true } });
    expect(facts.quit).toEqual({ sent: true });
    expect(serviceFindings(target.check, { state: 'open', attempts: 1, service: facts }, { certWarnDays: 30, certCritDays: 14, now: new Date('2030-01-01') })).toEqual([
      expect.objectContaining({ id: 'smtp.not-exchange', severity: 'info' }),
    ]);
  });

  test('closed port is closed', async () => {
    const server = await startSmtpServer(smtpFixture('postfix'));
    const port = server.port;
    await server.close();
    const observation = await makeSmtpProber(OPTIONS)(probeTarget({ port, probe: 'smtp' }), new AbortController().signal);
    expect(observation).toMatchObject({ state: 'closed', attempts: 1 });
    expect(observation.service).toBeUndefined();
  });
});
