import type { LineProtocol, LineSession } from './line-service.js';

/** The Exchange 2016 IMAP4 service: plain-text login disabled until TLS (the default). */
const BEFORE_TLS = 'IMAP4 IMAP4rev1 LOGINDISABLED STARTTLS SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+';
const AFTER_TLS = 'IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=NTLM AUTH=GSSAPI SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+';

export function imapService(): LineProtocol {
  return {
    greet(session) {
      session.send('* OK The Microsoft Exchange IMAP4 service is ready.');
    },
    line(session: LineSession, line: string) {
      const [tag = '*', command = ''] = line.trim().split(/\s+/);
      switch (command.toUpperCase()) {
        case 'CAPABILITY':
          return session.send(`* CAPABILITY ${session.secure ? AFTER_TLS : BEFORE_TLS}`, `${tag} OK CAPABILITY completed.`);
        case 'STARTTLS':
          if (session.secure) return session.send(`${tag} BAD Command received in Invalid state.`);
          session.send(`${tag} OK Begin TLS negotiation now.`);
          return session.startTls();
        case 'NOOP':
          return session.send(`${tag} OK NOOP completed.`);
        case 'LOGOUT':
          session.send('* BYE Microsoft Exchange Server IMAP4 server signing off.', `${tag} OK LOGOUT completed.`);
          return session.close();
        case 'LOGIN':
        case 'AUTHENTICATE':
          return session.send(`${tag} NO ${session.secure ? 'AUTHENTICATE failed.' : 'LOGIN is disabled.'}`);
        default:
          return session.send(`${tag} BAD Command Error. 12`);
      }
    },
  };
}
