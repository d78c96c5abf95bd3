import { FAILING } from '../verdict/summary.js';
import type { ScanResult } from '../verdict/types.js';
import type { Format } from './index.js';
import { BREAKING, type Report } from './types.js';

export type NagiosState = 0 | 1 | 2 | 3;
export const NAGIOS_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

function breaking(result: Report): boolean {
  return result.baseline?.changes.some((c) => BREAKING.has(c.kind)) ?? false;
}

/**
 * Monitoring-plugins state. CRITICAL: a fail, down or exposed verdict (with a baseline: a
 * regression or new exposure, known failures stay WARNING). WARNING: warn verdicts or findings.
 */
export function nagiosState(result: Report): NagiosState {
  if (result.couldNotScan) return 3;
  const failing = result.checks.some((c) => FAILING.has(c.verdict));
  if (result.baseline ? breaking(result) : failing) return 2;
  const warned = result.checks.some((c) => c.verdict === 'warn' || c.findings.some((f) => f.severity !== 'info'));
  return failing || warned ? 1 : 0;
}

/**
 * Default (CI): 0 clean, 1 a fail/down/exposed verdict (with a baseline: only a regression or
 * new exposure), 3 could not scan. `--format nagios` uses the Nagios states instead.
 */
export function exitCode(result: ScanResult | Report, format: Format = 'table'): number {
  if (format === 'nagios') return nagiosState(result);
  if (result.couldNotScan) return 3;
  const report = result as Report;
  if (report.baseline) return breaking(report) ? 1 : 0;
  return result.checks.some((c) => FAILING.has(c.verdict)) ? 1 : 0;
}
