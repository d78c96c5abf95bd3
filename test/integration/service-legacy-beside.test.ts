import type { TLSSocket } from 'node:tls';
import type { HttpFacts } from '../../src/probe/http.js';
import { makeHttpProber, HTTP_DEFAULTS } from '../../src/probe/http.js';
import { MAIL_ACCESS_DEFAULTS } from '../../src/probe/imap-pop3-dialogue.js';
import { makeImapProber, type ImapFacts } from '../../src/probe/imap.js';
import { makeSmtpProber, SMTP_DEFAULTS, type SmtpFacts } from '../../src/probe/smtp.js';
import type { Observation, Prober } from '../../src/probe/types.js';
import { serviceFindings } from '../../src/verdict/findings/index.js';
import { judge } from '../../src/verdict/judge.js';
import { startDelayProxy, type DelayProxy } from '../helpers/delay-proxy.js';
import { exchangeImap } from '../helpers/mail-access.js';
import { probeTarget, type TargetOptions } from '../helpers/probe-target.js';
import { certificate, onLines, SMTP_BUSY, smtpFixture, startLineServer, startSmtpServer, startTlsServer, TEST_CA, type Running } from '../helpers/servers.js';

/**
 * The TLS 1.0/1.1 check runs beside the main dialogue, on its own connection: the check takes
 * about the longer of the two, not their sum. Seen from the server side through a proxy that
 * puts the server 40 ms away, never from wall-clock numbers.
 */

const ONE_WAY_MS = 20;
const LEGACY_ACCEPTED = { minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' };

const running: (Running | DelayProxy)[] = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.close()));
});

/** Probes `server` through a delaying proxy, then waits until the server has seen every connection close. */
async function probeFar(prober: Prober, server: Running, target: Omit<TargetOptions, 'port'>): Promise<Observation> {
  const proxy = await startDelayProxy({ upstreamPort: server.port, oneWayMs: ONE_WAY_MS });
  running.push(server, proxy);
  const observation = await prober(probeTarget({ ...target, port: proxy.port }), new AbortController().signal);
  await server.settled();
  return observation;
}

const before = (timeline: readonly string[], first: string, second: string): boolean => {
  const a = timeline.indexOf(first);
  const b = timeline.indexOf(second);
  return a !== -1 && b !== -1 && a < b;
};

describe('the TLS 1.0/1.1 check runs beside the main dialogue', () => {
  test('SMTP STARTTLS: the second session connects and asks for STARTTLS while the main one is still talking', async () => {
    const server = await startSmtpServer({ ...smtpFixture('exchange2016-25'), tlsOptions: LEGACY_ACCEPTED });
    const prober = makeSmtpProber({ ...SMTP_DEFAULTS, ehloName: 'probe.example.test', ca: [TEST_CA()] });
    const facts = (await probeFar(prober, server, { modelPort: 25, probe: 'smtp' })).service as SmtpFacts;
    expect(facts.tls).toMatchObject({ handshake: 'ok', version: 'TLSv1.3', legacy: { tested: true, accepted: true, version: 'TLSv1.1' } });
    const { timeline } = server;
    // Opened once the main session was greeted, before it asked for STARTTLS ...
    expect(before(timeline, '1:connect', '0:STARTTLS')).toBe(true);
    // ... and through its own STARTTLS before the main session said QUIT: the two overlap.
    expect(before(timeline, '1:STARTTLS', '0:QUIT')).toBe(true);
    expect(server.sessions[1]).toEqual(['EHLO probe.example.test', 'STARTTLS', 'QUIT']);
  });

  test('IMAP4 STARTTLS: the same overlap', async () => {
    const server = await startLineServer(exchangeImap());
    const prober = makeImapProber({ ...MAIL_ACCESS_DEFAULTS, ca: [TEST_CA()] });
    const facts = (await probeFar(prober, server, { modelPort: 143, probe: 'imap' })).service as ImapFacts;
    expect(facts.tls).toMatchObject({ handshake: 'ok', legacy: { tested: true, accepted: false } });
    expect(before(server.timeline, '1:connect', '0:a2 STARTTLS')).toBe(true);
    expect(before(server.timeline, '1:a2 STARTTLS', '0:a4 LOGOUT')).toBe(true);
  });

  test('HTTPS: the TLS 1.1 handshake happens while the virtual directories are still being asked for', async () => {
    const protocols: (string | null)[] = [];
    const server = await startTlsServer({ ...certificate('mail'), ...LEGACY_ACCEPTED }, (socket: TLSSocket) => {
      protocols.push(socket.getProtocol());
      onLines(socket, (line) => {
        if (line === '') socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      });
    });
    const prober = makeHttpProber({ ...HTTP_DEFAULTS, ca: [TEST_CA()] });
    const facts = (await probeFar(prober, server, { modelPort: 443, probe: 'http', implicitTls: true })).service as HttpFacts;
    expect(facts.responses).toHaveLength(7);
    expect(facts.tls?.legacy).toEqual({ tested: true, accepted: true, version: 'TLSv1.1' });
    // Seven requests, each on its own connection, and the legacy handshake among the first two.
    expect(protocols.filter((p) => p === 'TLSv1.3')).toHaveLength(7);
    expect(protocols.indexOf('TLSv1.1')).toBeLessThanOrEqual(1);
  });
});

describe('a service that takes one connection per client at a time', () => {
  const judged = (observation: Observation, check = probeTarget({ port: 1, modelPort: 25, probe: 'smtp' }).check) => {
    const findings = serviceFindings(check, observation, { certWarnDays: 30, certCritDays: 14, now: new Date('2030-01-01') });
    return { findings: findings.map((f) => `${f.severity}:${f.id}`), verdict: judge(check, observation, findings).verdict };
  };

  test('SMTP: the main session is whole; the TLS 1.0/1.1 check says the second one was refused, and nothing else is found', async () => {
    const server = await startSmtpServer({ ...smtpFixture('exchange2016-25'), maxSessions: 1 });
    const prober = makeSmtpProber({ ...SMTP_DEFAULTS, ehloName: 'probe.example.test', ca: [TEST_CA()] });
    const observation = await probeFar(prober, server, { modelPort: 25, probe: 'smtp' });
    const facts = observation.service as SmtpFacts;
    expect(facts.failure).toBeUndefined();
    expect(facts.greeting?.code).toBe(220);
    expect(facts.authAfterTls).toEqual(['NTLM']);
    expect(facts.tls?.legacy).toEqual({ tested: false, note: `could not test: the service refused a second session beside the main one: ${SMTP_BUSY[0]}` });
    const { findings, verdict } = judged(observation);
    expect(findings).toContain('info:tls.legacy-not-tested');
    expect(findings.filter((f) => !f.startsWith('info:'))).toEqual([]);
    expect(verdict).toBe('pass');
    expect(server.sessions).toEqual([['EHLO probe.example.test', 'STARTTLS', 'EHLO probe.example.test', 'QUIT'], []]);
  });

  test('IMAP4: the same, with the refusal the server gave', async () => {
    const server = await startLineServer({ ...exchangeImap(), maxSessions: 1 });
    const prober = makeImapProber({ ...MAIL_ACCESS_DEFAULTS, ca: [TEST_CA()] });
    const observation = await probeFar(prober, server, { modelPort: 143, probe: 'imap' });
    const facts = observation.service as ImapFacts;
    expect(facts).toMatchObject({ greetingOk: true, loginDisabled: true, tls: { handshake: 'ok' } });
    expect(facts.failure).toBeUndefined();
    expect(facts.tls?.legacy).toEqual({ tested: false, note: 'could not test: the service refused a second session beside the main one: * BYE too many connections from your address' });
    const check = probeTarget({ port: 1, modelPort: 143, probe: 'imap' }).check;
    expect(judged(observation, check).findings.filter((f) => !f.startsWith('info:'))).toEqual([]);
  });
});
