/**
 * Debian's Dovecot (packages dovecot-imapd, dovecot-pop3d) as a Mailbox server's IMAP4 and POP3
 * services inside its namespace: its own configuration file, run and state directories under
 * the lab's directory, Exchange's greetings, plain-text login only after TLS (Exchange's default).
 */
export interface DovecotSite {
  readonly address: string;
  readonly certificateFile: string;
  readonly keyFile: string;
  readonly directory: string;
}

export function dovecotConfig(site: DovecotSite): string {
  const listener = (name: string, port: number, tls: boolean) =>
    [`  inet_listener ${name} {`, `    port = ${port}`, ...(tls ? ['    ssl = yes'] : []), '  }'];
  return [
    `base_dir = ${site.directory}/run`,
    `state_dir = ${site.directory}/state`,
    'log_path = /dev/stderr',
    'protocols = imap pop3',
    `listen = ${site.address}`,
    'ssl = yes',
    `ssl_cert = <${site.certificateFile}`,
    `ssl_key = <${site.keyFile}`,
    'disable_plaintext_auth = yes',
    'auth_mechanisms = plain',
    'login_greeting = The Microsoft Exchange IMAP4 service is ready.',
    'protocol pop3 {',
    '  login_greeting = The Microsoft Exchange POP3 service is ready.',
    '}',
    // No mailbox exists: every login fails, which is all a port check needs.
    'passdb {',
    '  driver = passwd-file',
    `  args = ${site.directory}/users`,
    '}',
    'userdb {',
    '  driver = static',
    '  args = uid=nobody gid=nogroup home=/nonexistent',
    '}',
    'service imap-login {',
    ...listener('imap', 143, false),
    ...listener('imaps', 993, true),
    '}',
    'service pop3-login {',
    ...listener('pop3', 110, false),
    ...listener('pop3s', 995, true),
    '}',
    '',
  ].join('\n');
}
