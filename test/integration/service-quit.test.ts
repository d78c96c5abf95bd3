import { MAIL_ACCESS_DEFAULTS, type MailAccessOptions } from '../../src/probe/imap-pop3-dialogue.js';
import { makeImapProber, type ImapFacts } from '../../src/probe/imap.js';
import { makePop3Prober, type Pop3Facts } from '../../src/probe/pop3.js';
import { makeSmtpProber, SMTP_DEFAULTS, type SmtpFacts } from '../../src/probe/smtp.js';
import type { Observation, Prober } from '../../src/probe/types.js';
import { exchangeImap, exchangePop3 } from '../helpers/mail-access.js';
import { probeTarget, type TargetOptions } from '../helpers/probe-target.js';
import { onLines, startLineServer, startRawServer, TEST_CA, type LineScript, type Running } from '../helpers/servers.js';

/**
 * QUIT (SMTP, POP3) and LOGOUT (IMAP4) are sent and the socket closed at once: a server that
 * never answers them, and keeps the connection open, costs the check nothing and changes no fact.
 */

const PHASE_MS = 20_000;
/** Generous: far below the reply limit a wait for the QUIT reply would run into. */
const ENDED_WITHIN_MS = 5000;
const PHASES = { greetingTimeoutMs: PHASE_MS, replyTimeoutMs: PHASE_MS, handshakeTimeoutMs: PHASE_MS, sessionTimeoutMs: 3 * PHASE_MS, ca: [TEST_CA()], legacyCheck: false };
/** What the tool never sends: no mail, no credentials. */
const NEVER = /^(MAIL|RCPT|DATA|BDAT|AUTH|USER|PASS|APOP|\S+ (LOGIN|AUTHENTICATE))\b/i;

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function timed(prober: Prober, server: Running, target: Omit<TargetOptions, 'port'>): Promise<{ observation: Observation; elapsed: number }> {
  servers.push(server);
  const started = performance.now();
  const observation = await prober(probeTarget({ ...target, port: server.port }), new AbortController().signal);
  const elapsed = performance.now() - started;
  await server.settled();
  return { observation, elapsed };
}

/** Answers like an Exchange receive connector, except QUIT: no reply, the connection left open. */
function smtpDeafToQuit(commands: string[]) {
  return startRawServer((socket) => {
    socket.write('220 mail.contoso.test Microsoft ESMTP MAIL Service ready\r\n');
    onLines(socket, (line) => {
      commands.push(line);
      if (/^EHLO /i.test(line)) socket.write('250-mail.contoso.test Hello\r\n250-SIZE 37748736\r\n250 AUTH NTLM\r\n');
    });
  });
}

const deafTo = (verb: RegExp, script: LineScript): LineScript => ({ ...script, respond: (line, secure) => (verb.test(line) ? '' : script.respond(line, secure)) });

describe('QUIT and LOGOUT are not waited for', () => {
  test('SMTP: a server that never answers QUIT', async () => {
    const commands: string[] = [];
    const { observation, elapsed } = await timed(makeSmtpProber({ ...SMTP_DEFAULTS, ...PHASES, ehloName: 'probe.example.test' }), await smtpDeafToQuit(commands), { modelPort: 25, probe: 'smtp' });
    const facts = observation.service as SmtpFacts;
    expect(elapsed).toBeLessThan(ENDED_WITHIN_MS);
    expect(observation.error).toBeUndefined();
    expect(facts.failure).toBeUndefined();
    expect(facts.quit).toEqual({ sent: true });
    expect(facts.size).toBe(37748736);
    expect(commands).toEqual(['EHLO probe.example.test', 'QUIT']);
    expect(commands.filter((c) => NEVER.test(c))).toEqual([]);
  });

  test('POP3: a server that never answers QUIT', async () => {
    const options: MailAccessOptions = { ...MAIL_ACCESS_DEFAULTS, ...PHASES };
    const server = await startLineServer(deafTo(/^QUIT$/i, exchangePop3()));
    const { observation, elapsed } = await timed(makePop3Prober(options), server, { modelPort: 110, probe: 'pop3' });
    const facts = observation.service as Pop3Facts;
    expect(elapsed).toBeLessThan(ENDED_WITHIN_MS);
    expect(facts.failure).toBeUndefined();
    expect(facts.capabilitiesAfterTls).toContain('USER');
    expect(server.commands).toEqual(['CAPA', 'STLS', 'CAPA', 'QUIT']);
    expect(server.commands.filter((c) => NEVER.test(c))).toEqual([]);
  });

  test('IMAP4: a server that never answers LOGOUT', async () => {
    const options: MailAccessOptions = { ...MAIL_ACCESS_DEFAULTS, ...PHASES };
    const server = await startLineServer(deafTo(/^\S+ LOGOUT$/i, exchangeImap()));
    const { observation, elapsed } = await timed(makeImapProber(options), server, { modelPort: 143, probe: 'imap' });
    const facts = observation.service as ImapFacts;
    expect(elapsed).toBeLessThan(ENDED_WITHIN_MS);
    expect(facts.failure).toBeUndefined();
    expect(facts.loginDisabled).toBe(true);
    expect(server.commands).toEqual(['a1 CAPABILITY', 'a2 STARTTLS', 'a3 CAPABILITY', 'a4 LOGOUT']);
    expect(server.commands.filter((c) => NEVER.test(c))).toEqual([]);
  });
});
