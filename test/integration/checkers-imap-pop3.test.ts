import { MAIL_ACCESS_DEFAULTS, type MailAccessOptions } from '../../src/probe/imap-pop3-dialogue.js';
import { makeImapProber, type ImapFacts } from '../../src/probe/imap.js';
import { makePop3Prober, type Pop3Facts } from '../../src/probe/pop3.js';
import type { Prober } from '../../src/probe/types.js';
import { afterGreeting, endless, resetAfter, trickle } from '../helpers/hostile.js';
import { exchangeImap, exchangePop3 } from '../helpers/mail-access.js';
import { probeTarget } from '../helpers/probe-target.js';
import { certificate, startLineServer, startRawServer, TEST_CA, type LineScript, type Running, type ScriptedServer } from '../helpers/servers.js';

const OPTIONS: MailAccessOptions = {
  ...MAIL_ACCESS_DEFAULTS,
  greetingTimeoutMs: 1000,
  replyTimeoutMs: 1000,
  handshakeTimeoutMs: 1000,
  sessionTimeoutMs: 4000,
  ca: [TEST_CA()],
  legacyCheck: false,
};

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function run<F>(prober: Prober, server: Running, modelPort: number, implicitTls = false): Promise<F> {
  servers.push(server);
  const observation = await prober(probeTarget({ port: server.port, modelPort, probe: 'imap', implicitTls }), new AbortController().signal);
  await server.settled();
  expect(observation.state).toBe('open');
  return observation.service as F;
}

const line = async (script: LineScript, implicit = false): Promise<ScriptedServer> =>
  startLineServer(script, implicit ? certificate('mail') : undefined);

describe('IMAP4 checker', () => {
  test('Exchange on 143: greeting, LOGINDISABLED, STARTTLS, capabilities after TLS, LOGOUT', async () => {
    const server = await line(exchangeImap());
    const facts = await run<ImapFacts>(makeImapProber(OPTIONS), server, 143);
    expect(facts).toMatchObject({ kind: 'imap', implicitTls: false, greetingOk: true, exchange: true, loginDisabled: true });
    expect(facts.starttls).toEqual({ offered: true, attempted: true, reply: 'a2 OK Begin TLS negotiation now.' });
    expect(facts.tls).toMatchObject({ handshake: 'ok', trusted: true });
    expect(facts.capabilitiesAfterTls).toContain('AUTH=PLAIN');
    expect(facts.failure).toBeUndefined();
    expect(server.commands).toEqual(['a1 CAPABILITY', 'a2 STARTTLS', 'a3 CAPABILITY', 'a4 LOGOUT']);
  });

  test('plaintext LOGIN allowed: no LOGINDISABLED', async () => {
    const facts = await run<ImapFacts>(makeImapProber(OPTIONS), await line(exchangeImap({ loginDisabled: false })), 143);
    expect(facts.loginDisabled).toBe(false);
  });

  test('no STARTTLS offered', async () => {
    const facts = await run<ImapFacts>(makeImapProber(OPTIONS), await line(exchangeImap({ starttls: false })), 143);
    expect(facts.starttls).toEqual({ offered: false, attempted: false });
    expect(facts.tls).toBeUndefined();
  });

  test('993: implicit TLS first, then the greeting', async () => {
    const facts = await run<ImapFacts>(makeImapProber(OPTIONS), await line(exchangeImap(), true), 993, true);
    expect(facts).toMatchObject({ implicitTls: true, greetingOk: true, tls: { handshake: 'ok' } });
    expect(facts.starttls.offered).toBe(false);
  });

  test('BYE greeting is not OK and ends the dialogue', async () => {
    const facts = await run<ImapFacts>(makeImapProber(OPTIONS), await line({ greeting: '* BYE go away', respond: () => null }), 143);
    expect(facts).toMatchObject({ greeting: '* BYE go away', greetingOk: false, capabilities: [] });
  });

  test.each([
    ['endless capability', afterGreeting('* OK ready\r\n', endless('* CAPABILITY IMAP4\r\n')), 'limit'],
    ['trickle', trickle('* OK slow\r\n', 1000), 'timeout'],
    ['reset mid-reply', resetAfter('* OK ready\r\n', '* CAPABILITY IMAP4'), 'reset'],
  ] as const)('hostile: %s', async (_name, behaviour, reason) => {
    const facts = await run<ImapFacts>(makeImapProber(OPTIONS), await startRawServer(behaviour), 143);
    expect(facts.failure).toMatchObject({ reason });
  });
});

describe('POP3 checker', () => {
  test('Exchange on 110: greeting, CAPA, STLS, CAPA after TLS, QUIT', async () => {
    const server = await line(exchangePop3());
    const facts = await run<Pop3Facts>(makePop3Prober(OPTIONS), server, 110);
    expect(facts).toMatchObject({ kind: 'pop3', greetingOk: true, exchange: true, plaintextLoginBeforeTls: false });
    expect(facts.capabilities).toEqual(['TOP', 'UIDL', 'SASL NTLM GSSAPI', 'STLS']);
    expect(facts.capabilitiesAfterTls).toContain('USER');
    expect(facts.tls?.handshake).toBe('ok');
    expect(server.commands).toEqual(['CAPA', 'STLS', 'CAPA', 'QUIT']);
  });

  test('USER before TLS is plaintext login', async () => {
    const facts = await run<Pop3Facts>(makePop3Prober(OPTIONS), await line(exchangePop3({ user: true })), 110);
    expect(facts.plaintextLoginBeforeTls).toBe(true);
  });

  test('995: implicit TLS', async () => {
    const facts = await run<Pop3Facts>(makePop3Prober(OPTIONS), await line(exchangePop3(), true), 995, true);
    expect(facts).toMatchObject({ implicitTls: true, greetingOk: true, plaintextLoginBeforeTls: false, tls: { handshake: 'ok' } });
  });

  test('CAPA refused: no capabilities, still a clean QUIT', async () => {
    const script: LineScript = { greeting: '+OK old server', respond: (l) => (l === 'QUIT' ? '+OK bye\r\n' : '-ERR unknown\r\n') };
    const server = await line(script);
    const facts = await run<Pop3Facts>(makePop3Prober(OPTIONS), server, 110);
    expect(facts).toMatchObject({ capabilities: [], exchange: false });
    expect(server.commands).toEqual(['CAPA', 'QUIT']);
  });

  test('TLS 1.0/1.1: the dialogue again, with a handshake that offers at most TLS 1.1', async () => {
    const legacy = { ...OPTIONS, legacyCheck: true };
    const modern = await run<Pop3Facts>(makePop3Prober(legacy), await line(exchangePop3()), 110);
    expect(modern.tls?.legacy).toEqual({ tested: true, accepted: false });
    const oldTls = { ...certificate('mail'), minVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' };
    const old = await run<ImapFacts>(makeImapProber(legacy), await startLineServer(exchangeImap(), oldTls), 993, true);
    expect(old.tls?.legacy).toEqual({ tested: true, accepted: true, version: 'TLSv1.1' });
  });

  test('hostile: a STLS that never becomes TLS', async () => {
    const server = await startRawServer((socket) => {
      socket.write('+OK ready\r\n');
      socket.once('data', () => {
        socket.write('+OK\r\nSTLS\r\n.\r\n');
        socket.once('data', () => socket.write('+OK go\r\n'));
      });
    });
    const facts = await run<Pop3Facts>(makePop3Prober(OPTIONS), server, 110);
    expect(facts.tls).toMatchObject({ handshake: 'failed', failure: { reason: 'timeout', phase: 'TLS handshake' } });
  });
});
