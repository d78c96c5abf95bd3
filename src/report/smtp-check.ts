import { safeJson } from './json.js';
import type { SmtpFacts } from '../probe/smtp.js';
import type { Observation } from '../probe/types.js';
import type { Finding } from '../verdict/types.js';

/** One address a `smtp HOST[:PORT]` run checked: where, what was seen, what it means. */
export interface SmtpAddressCheck {
  /** The name or address the user gave. */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  /** From the connect to the end of the dialogue (the TLS 1.0/1.1 attempt included). */
  readonly elapsedMs: number;
  readonly observation: Observation;
  readonly findings: readonly Finding[];
}

/** One `exchange-ports smtp` run: every address the name stands for, or why there is none. */
export interface SmtpCheckReport {
  readonly host: string;
  readonly port: number;
  /** Why the name gave no address to check (then `addresses` is empty). */
  readonly unresolved?: string;
  readonly addresses: readonly SmtpAddressCheck[];
  /** The thresholds the certificate findings were judged with (Nagios perfdata repeats them). */
  readonly certDays: { readonly warn: number; readonly crit: number };
}

/**
 * How one address did: `unreachable` when nothing could be connected to (refused, silence,
 * no route), else the worst finding's severity (`ok` when only info findings or none).
 */
export type AddressOutcome = 'unreachable' | 'critical' | 'warning' | 'ok';

export function addressOutcome(check: SmtpAddressCheck): AddressOutcome {
  if (check.observation.state !== 'open') return 'unreachable';
  if (check.findings.some((f) => f.severity === 'critical')) return 'critical';
  return check.findings.some((f) => f.severity === 'warning') ? 'warning' : 'ok';
}

/**
 * The command's exit code: 0 when every address gave a clean dialogue, 3 when nothing could be
 * connected to at all (or the name gave no address), else 1 (a finding, a cut dialogue, or one
 * address of several unreachable).
 */
export function smtpExitCode(report: SmtpCheckReport): 0 | 1 | 3 {
  const outcomes = report.addresses.map(addressOutcome);
  if (outcomes.length === 0 || outcomes.every((o) => o === 'unreachable')) return 3;
  return outcomes.every((o) => o === 'ok') ? 0 : 1;
}

/** The certificate with the fewest days left among the addresses, if any presented one. */
export function minCertificateDaysLeft(report: SmtpCheckReport): number | undefined {
  const days = report.addresses.flatMap((check) => {
    const left = (check.observation.service as SmtpFacts | undefined)?.tls?.certificate?.daysLeft;
    return typeof left === 'number' ? [left] : [];
  });
  return days.length > 0 ? Math.min(...days) : undefined;
}

/** `mail.contoso.test (198.18.0.25)`, or the address alone when that is what the user gave. */
export function addressLabel(check: Pick<SmtpAddressCheck, 'host' | 'address'>): string {
  return check.host === check.address ? check.address : `${check.host} (${check.address})`;
}

/** Raw facts, as the server sent them, in terminal-safe JSON. */
export function formatSmtpCheckJson(report: SmtpCheckReport): string {
  return safeJson(report);
}
