import type { Check } from '../../plan/types.js';
import type { CheckerFacts } from '../../probe/service-facts.js';
import type { Observation } from '../../probe/types.js';
import type { Finding } from '../types.js';
import { finding, type FindingOptions } from './finding.js';
import { httpFindings } from './http.js';
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
  switch (facts.kind) {
    case 'smtp':
      return smtpFindings(check, facts, options);
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
