import type { DialogueFailure } from '../probe/deadline.js';
import type { ServiceFacts } from '../probe/types.js';
import { FAILURE_IDS } from './findings/finding.js';
import type { Finding } from './types.js';

/**
 * Findings that say the service answered but does not work: an implicit-TLS port that does
 * not speak TLS, an SMTP/IMAP4/POP3 greeting that refuses the client or is no greeting at all,
 * every HTTP request failing. A recogniser of another such state adds its id here.
 */
const BREAKING: ReadonlySet<string> = new Set([
  'tls.handshake-failed',
  'smtp.greeting-unavailable',
  'smtp.greeting-refused',
  'smtp.greeting-unexpected',
  'imap.greeting-refused',
  'pop3.greeting-refused',
  'http.request-failed',
]);

/** A line dialogue cut after connecting (reset, timeout, garbage, endless reply); not a scan cut short. */
const CUT_DIALOGUE: ReadonlySet<string> = new Set(
  Object.entries(FAILURE_IDS)
    .filter(([reason]) => reason !== 'aborted')
    .flatMap(([, id]) => ['smtp', 'imap', 'pop3'].map((service) => `${service}.${id}`)),
);

/** Whether a finding means the service is not working (a required flow is then `down`, not `warn`). */
export function breaksService(finding: Finding): boolean {
  return finding.severity === 'critical' && (BREAKING.has(finding.id) || CUT_DIALOGUE.has(finding.id));
}

interface Answers {
  readonly handshake?: 'ok' | 'failed';
  readonly failure?: DialogueFailure;
  readonly tls?: { readonly handshake: 'ok' | 'failed'; readonly failure?: DialogueFailure };
  readonly dialogue?: readonly { readonly from: 'client' | 'server' }[];
  readonly responses?: readonly { readonly status?: number; readonly failure?: DialogueFailure }[];
}

/**
 * Whether a service check was cut (deadline, signal) before the service said anything: no
 * greeting line, no finished TLS handshake where TLS is all there is, no HTTP status. What such
 * a check saw proves the port open, not the service working or broken.
 */
export function cutBeforeAnswer(service: ServiceFacts | undefined): boolean {
  if (!service) return false;
  const facts = service as Answers;
  // The TLS and LDAPS checkers' facts are the handshake itself.
  const tls = facts.handshake !== undefined ? (facts as Answers['tls']) : facts.tls;
  const aborted =
    facts.failure?.reason === 'aborted' || tls?.failure?.reason === 'aborted' || (facts.responses ?? []).some((r) => r.failure?.reason === 'aborted');
  if (!aborted) return false;
  if (facts.dialogue) return !facts.dialogue.some((line) => line.from === 'server');
  if (facts.responses) return !facts.responses.some((response) => response.status !== undefined);
  return tls?.handshake !== 'ok';
}
