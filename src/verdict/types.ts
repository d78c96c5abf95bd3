import type { ObservedState, Role, Verdict } from '../model/types.js';
import type { Check } from '../plan/types.js';
import type { ServiceFacts } from '../probe/types.js';
import type { RowRule } from '../rules/check-rule.js';

export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  /** Stable id, e.g. `smtp.no-starttls`. */
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  /** The service answers but the flow cannot work through what is in between (verdict down). */
  readonly breaksFlow?: true;
}

export interface Judgement {
  readonly verdict: Verdict;
  readonly why: string;
  readonly findings: readonly Finding[];
}

/** A check with what was seen at one of its destination's addresses, and the verdict. */
export interface CheckResult extends Omit<Check, 'destination'> {
  /** `address`: the address probed; `name`: the host it was found under, when not `host` (an MX host). */
  readonly destination: Check['destination'] & { readonly address?: string; readonly name?: string };
  readonly observed: {
    readonly state: ObservedState;
    readonly rttMs?: number;
    readonly attempts: number;
    readonly error?: string;
  };
  readonly service?: ServiceFacts;
  readonly findings: readonly Finding[];
  readonly verdict: Verdict;
  readonly why: string;
  /** For a `fail` or `exposed` row: the firewall rule that fixes it, in the change request's words. */
  readonly rule?: RowRule;
}

export type Summary = Readonly<Record<Verdict, number>> & { readonly total: number };

/** The stable, versioned result of a scan (`--format json`). */
export interface ScanResult {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: string; readonly version: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly vantage: { readonly role: Role; readonly host?: string };
  readonly topology: {
    readonly file: string;
    /** sha256 of the file's bytes. */
    readonly sha256: string;
    /** sha256 of the topology as parsed: what merge compares (a comment edit is the same topology). */
    readonly parsedSha256?: string;
    readonly organization: string;
  };
  /** True when the scan was cut short (deadline, a stop signal): unfinished checks are listed, not dropped. */
  readonly partial: boolean;
  /** Set when nothing answered at all: blocked verdicts cannot be trusted (exit 3). */
  readonly couldNotScan?: string;
  /**
   * The positive control: how many checks got any answer (open or refused) from this vantage,
   * and the first few of them, so a reader knows why blocked verdicts can be trusted.
   */
  readonly control?: { readonly answered: number; readonly checks: readonly string[] };
  readonly checks: readonly CheckResult[];
  /** What the plan could not check (no hosts of a role, EdgeSync not taken part in). */
  readonly notes?: readonly string[];
  readonly summary: Summary;
}
