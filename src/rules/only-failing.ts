import type { RowRule } from './check-rule.js';
import type { ChangeRequest } from './formats/request.js';
import type { RequestRow } from './words.js';

/** A scan result as far as `--only-failing` reads it. */
export interface FailingSource {
  readonly file: string;
  readonly organization: string;
  readonly checks: readonly { readonly verdict: string; readonly rule?: RowRule }[];
}

/**
 * The change request that fixes the `fail` and `exposed` rows of one or more results: each row's
 * rule, rows that differ only in their destination joined into one.
 */
export function failingRequest(results: readonly FailingSource[]): ChangeRequest {
  const rows = new Map<string, RequestRow>();
  for (const result of results) {
    for (const check of result.checks) {
      const rule = check.rule;
      if (!rule || (check.verdict !== 'fail' && check.verdict !== 'exposed')) continue;
      const key = [rule.action, rule.service, rule.source.join(','), rule.flows.join(',')].join('|');
      const seen = rows.get(key);
      if (!seen) {
        const { text: _text, ...row } = rule;
        rows.set(key, row);
      } else {
        rows.set(key, { ...seen, destination: [...new Set([...seen.destination, ...rule.destination])] });
      }
    }
  }
  const organizations = [...new Set(results.map((r) => r.organization))];
  return {
    organization: organizations.join(', '),
    from: results.map((r) => r.file).join(', '),
    rows: [...rows.values()],
    notes: rows.size === 0 ? ['nothing to change: no fail or exposed row names a rule'] : [],
  };
}
