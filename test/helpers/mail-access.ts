import type { LineScript } from './servers.js';

/** Exchange 2016's IMAP4 service: LOGINDISABLED and STARTTLS before TLS (EXCHANGE-FACTS section 3). */
export function exchangeImap(options: { loginDisabled?: boolean; starttls?: boolean } = {}): LineScript {
  const { loginDisabled = true, starttls = true } = options;
  return {
    greeting: '* OK The Microsoft Exchange IMAP4 service is ready.',
    respond: (line, secure) => {
      const [tag = '*', verb = ''] = line.split(' ');
      switch (verb.toUpperCase()) {
        case 'CAPABILITY': {
          const before = [loginDisabled ? 'LOGINDISABLED' : '', starttls ? 'STARTTLS' : ''].filter(Boolean).join(' ');
          const caps = secure ? 'IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=NTLM AUTH=GSSAPI UIDPLUS MOVE ID CHILDREN IDLE NAMESPACE LITERAL+' : `IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI ${before} SASL-IR UIDPLUS MOVE ID CHILDREN IDLE NAMESPACE LITERAL+`;
          return `* CAPABILITY ${caps.replace(/\s+/g, ' ')}\r\n${tag} OK CAPABILITY completed.\r\n`;
        }
        case 'STARTTLS':
          return { starttls: `${tag} OK Begin TLS negotiation now.\r\n` };
        case 'LOGOUT':
          return `* BYE Microsoft Exchange Server IMAP4 server signing off.\r\n${tag} OK LOGOUT completed.\r\n`;
        default:
          return `${tag} BAD Command Argument Error. 11\r\n`;
      }
    },
  };
}

/** Exchange 2016's POP3 service. `user` adds USER to CAPA before TLS. */
export function exchangePop3(options: { user?: boolean; stls?: boolean } = {}): LineScript {
  const { user = false, stls = true } = options;
  return {
    greeting: '+OK The Microsoft Exchange POP3 service is ready.',
    respond: (line, secure) => {
      switch (line.split(' ')[0]?.toUpperCase()) {
        case 'CAPA': {
          const caps = ['TOP', 'UIDL', 'SASL NTLM GSSAPI', ...(secure || user ? ['USER'] : []), ...(!secure && stls ? ['STLS'] : [])];
          return `+OK\r\n${caps.join('\r\n')}\r\n.\r\n`;
        }
        case 'STLS':
          return { starttls: '+OK Begin TLS negotiation.\r\n' };
        case 'QUIT':
          return '+OK Microsoft Exchange Server POP3 server signing off.\r\n';
        default:
          return '-ERR Protocol error. 14\r\n';
      }
    },
  };
}
