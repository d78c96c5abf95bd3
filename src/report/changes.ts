import { pairLabel } from './pairs.js';
import { clip } from './sanitize.js';
import { CHANGE_KINDS, type Baseline, type Change, type ChangeKind } from './types.js';

export const CHANGE_TITLES: Readonly<Record<ChangeKind, string>> = {
  regression: 'regression',
  'new-exposure': 'new exposure',
  fixed: 'fixed',
  'service-change': 'service change',
  'verdict-change': 'verdict change',
  'new-check': 'new check',
  'removed-check': 'removed check',
};

function value(v: unknown): string {
  if (v === undefined) return '(none)';
  if (typeof v === 'string') return `"${clip(v, 50)}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return clip(JSON.stringify(v) ?? String(v), 50);
}

/** `mailbox mbx01.contoso.local -> edge edge01.contoso.com (198.18.2.25) 50636/tcp edge.edgesync` */
export function changeTarget(c: Change): string {
  return clip(`${pairLabel(c)} ${c.port}/${c.transport} ${c.flow}`, 200);
}

/** What changed, in words: `pass -> fail`, `greeting "a" -> "b"`. Sanitized, one line. */
export function changeDetail(c: Change): string {
  const parts: string[] = [];
  if (c.before !== c.after) parts.push(`${c.before ?? 'not checked'} -> ${c.after ?? 'not checked'}`);
  for (const f of c.facts) parts.push(`${clip(f.fact, 60)} ${value(f.before)} -> ${value(f.after)}`);
  return parts.join('; ');
}

/** `1 regression, 2 fixed, 40 unchanged` (non-zero kinds only). */
export function changeCounts(b: Baseline): string {
  const parts = CHANGE_KINDS.filter((k) => b.summary[k] > 0).map((k) => `${b.summary[k]} ${CHANGE_TITLES[k]}`);
  parts.push(`${b.summary.unchanged} unchanged`);
  return parts.join(', ');
}

/** Changes in CHANGE_KINDS order (regressions and exposures first). */
export function orderedChanges(b: Baseline): Change[] {
  const order = new Map(CHANGE_KINDS.map((k, i) => [k, i]));
  return [...b.changes].sort((x, y) => (order.get(x.kind) ?? 0) - (order.get(y.kind) ?? 0));
}
