import { safeJson } from './json.js';
import type { SmtpFacts } from '../probe/smtp.js';
import type { TlsFacts } from '../probe/tls-facts.js';
import type { Observation } from '../probe/types.js';
import type { Finding } from '../verdict/types.js';
import { sanitize } from './sanitize.js';

/** One `exchange-ports smtp` run: where, what was seen, what it means. */
export interface SmtpCheckReport {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly observation: Observation;
  readonly findings: readonly Finding[];
}

const yesNo = (value: boolean | undefined): string => (value === undefined ? 'unknown' : value ? 'yes' : 'no');

function tlsLines(tls: TlsFacts): string[] {
  if (tls.handshake === 'failed') return [`TLS: handshake failed: ${sanitize(tls.failure?.message ?? '')}`];
  const cert = tls.certificate;
  const lines = [`TLS: ${tls.version ?? '?'} ${tls.cipher ?? '?'}`];
  if (cert) {
    lines.push(
      `  certificate: ${sanitize(cert.subject)}; issuer ${sanitize(cert.issuer)}`,
      `  names: ${sanitize(cert.names.join(', ') || 'none')}`,
      `  valid: ${cert.notBefore} to ${cert.notAfter} (${cert.daysLeft} days left)`,
    );
  }
  if (tls.legacy) {
    const { legacy } = tls;
    lines.push(`  TLS 1.0/1.1: ${legacy.tested ? (legacy.accepted ? `accepted (${legacy.version ?? '?'})` : 'refused') : sanitize(legacy.note ?? 'not tested')}`);
  }
  lines.push(
    `  trusted: ${yesNo(tls.trusted)}${tls.trustError ? ` (${sanitize(tls.trustError)})` : ''}; name ${sanitize(tls.hostName)} matches: ${yesNo(tls.hostNameMatch)}`,
  );
  return lines;
}

function factLines(facts: SmtpFacts): string[] {
  const lines = facts.dialogue.map((line) => `${line.from === 'client' ? 'C' : 'S'}: ${sanitize(line.text)}`);
  lines.push('');
  if (facts.ehlo) {
    lines.push(`Extensions: ${sanitize(Object.keys(facts.ehlo.extensions).join(' ') || 'none')}`);
    lines.push(`AUTH before TLS: ${sanitize(facts.auth.join(' ') || 'none')}`);
  }
  if (facts.ehloAfterTls) {
    lines.push(`Extensions after TLS: ${sanitize(Object.keys(facts.ehloAfterTls.extensions).join(' ') || 'none')}`);
    lines.push(`AUTH after TLS: ${sanitize(facts.authAfterTls?.join(' ') || 'none')}`);
  }
  if (facts.size !== undefined) lines.push(`SIZE: ${facts.size}`);
  if (facts.tls) lines.push(...tlsLines(facts.tls));
  if (facts.exchange.suggests) {
    lines.push(`Exchange: ${facts.exchange.suggests}${facts.exchange.markers.length ? ` (${facts.exchange.markers.join(', ')})` : ''}`);
  }
  return lines;
}

export function formatSmtpCheckText(report: SmtpCheckReport): string {
  const { observation } = report;
  const where = report.host === report.address ? report.address : `${sanitize(report.host)} (${report.address})`;
  const lines = [`SMTP check of ${where} port ${report.port}: ${observation.state}${observation.rttMs !== undefined ? ` in ${observation.rttMs} ms` : ''}`];
  if (observation.state !== 'open') lines.push(`Could not connect: ${sanitize(observation.error ?? observation.state)}`);
  const facts = observation.service as SmtpFacts | undefined;
  if (facts) lines.push('', ...factLines(facts));
  lines.push('', report.findings.length ? 'Findings:' : 'Findings: none');
  for (const f of report.findings) lines.push(`  ${f.severity.padEnd(8)} ${f.id}: ${sanitize(f.message)}`);
  return `${lines.join('\n')}\n`;
}

/** Raw facts, as the server sent them, in terminal-safe JSON. */
export function formatSmtpCheckJson(report: SmtpCheckReport): string {
  return safeJson(report);
}
