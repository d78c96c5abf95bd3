import type { DialogueFailure } from '../../probe/deadline.js';
import type { Finding, Severity } from '../types.js';

export interface FindingOptions {
  /** A certificate with fewer days left than this is a warning. */
  readonly certWarnDays: number;
  /** ... and with fewer than this, critical. */
  readonly certCritDays: number;
  /** The moment findings are judged at (days left are counted from it). */
  readonly now: Date;
}

export const FINDING_DEFAULTS: Omit<FindingOptions, 'now'> = { certWarnDays: 30, certCritDays: 14 };

export function finding(id: string, severity: Severity, message: string): Finding {
  return { id, severity, message };
}

export const FAILURE_IDS: Readonly<Record<DialogueFailure['reason'], string>> = {
  timeout: 'timeout',
  closed: 'connection-closed',
  reset: 'connection-reset',
  limit: 'limit-exceeded',
  malformed: 'malformed-reply',
  tls: 'tls-failed',
  aborted: 'aborted',
  error: 'dialogue-error',
};

/** A dialogue that stopped early: `smtp.timeout`, `imap.connection-reset`, ... An aborted scan is only info. */
export function failureFinding(service: string, failure: DialogueFailure): Finding {
  const severity: Severity = failure.reason === 'aborted' ? 'info' : 'critical';
  return finding(`${service}.${FAILURE_IDS[failure.reason]}`, severity, failure.message);
}
