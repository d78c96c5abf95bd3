import { isIP } from 'node:net';
import type { Verdict } from '../model/types.js';
import { FAILING } from '../verdict/summary.js';
import type { CheckResult } from '../verdict/types.js';
import { CHANGE_TITLES, changeDetail, changeTarget, orderedChanges } from './changes.js';
import { durationSeconds, minCertificateDays } from './facts.js';
import { NAGIOS_STATES, nagiosState } from './exit.js';
import type { ReportOptions } from './index.js';
import { byWorst, counts, pairLabel, VERDICT_ORDER } from './pairs.js';
import { clip } from './sanitize.js';
import { BREAKING, type Change, type Report } from './types.js';

const LISTED = 3;

/** `|` starts perfdata in plugin output: never let text (ours or a server's) carry one. */
const plain = (text: string, max = 200) => clip(text, max).replace(/\|/g, '/');

const short = (host: string) => (isIP(host) ? host : (host.split('.')[0] ?? host));

/** `edge.edgesync mbx01->edge01 50636/tcp` */
function item(c: { flow: string; source: { role: string; host?: string }; destination: { host: string }; port: number; transport: string }): string {
  return plain(`${c.flow} ${short(c.source.host ?? c.source.role)}->${short(c.destination.host)} ${c.port}/${c.transport}`, 120);
}

function group<T>(label: (n: number) => string, list: readonly T[], name: (t: T) => string): string | undefined {
  if (list.length === 0) return undefined;
  const names = list.slice(0, LISTED).map(name);
  return `${label(list.length)}: ${names.join(', ')}${list.length > LISTED ? ', ...' : ''}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function verdictGroups(checks: readonly CheckResult[], verdicts: readonly Verdict[]): string[] {
  const of = (v: Verdict) => checks.filter((c) => c.verdict === v).sort(byWorst);
  const labels: Partial<Record<Verdict, (n: number) => string>> = {
    fail: (n) => plural(n, 'required flow blocked', 'required flows blocked'),
    exposed: (n) => plural(n, 'forbidden flow reachable', 'forbidden flows reachable'),
    down: (n) => plural(n, 'required service down', 'required services down'),
    warn: (n) => plural(n, 'service warning', 'service warnings'),
  };
  return verdicts.flatMap((v) => group(labels[v] ?? ((n) => `${n} ${v}`), of(v), item) ?? []);
}

function changeGroups(changes: readonly Change[]): string[] {
  return (['regression', 'new-exposure'] as const).flatMap(
    (kind) => group((n) => plural(n, CHANGE_TITLES[kind], `${CHANGE_TITLES[kind]}s`), changes.filter((c) => c.kind === kind), item) ?? [],
  );
}

function message(result: Report, state: number): string {
  if (state === 3) return `could not scan: ${plain(result.couldNotScan ?? 'unknown reason')}`;
  const groups: string[] = [];
  if (result.baseline) {
    groups.push(...changeGroups(result.baseline.changes));
    const known = result.checks.filter((c) => FAILING.has(c.verdict)).length;
    if (state < 2 && known > 0) groups.push(`${plural(known, 'known failure', 'known failures')} unchanged since the baseline`);
    if (state < 2) groups.push(...verdictGroups(result.checks, ['warn']));
  } else groups.push(...verdictGroups(result.checks, state === 2 ? ['fail', 'exposed', 'down'] : ['warn']));
  if (state === 1 && groups.length === 0) {
    const withFindings = result.checks.filter((c) => c.findings.some((f) => f.severity !== 'info'));
    groups.push(group((n) => plural(n, 'check with findings', 'checks with findings'), withFindings, item) ?? '');
  }
  return groups.length ? groups.join('; ') : counts(result.checks);
}

function perfdata(result: Report): string {
  const s = result.summary;
  const parts = VERDICT_ORDER.map((v) => `${v}=${s[v]};;;0;${s.total}`);
  parts.push(`checks=${s.total};;;0`);
  const seconds = durationSeconds(result);
  if (seconds !== undefined) parts.push(`duration=${seconds.toFixed(3)}s;;;0`);
  const days = minCertificateDays(result.checks, new Date(result.finishedAt));
  if (days !== undefined) parts.push(`cert_days_left_min=${days}`);
  if (result.baseline) {
    const sum = result.baseline.summary;
    parts.push(`regressions=${sum.regression};;;0`, `new_exposures=${sum['new-exposure']};;;0`, `fixed=${sum.fixed};;;0`);
  }
  return parts.join(' ');
}

/** Lines after the first (plugin "long output"): each check or change that needs action. */
function longOutput(result: Report): string[] {
  const checks = result.checks
    .filter((c) => FAILING.has(c.verdict) || c.verdict === 'warn')
    .sort(byWorst)
    .map((c) => plain(`${c.verdict.toUpperCase()} ${pairLabel(c)} ${c.port}/${c.transport} ${c.flow}: ${c.why}`, 300));
  const changes = result.baseline
    ? orderedChanges(result.baseline)
        .filter((c) => BREAKING.has(c.kind))
        .map((c) => plain(`${CHANGE_TITLES[c.kind].toUpperCase()} ${changeTarget(c)}: ${changeDetail(c)}`, 300))
    : [];
  return [...changes, ...checks];
}

/** Monitoring-plugins output: `EXCHANGE-PORTS STATE - message | perfdata`, then the details. */
export function nagios(result: Report, _options: ReportOptions): string {
  const state = nagiosState(result);
  const partial = result.partial ? ' (partial scan)' : '';
  const first = `EXCHANGE-PORTS ${NAGIOS_STATES[state]} - ${message(result, state)}${partial} | ${perfdata(result)}`;
  return `${[first, ...longOutput(result)].join('\n')}\n`;
}
