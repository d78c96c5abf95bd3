import { dovecotConfig } from '../../src/lab/netns/dovecot.js';

describe('Dovecot configuration for a Mailbox server', () => {
  const config = dovecotConfig({ address: '198.19.3.11', certificateFile: '/lab/cert.pem', keyFile: '/lab/key.pem', directory: '/lab/dovecot-mbx01' }).split('\n');

  test('listens on the host address with Exchange\'s greetings and login only after TLS', () => {
    expect(config).toEqual(
      expect.arrayContaining([
        'listen = 198.19.3.11',
        'base_dir = /lab/dovecot-mbx01/run',
        'ssl_cert = </lab/cert.pem',
        'disable_plaintext_auth = yes',
        'login_greeting = The Microsoft Exchange IMAP4 service is ready.',
        '  login_greeting = The Microsoft Exchange POP3 service is ready.',
      ]),
    );
  });

  test('serves 143 and 110 plain (STARTTLS) and 993 and 995 with TLS from the first byte', () => {
    const text = config.join('\n');
    expect(text).toContain('  inet_listener imap {\n    port = 143\n  }');
    expect(text).toContain('  inet_listener imaps {\n    port = 993\n    ssl = yes\n  }');
    expect(text).toContain('  inet_listener pop3 {\n    port = 110\n  }');
    expect(text).toContain('  inet_listener pop3s {\n    port = 995\n    ssl = yes\n  }');
  });
});
