import type { SmtpFacts } from '../probe/smtp.js';
import type { Severity } from '../verdict/types.js';
import { NAGIOS_STATES, type NagiosState } from './exit.js';
import { bounded, NAGIOS_MAX_BYTES, plain } from './nagios.js';
import { addressLabel, addressOutcome, minCertificateDaysLeft, type AddressOutcome, type SmtpAddressCheck, type SmtpCheckReport } from './smtp-check.js';

/**
 * `smtp --format nagios`, after monitoring-plugins' check_smtp: `SMTP OK - 0.012 sec. response
 * time|time=0.012345s;;;0.000000`. Refused and timed out (connect or dialogue) are CRITICAL, as
 * there; a name without an address is UNKNOWN. The findings decide the rest: a critical one
 * CRITICAL, a warning WARNING (a certificate's days left against --cert-warn-days and
 * --cert-crit-days, as check_smtp -D does). One status line; then one line per address.
 */

const OUTCOME_STATE: Readonly<Record<AddressOutcome, NagiosState>> = { ok: 0, warning: 1, critical: 2, unreachable: 2 };

export function smtpNagiosState(report: SmtpCheckReport): NagiosState {
  if (report.unresolved !== undefined || report.addresses.length === 0) return 3;
  return Math.max(...report.addresses.map((check) => OUTCOME_STATE[addressOutcome(check)])) as NagiosState;
}

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'warning'];

/** What is wrong with one address, in a few words, or nothing. */
function problem(check: SmtpAddressCheck): string | undefined {
  const outcome = addressOutcome(check);
  if (outcome === 'unreachable') return check.observation.error ?? check.observation.state;
  const worst = SEVERITY_ORDER.flatMap((severity) => check.findings.filter((f) => f.severity === severity))[0];
  return worst ? worst.message : undefined;
}

/** The seconds check_smtp reports: `%.3f` in the message, `%f` in perfdata. */
const seconds = (ms: number): number => Math.max(0, ms) / 1000;

function perfdata(report: SmtpCheckReport): string {
  const times = report.addresses.map((check) => check.elapsedMs);
  const parts = [`time=${seconds(Math.max(...times)).toFixed(6)}s;;;0.000000`];
  if (report.addresses.length > 1) {
    for (const check of report.addresses) parts.push(`time_${check.address}=${seconds(check.elapsedMs).toFixed(6)}s;;;0.000000`);
  }
  const days = minCertificateDaysLeft(report);
  // Range `30:` alerts below 30: the thresholds the certificate findings were judged with.
  if (days !== undefined) parts.push(`cert_days_left_min=${days};${report.certDays.warn}:;${report.certDays.crit}:`);
  return parts.join(' ');
}

/** `mail.contoso.test (198.18.0.25): WARNING - 220 mail ... ESMTP; TLSv1.3; certificate 45 days left`, then its findings. */
function addressLines(check: SmtpAddressCheck): string[] {
  const outcome = addressOutcome(check);
  const state = NAGIOS_STATES[OUTCOME_STATE[outcome]];
  const label = addressLabel(check);
  if (outcome === 'unreachable') return [plain(`${label}: ${state} - could not connect: ${problem(check) ?? ''}`, 300)];
  const facts = check.observation.service as SmtpFacts | undefined;
  const tls = facts?.tls;
  const what = [
    facts?.banner ?? 'no greeting',
    ...(tls?.handshake === 'ok' ? [`${tls.version ?? 'TLS'}`] : []),
    ...(tls?.certificate ? [`certificate ${tls.certificate.daysLeft} days left`] : []),
    `${seconds(check.elapsedMs).toFixed(3)} sec.`,
  ];
  const findings = check.findings
    .filter((f) => f.severity !== 'info')
    .map((f) => `  ${plain(`${f.severity.toUpperCase()} ${f.id}: ${f.message}`, 300)}`);
  return [plain(`${label}: ${state} - ${what.join('; ')}`, 300), ...findings];
}

export function formatSmtpCheckNagios(report: SmtpCheckReport): string {
  const state = smtpNagiosState(report);
  if (report.unresolved !== undefined || report.addresses.length === 0) {
    return `SMTP ${NAGIOS_STATES[state]} - ${plain(`${report.host}: the name did not resolve (${report.unresolved ?? 'no address'})`, 300)}\n`;
  }
  const problems = report.addresses
    .filter((check) => addressOutcome(check) !== 'ok')
    .sort((a, b) => OUTCOME_STATE[addressOutcome(b)] - OUTCOME_STATE[addressOutcome(a)]);
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  const message = first ? `${plain(`${addressLabel(first)}: ${problem(first) ?? ''}`, 160)}${more}, ` : '';
  const slowest = seconds(Math.max(...report.addresses.map((check) => check.elapsedMs)));
  const status = `SMTP ${NAGIOS_STATES[state]} - ${message}${slowest.toFixed(3)} sec. response time|${perfdata(report)}`;
  return `${bounded(status, report.addresses.flatMap(addressLines), NAGIOS_MAX_BYTES).join('\n')}\n`;
}
