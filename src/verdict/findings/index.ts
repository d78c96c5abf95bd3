import type { Check } from '../../plan/types.js';
import type { CheckerFacts } from '../../probe/service-facts.js';
import type { TlsFacts } from '../../probe/tls-facts.js';
import type { Observation } from '../../probe/types.js';
import type { Finding } from '../types.js';
import { finding, type FindingOptions } from './finding.js';
import { httpFindings } from './http.js';
import { withInspection } from './inspection.js';
import { interceptionFindings } from './interception.js';
import { mailAccessFindings } from './mail-access.js';
import { smtpFindings } from './smtp.js';
import { tlsFindings } from './tls.js';

export { FINDING_DEFAULTS, type FindingOptions } from './finding.js';

function closedFindings(check: Check): Finding[] {
  if (check.probe !== 'imap' && check.probe !== 'pop3') return [];
  if (check.expectation !== 'required') return [];
  const name = check.probe === 'imap' ? 'IMAP4' : 'POP3';
  return [finding(`${check.probe}.not-answering`, 'critical', `${name} is enabled in the topology but nothing answers on ${check.port}`)];
}

/**
 * What the service facts of one observation mean for an Exchange administrator. Pure: the
 * same check, observation and options always give the same findings, in the same order.
 */
export function serviceFindings(check: Check, observation: Observation, options: FindingOptions): Finding[] {
  if (observation.state === 'closed') return closedFindings(check);
  const facts = observation.service as CheckerFacts | undefined;
  if (observation.state !== 'open' || !facts) return [];
  // An unrestricted ground-rule check judges the path; its handshake is the inside view merge compares.
  if (check.expectation === 'unrestricted') return [];
  return [...kindFindings(check, facts, options), ...interceptionFindings(check, handshakeOf(facts), handshakeName(check, facts))];
}

function handshakeOf(facts: CheckerFacts): TlsFacts | undefined {
  return facts.kind === 'tls' || facts.kind === 'ldaps' ? facts : facts.tls;
}

function handshakeName(check: Check, facts: CheckerFacts): string {
  return facts.kind === 'smtp' && !facts.implicitTls ? `STARTTLS on ${check.port}` : `${check.port}`;
}

function kindFindings(check: Check, facts: CheckerFacts, options: FindingOptions): Finding[] {
  switch (facts.kind) {
    case 'smtp':
      return withInspection(check, facts, smtpFindings(check, facts, options));
    case 'tls':
    case 'ldaps':
      return tlsFindings(facts, options, `${check.port}`);
    case 'http':
      return httpFindings(check, facts, options);
    case 'imap':
    case 'pop3':
      return mailAccessFindings(check, facts, options);
    default:
      return [];
  }
}
