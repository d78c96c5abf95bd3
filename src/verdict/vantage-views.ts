import { OUTSIDE_ROLES } from '../model/types.js';
import type { SmtpFacts } from '../probe/smtp.js';
import type { CheckerFacts } from '../probe/service-facts.js';
import type { TlsFacts } from '../probe/tls-facts.js';
import type { CheckResult, Finding } from './types.js';

/**
 * What several vantages saw of one server and port, compared. The same listener should look the
 * same from everywhere; what differs between the inside and the Internet was changed on the way
 * (EXCHANGE-FACTS section 6). Pure.
 */

/** What one vantage saw, reduced to what must not change with the vantage. */
interface View {
  readonly greeting?: string;
  readonly keywords?: readonly string[];
  readonly starttls?: string;
  readonly fingerprint?: string;
  readonly issuer?: string;
  readonly chain?: string;
}

type Aspect = keyof View;

/** Keywords a receive connector offers by the remote address's permissions (AUTH differs by connector). */
const PER_CONNECTOR = new Set(['AUTH', 'X-EXPS']);
const DATE = /\s*\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), .*$/;

function handshake(facts: CheckerFacts): TlsFacts | undefined {
  return facts.kind === 'tls' || facts.kind === 'ldaps' ? facts : facts.tls;
}

function smtpView(facts: SmtpFacts): View {
  // Saved results are files: any fact can be missing.
  const starttls = facts.starttls as SmtpFacts['starttls'] | undefined;
  const outcome = !starttls
    ? undefined
    : !starttls.offered
      ? 'not offered'
      : !starttls.attempted
        ? 'offered'
        : `answered ${starttls.reply?.code ?? 'nothing'}${facts.tls ? `, handshake ${facts.tls.handshake}` : ''}`;
  return {
    ...(typeof facts.banner === 'string' ? { greeting: facts.banner.replace(DATE, '') } : {}),
    ...(facts.ehlo?.code === 250 && facts.ehlo.extensions ? { keywords: Object.keys(facts.ehlo.extensions).filter((k) => !PER_CONNECTOR.has(k)).sort() } : {}),
    ...(facts.implicitTls || outcome === undefined ? {} : { starttls: outcome }),
  };
}

function viewOf(check: CheckResult): View | undefined {
  if (check.observed.state !== 'open' || !check.service) return undefined;
  const facts = check.service as CheckerFacts;
  const tls = handshake(facts);
  const cert = tls?.handshake === 'ok' ? tls.certificate : undefined;
  return {
    ...(facts.kind === 'smtp' ? smtpView(facts) : {}),
    ...(cert ? { fingerprint: cert.fingerprint256, issuer: cert.issuer } : {}),
    ...(cert && Array.isArray(tls?.chain) ? { chain: tls.chain.join(' <- ') } : {}),
  };
}

const WORDS: Readonly<Record<Aspect, string>> = {
  greeting: 'greeting',
  keywords: 'EHLO keywords',
  starttls: 'STARTTLS',
  fingerprint: 'certificate SHA-256',
  issuer: 'certificate issuer',
  chain: 'certificate chain',
};

function shown(aspect: Aspect, value: View[Aspect]): string {
  if (value === undefined) return '(nothing)';
  return Array.isArray(value) ? value.join(' ') : String(value);
}

/** The differences, in words, and whether the certificate or the mail dialogue is among them. */
function differences(outside: View, inside: View): { words: string[]; certificate: boolean; dialogue: boolean } {
  const words: string[] = [];
  let certificate = false;
  let dialogue = false;
  for (const aspect of Object.keys(WORDS) as Aspect[]) {
    // Only what both vantages could see is compared (one stopped early: nothing to say).
    if (outside[aspect] === undefined || inside[aspect] === undefined) continue;
    const a = shown(aspect, outside[aspect]);
    const b = shown(aspect, inside[aspect]);
    if (a === b) continue;
    if (aspect === 'keywords') {
      const mine = new Set(outside.keywords);
      const theirs = new Set(inside.keywords);
      const lost = [...theirs].filter((k) => !mine.has(k));
      const added = [...mine].filter((k) => !theirs.has(k));
      words.push(`EHLO keywords ${[lost.length ? `missing ${lost.join(', ')}` : '', added.length ? `extra ${added.join(', ')}` : ''].filter(Boolean).join(' and ')}`);
    } else words.push(`${WORDS[aspect]} ${a} (inside: ${b})`);
    if (aspect === 'fingerprint' || aspect === 'issuer' || aspect === 'chain') certificate = true;
    if (aspect === 'keywords' || aspect === 'starttls') dialogue = true;
  }
  return { words, certificate, dialogue };
}

const POSSIBILITIES =
  'Three things do this: a rewriting firewall (SMTP/ESMTP inspection: breaks Exchange-to-Exchange authentication, "451 5.7.3 Cannot achieve Exchange Server authentication", and strips TLS from mail), ' +
  'TLS interception (firewall decryption: breaks Exchange certificate-based authentication and Extended Protection, and clients must trust the firewall\'s CA), ' +
  'or a load balancer or reverse proxy publishing with its own certificate (SSL offloading: breaks Extended Protection, on by default from Exchange 2019 CU14, unless it re-encrypts with the Exchange certificate)';

function server(check: CheckResult): string {
  return `${check.destination.role}|${check.destination.server ?? check.destination.host}|${check.port}/${check.transport}`;
}

const vantageName = (check: CheckResult) => `${check.source.role}${check.source.host ? `:${check.source.host}` : ''}`;

function pathFinding(outside: CheckResult, inside: CheckResult, found: ReturnType<typeof differences>): Finding {
  const where = `${outside.destination.server ?? outside.destination.host}:${outside.port}`;
  const severity = found.certificate || found.dialogue ? 'critical' : 'warning';
  const message =
    `${where} looks different from ${vantageName(outside)} than from ${vantageName(inside)}: ${found.words.join('; ')}. ` +
    `Something on the path from ${outside.source.role} changes the traffic. ${POSSIBILITIES}` +
    (severity === 'warning' ? '. A greeting alone can also differ by receive connector' : '');
  return { id: 'path.differs', severity, message };
}

/**
 * Every check, with a `path.differs` finding on each outside check whose server and port an
 * inside vantage saw differently. A passing outside check becomes warn.
 */
export function compareVantages(checks: readonly CheckResult[]): CheckResult[] {
  const insideViews = new Map<string, { check: CheckResult; view: View }>();
  for (const check of checks) {
    if (OUTSIDE_ROLES.has(check.source.role)) continue;
    const view = viewOf(check);
    if (view && !insideViews.has(server(check))) insideViews.set(server(check), { check, view });
  }
  return checks.map((check) => {
    const inside = OUTSIDE_ROLES.has(check.source.role) ? insideViews.get(server(check)) : undefined;
    const view = inside && viewOf(check);
    // A result merged before already carries its comparison.
    if (!inside || !view || check.findings.some((f) => f.id === 'path.differs')) return check;
    const found = differences(view, inside.view);
    if (found.words.length === 0) return check;
    const added = pathFinding(check, inside.check, found);
    const verdict = check.verdict === 'pass' ? 'warn' : check.verdict;
    const why = check.verdict === 'pass' ? `${check.why}; ${added.id}` : check.why;
    return { ...check, findings: [...check.findings, added], verdict, why };
  });
}
