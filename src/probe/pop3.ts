import { MAIL_ACCESS_DEFAULTS, mailAccessFacts, type MailAccessFacts, type MailAccessOptions, type MailAccessProtocol } from './imap-pop3-dialogue.js';
import { runService } from './service-run.js';
import type { Prober, ServiceFacts } from './types.js';

export interface Pop3Facts extends MailAccessFacts, ServiceFacts {
  readonly kind: 'pop3';
  /** USER (or SASL PLAIN/LOGIN) offered before TLS: plaintext login works. */
  readonly plaintextLoginBeforeTls: boolean;
}

const ok = (line: string): boolean => /^\+OK\b/i.test(line);

/** POP3 (RFC 1939, 2449, 2595): `+OK` greeting, CAPA, STLS, QUIT. */
const POP3: MailAccessProtocol = {
  name: 'POP3',
  greetingOk: ok,
  capabilities: async (session) => {
    session.send('CAPA');
    const until = session.reply('CAPA response');
    if (!ok(await session.line(until))) return null;
    const lines = await session.linesUntil(until, (line) => line === '.');
    return lines.slice(0, -1).map((line) => line.toUpperCase());
  },
  starttlsCapability: 'STLS',
  starttls: async (session) => {
    session.send('STLS');
    const reply = await session.line(session.reply('STLS response'));
    return { reply, ok: ok(reply) };
  },
  logout: (session) => {
    if (session.writable) session.send('QUIT');
  },
};

function plaintextLogin(capabilities: readonly string[]): boolean {
  return capabilities.some((line) => line === 'USER' || /^SASL\b.*\b(PLAIN|LOGIN)\b/.test(line));
}

export function makePop3Prober(options: MailAccessOptions = MAIL_ACCESS_DEFAULTS): Prober {
  return (target, signal) =>
    runService(target, signal, options.sessionTimeoutMs, async (socket, session): Promise<Pop3Facts> => {
      const facts = await mailAccessFacts(socket, () => POP3, target, options, session);
      return { kind: 'pop3', ...facts, plaintextLoginBeforeTls: !facts.implicitTls && plaintextLogin(facts.capabilities) };
    });
}
