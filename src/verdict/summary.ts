import { VERDICTS, type Verdict } from '../model/types.js';
import type { CheckResult, Summary } from './types.js';

export function summarize(checks: readonly Pick<CheckResult, 'verdict'>[]): Summary {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of checks) counts[c.verdict] += 1;
  return { ...counts, total: checks.length };
}

/** Verdicts that make a scan fail (exit 1). */
export const FAILING: ReadonlySet<Verdict> = new Set(['fail', 'down', 'exposed']);
