import type { HttpFacts } from './http.js';
import type { ImapFacts } from './imap.js';
import type { LdapsFacts } from './ldaps.js';
import type { Pop3Facts } from './pop3.js';
import type { SmtpFacts } from './smtp.js';
import type { TlsServiceFacts } from './tls.js';

/** The facts of every service checker, told apart by `kind` (each one also a ServiceFacts). */
export type CheckerFacts = SmtpFacts | TlsServiceFacts | LdapsFacts | HttpFacts | ImapFacts | Pop3Facts;
