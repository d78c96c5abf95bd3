import { postfixMainCf, postfixMasterCf } from '../../src/lab/netns/postfix.js';

describe('Postfix configuration for the Internet mail host', () => {
  test('listens on the host address only, keeps everything under its directory, relays nothing', () => {
    const lines = postfixMainCf({ hostName: 'mx.example.org', address: '198.19.1.25', certificateFile: '/lab/c.pem', keyFile: '/lab/k.pem', directory: '/lab/postfix-mx' }).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'myhostname = mx.example.org',
        'inet_interfaces = 198.19.1.25',
        'queue_directory = /lab/postfix-mx/queue',
        'data_directory = /lab/postfix-mx/data',
        'maillog_file = /lab/postfix-mx/maillog',
        'mydestination =',
        'relayhost =',
        'mynetworks =',
        'smtpd_tls_cert_file = /lab/c.pem',
      ]),
    );
  });

  test('takes smtpd out of its chroot and leaves the rest of master.cf alone', () => {
    const debian = 'smtp      inet  n       -       y       -       -       smtpd\npickup    unix  n       -       y       60      1       pickup\n';
    expect(postfixMasterCf(debian)).toBe('smtp      inet  n       -       n       -       -       smtpd\npickup    unix  n       -       y       60      1       pickup\n');
  });
});
