import type { LineProtocol, LineSession } from './line-service.js';

/** The Exchange 2016 POP3 service. */
export function pop3Service(): LineProtocol {
  return {
    greet(session) {
      session.send('+OK The Microsoft Exchange POP3 service is ready.');
    },
    line(session: LineSession, line: string) {
      const [command = ''] = line.trim().split(/\s+/);
      switch (command.toUpperCase()) {
        case 'CAPA':
          return session.send('+OK', 'TOP', 'UIDL', 'SASL NTLM GSSAPI PLAIN', 'USER', ...(session.secure ? [] : ['STLS']), '.');
        case 'STLS':
          if (session.secure) return session.send('-ERR Command is not valid in this state.');
          session.send('+OK Begin TLS negotiation.');
          return session.startTls();
        case 'NOOP':
          return session.send('+OK');
        case 'QUIT':
          session.send('+OK Microsoft Exchange Server POP3 server signing off.');
          return session.close();
        default:
          return session.send('-ERR Protocol error. 14');
      }
    },
  };
}
