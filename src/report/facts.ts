import type { CheckResult } from '../verdict/types.js';
import { clip } from './sanitize.js';

/**
 * Service facts are a loose record from the checkers; each one is read defensively, found by
 * key anywhere a few levels down (`certificate.daysLeft`, `tls.certificate.notAfter`).
 */
function find(value: unknown, key: string, depth = 4): unknown {
  if (depth < 0 || typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (key in record && record[key] !== undefined && record[key] !== null) return record[key];
  for (const child of Object.values(record)) {
    const found = find(child, key, depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function text(check: CheckResult, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = find(check.service, key);
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
}

const DAY_MS = 86_400_000;

export interface CertificateSummary {
  /** Whole days left at `at` (negative once expired). */
  readonly daysLeft: number;
  /** Seconds since the epoch, when the checker gave notAfter. */
  readonly notAfter?: number;
}

/**
 * The certificate's expiry: days left as the checker counted them at probe time, else counted
 * from notAfter to `at` (the end of the scan), so a re-rendered report says what the scan saw.
 */
export function certificate(check: CheckResult, at: Date): CertificateSummary | undefined {
  const notAfter = find(check.service, 'notAfter');
  const parsed = typeof notAfter === 'string' ? Date.parse(notAfter) : Number.NaN;
  const expiry = Number.isFinite(parsed) ? { notAfter: parsed / 1000 } : {};
  const days = find(check.service, 'daysLeft');
  if (typeof days === 'number' && Number.isFinite(days)) return { daysLeft: Math.floor(days), ...expiry };
  if (Number.isFinite(parsed) && Number.isFinite(at.getTime())) return { daysLeft: Math.floor((parsed - at.getTime()) / DAY_MS), ...expiry };
  return undefined;
}

/** Which certificate the service presented (its SHA-256 fingerprint, else issuer and serial). */
export function certificateKey(check: CheckResult): string | undefined {
  const fingerprint = find(check.service, 'fingerprint256');
  if (typeof fingerprint === 'string' && fingerprint !== '') return fingerprint;
  const serial = find(check.service, 'serialNumber');
  const issuer = find(check.service, 'issuer');
  return typeof serial === 'string' && serial !== '' ? `${typeof issuer === 'string' ? issuer : ''}\u0000${serial}` : undefined;
}

/** The first line the service sent (SMTP/IMAP/POP3 greeting), sanitized and clipped. */
export function banner(check: CheckResult, max = 60): string | undefined {
  const raw = text(check, 'greeting', 'banner');
  return raw === undefined ? undefined : clip(raw.split(/\r?\n/)[0] ?? raw, max);
}

/** The one fact a reader wants beside the verdict: greeting, HTTP status, cert days left, error. */
export function keyFact(check: CheckResult, at: Date, max = 60): string {
  const parts: string[] = [];
  const greeting = banner(check, max);
  if (greeting) parts.push(greeting);
  else {
    const status = find(check.service, 'status');
    if (typeof status === 'number') parts.push(`HTTP ${status}`);
  }
  const cert = certificate(check, at);
  if (cert) parts.push(cert.daysLeft < 0 ? `cert expired ${-cert.daysLeft} d ago` : `cert ${cert.daysLeft} d left`);
  if (parts.length === 0 && check.observed.error) parts.push(clip(check.observed.error, max));
  return parts.join('; ');
}

/** The smallest certificate days-left over all checks, if any check saw a certificate. */
export function minCertificateDays(checks: readonly CheckResult[], at: Date): number | undefined {
  let min: number | undefined;
  for (const c of checks) {
    const cert = certificate(c, at);
    if (cert && (min === undefined || cert.daysLeft < min)) min = cert.daysLeft;
  }
  return min;
}

export function durationSeconds(result: { startedAt: string; finishedAt: string }): number | undefined {
  const ms = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}
