import type { LineProtocol, LineSession } from './line-service.js';

/**
 * SMTP receive connectors as Exchange 2016 presents them (greeting, EHLO keywords, STARTTLS,
 * AUTH only after TLS on the client connector), and a plain Internet MTA for the outside.
 * Mail is never accepted: the checkers never send MAIL FROM, RCPT TO or DATA.
 */
export type SmtpFlavor = 'frontend' | 'submission' | 'edge' | 'internet';

export interface SmtpServiceOptions {
  readonly fqdn: string;
  readonly flavor: SmtpFlavor;
  /** Fault: the client connector offers AUTH LOGIN before STARTTLS. */
  readonly authBeforeTls?: boolean;
}

const EXCHANGE_COMMON = ['SIZE 37748736', 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES'];
const EXCHANGE_TAIL = ['8BITMIME', 'BINARYMIME', 'CHUNKING', 'SMTPUTF8'];

function authKeywords(options: SmtpServiceOptions, secure: boolean): string[] {
  switch (options.flavor) {
    case 'frontend':
      return ['AUTH NTLM', 'X-EXPS GSSAPI NTLM'];
    case 'submission':
      return secure || options.authBeforeTls ? ['AUTH GSSAPI NTLM LOGIN', 'X-EXPS GSSAPI NTLM'] : ['AUTH GSSAPI NTLM', 'X-EXPS GSSAPI NTLM'];
    default:
      return [];
  }
}

function keywords(options: SmtpServiceOptions, secure: boolean): string[] {
  if (options.flavor === 'internet') {
    return ['PIPELINING', 'SIZE 10240000', ...(secure ? [] : ['STARTTLS']), 'ENHANCEDSTATUSCODES', '8BITMIME', 'SMTPUTF8'];
  }
  const tls = secure ? [] : ['STARTTLS', 'X-ANONYMOUSTLS'];
  const tail = options.flavor === 'frontend' ? [...EXCHANGE_TAIL, 'XRDST'] : EXCHANGE_TAIL;
  return [...EXCHANGE_COMMON, ...tls, ...authKeywords(options, secure), ...tail];
}

function multiline(code: number, lines: readonly string[]): string[] {
  return lines.map((text, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${text}`);
}

export function smtpService(options: SmtpServiceOptions): LineProtocol {
  const exchange = options.flavor !== 'internet';
  return {
    greet(session) {
      const date = new Date().toUTCString().replace('GMT', '+0000');
      session.send(
        exchange
          ? `220 ${options.fqdn} Microsoft ESMTP MAIL Service ready at ${date}`
          : `220 ${options.fqdn} ESMTP`,
      );
    },
    line(session: LineSession, line: string) {
      const [verb = '', ...rest] = line.trim().split(/\s+/);
      const argument = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          if (!argument) return session.send('501 5.5.4 Invalid domain name');
          return session.send(...multiline(250, [`${options.fqdn} Hello [${session.remoteAddress}]`, ...keywords(options, session.secure)]));
        case 'HELO':
          return session.send(`250 ${options.fqdn} Hello [${session.remoteAddress}]`);
        case 'STARTTLS':
          if (session.secure) return session.send('503 5.5.2 Only one STARTTLS command can be issued per session.');
          session.send('220 2.0.0 SMTP server ready');
          return session.startTls();
        case 'NOOP':
          return session.send('250 2.0.0 OK');
        case 'RSET':
          return session.send('250 2.0.0 Resetting');
        case 'QUIT':
          session.send('221 2.0.0 Service closing transmission channel');
          return session.close();
        case 'MAIL':
        case 'RCPT':
        case 'DATA':
        case 'BDAT':
        case 'AUTH':
          return session.send('530 5.7.1 Client was not authenticated');
        default:
          return session.send('500 5.3.3 Unrecognized command');
      }
    },
  };
}
