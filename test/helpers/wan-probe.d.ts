import type { ScoredCheck } from './wan-score.js';
import type { WanCondition } from './wan-conditions.js';

export interface PlannedCheck extends Omit<ScoredCheck, 'observed'> {
  readonly [field: string]: unknown;
}
export declare const CLI: string;
export declare const RUNNER: string;
export declare function engineOptions(): Record<string, unknown>;
export declare function plannedChecks(dir: string, condition: WanCondition, transport?: 'tcp' | 'udp'): PlannedCheck[];
export declare function asResult(check: PlannedCheck, address: string | undefined, state: string, error?: string): ScoredCheck;
export declare function engineResults(stdout: string, checks: readonly PlannedCheck[]): ScoredCheck[];
