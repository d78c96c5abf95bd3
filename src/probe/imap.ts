import { MAIL_ACCESS_DEFAULTS, mailAccessFacts, type MailAccessFacts, type MailAccessOptions, type MailAccessProtocol, type MailAccessSession } from './imap-pop3-dialogue.js';
import { runService } from './service-run.js';
import type { Prober, ServiceFacts } from './types.js';

export interface ImapFacts extends MailAccessFacts, ServiceFacts {
  readonly kind: 'imap';
  /** LOGINDISABLED before TLS: the server refuses plaintext LOGIN. */
  readonly loginDisabled: boolean;
}

function tagged(tag: string): (line: string) => boolean {
  return (line) => line.toUpperCase().startsWith(`${tag.toUpperCase()} `);
}

/** IMAP4 (RFC 9051): `* OK` greeting, tagged CAPABILITY, STARTTLS, LOGOUT. */
function imapProtocol(): MailAccessProtocol {
  let next = 0;
  const command = async (session: MailAccessSession, verb: string, phase: string): Promise<string[]> => {
    const tag = `a${++next}`;
    session.send(`${tag} ${verb}`);
    return session.linesUntil(session.reply(phase), tagged(tag));
  };
  const status = (lines: string[]): string => lines[lines.length - 1]?.split(' ')[1]?.toUpperCase() ?? '';
  return {
    name: 'IMAP4',
    greetingOk: (line) => /^\* (OK|PREAUTH)\b/i.test(line),
    capabilities: async (session) => {
      const lines = await command(session, 'CAPABILITY', 'CAPABILITY response');
      if (status(lines) !== 'OK') return null;
      return lines
        .filter((line) => /^\* CAPABILITY /i.test(line))
        .flatMap((line) => line.slice('* CAPABILITY '.length).trim().split(/\s+/))
        .map((name) => name.toUpperCase());
    },
    starttlsCapability: 'STARTTLS',
    starttls: async (session) => {
      const lines = await command(session, 'STARTTLS', 'STARTTLS response');
      return { reply: lines[lines.length - 1] ?? '', ok: status(lines) === 'OK' };
    },
    logout: (session) => {
      if (session.writable) session.send(`a${++next} LOGOUT`);
    },
  };
}

export function makeImapProber(options: MailAccessOptions = MAIL_ACCESS_DEFAULTS): Prober {
  return (target, signal) =>
    runService(target, signal, options.sessionTimeoutMs, async (socket, session): Promise<ImapFacts> => {
      const facts = await mailAccessFacts(socket, imapProtocol, target, options, session);
      return { kind: 'imap', ...facts, loginDisabled: facts.capabilities.includes('LOGINDISABLED') };
    });
}
