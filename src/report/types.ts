import type { Role, Verdict } from '../model/types.js';
import type { Vantage } from '../plan/types.js';
import type { ScanResult } from '../verdict/types.js';

/** How one check differs between a baseline and a later result. */
export const CHANGE_KINDS = ['regression', 'new-exposure', 'fixed', 'service-change', 'verdict-change', 'new-check', 'removed-check'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Changes that make a baseline comparison fail (exit 1). */
export const BREAKING: ReadonlySet<ChangeKind> = new Set(['regression', 'new-exposure']);

export interface FactChange {
  /** Dotted path inside `service` (`greeting`, `tls.certificate.notAfter`), or `findings`. */
  readonly fact: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface Change {
  readonly kind: ChangeKind;
  /** The check id (`flow:host:port/transport`). */
  readonly check: string;
  readonly flow: string;
  readonly source: Vantage;
  readonly destination: { readonly role: Role; readonly host: string; readonly address?: string; readonly name?: string };
  readonly port: number;
  readonly transport: 'tcp' | 'udp';
  /** Absent for a new check. */
  readonly before?: Verdict;
  /** Absent for a removed check. */
  readonly after?: Verdict;
  readonly facts: readonly FactChange[];
}

/** A result compared with an earlier one (`scan --baseline`, `diff`). */
export interface Baseline {
  readonly file: string;
  readonly startedAt: string;
  readonly changes: readonly Change[];
  readonly summary: Readonly<Record<ChangeKind, number>> & { readonly unchanged: number };
}

/** One input of a merged result. */
export interface MergeSource {
  readonly file: string;
  readonly vantage: Vantage;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly topologySha256: string;
  readonly checks: number;
  readonly partial: boolean;
  readonly couldNotScan?: string;
}

/**
 * Optional fields a report may carry on top of ScanResult (additive, schemaVersion 1):
 * `baseline` after a comparison, `merged` when results from several vantages were combined.
 */
export interface Report extends ScanResult {
  readonly baseline?: Baseline;
  readonly merged?: { readonly forced: boolean; readonly sources: readonly MergeSource[] };
}
