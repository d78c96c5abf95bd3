import type { Check } from '../../plan/types.js';
import type { ImapFacts } from '../../probe/imap.js';
import type { Pop3Facts } from '../../probe/pop3.js';
import type { Finding } from '../types.js';
import { failureFinding, finding, type FindingOptions } from './finding.js';
import { tlsFindings } from './tls.js';

/** IMAP4 and POP3: TLS before any login, and the service there only when the topology enables it. */
export function mailAccessFindings(check: Check, facts: ImapFacts | Pop3Facts, options: FindingOptions): Finding[] {
  const service = facts.kind;
  const name = service === 'imap' ? 'IMAP4' : 'POP3';
  const found: Finding[] = [];
  if (check.expectation === 'forbidden') {
    found.push(finding(`${service}.answering-while-disabled`, 'warning', `${name} answers on ${check.port} although the topology disables it`));
  }
  if (facts.tls) {
    const where = facts.implicitTls ? `${check.port}` : `${facts.kind === 'imap' ? 'STARTTLS' : 'STLS'} on ${check.port}`;
    if (facts.tls.handshake === 'failed' && !facts.implicitTls) {
      found.push(finding(`${service}.starttls-failed`, 'critical', `${where}: ${facts.tls.failure?.message ?? 'the TLS handshake failed'}`));
    } else found.push(...tlsFindings(facts.tls, options, where));
  }
  if (facts.greeting !== undefined && !facts.greetingOk) {
    found.push(finding(`${service}.greeting-refused`, 'critical', `the ${name} greeting refuses the client: ${facts.greeting}`));
  }
  if (facts.greetingOk && !facts.implicitTls) {
    if (!facts.starttls.offered) found.push(finding(`${service}.no-starttls`, 'warning', `${name} on ${check.port} offers no ${service === 'imap' ? 'STARTTLS' : 'STLS'}`));
    const plaintext = facts.kind === 'imap' ? !facts.loginDisabled : facts.plaintextLoginBeforeTls;
    if (plaintext) found.push(finding(`${service}.plaintext-login`, 'critical', `${name} on ${check.port} accepts a login before TLS: passwords can cross the network in clear text`));
  }
  if (facts.starttls.attempted && facts.tls === undefined) {
    found.push(finding(`${service}.starttls-refused`, 'warning', `${name} offers TLS but refused it: ${facts.starttls.reply ?? ''}`));
  }
  if (facts.greetingOk && !facts.exchange) found.push(finding(`${service}.not-exchange`, 'info', `the greeting does not name Microsoft Exchange`));
  if (facts.failure) found.push(failureFinding(service, facts.failure));
  return found;
}
