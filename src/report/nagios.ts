import { isIP } from 'node:net';
import type { Verdict } from '../model/types.js';
import { FAILING } from '../verdict/summary.js';
import type { CheckResult } from '../verdict/types.js';
import { CHANGE_TITLES, changeDetail, changeTarget, orderedChanges } from './changes.js';
import { durationSeconds, minCertificateDays } from './facts.js';
import { NAGIOS_STATES, nagiosState } from './exit.js';
import type { ReportOptions } from './index.js';
import { FINDING_DEFAULTS } from '../verdict/findings/finding.js';
import { byWorst, counts, hostLabel, pairLabel, VERDICT_ORDER } from './pairs.js';
import { clip } from './sanitize.js';
import { BREAKING, type Change, type Report } from './types.js';

const LISTED = 3;
/**
 * The most bytes of output, status line included. Nagios 4 keeps 8 KB of plugin output, NRPE 3
 * 64 KB, but NRPE before 3.0 cuts at 1 KB: the status line and its perfdata always come first.
 */
export const NAGIOS_MAX_BYTES = 4096;

/** `|` starts perfdata in plugin output: never let text (ours or a server's) carry one. */
export const plain = (text: string, max = 200) => clip(text, max).replace(/\|/g, '/');

const short = (host: string) => (isIP(host) ? host : (host.split('.')[0] ?? host));

/** `edge.edgesync mbx01->edge01.contoso.com (198.18.2.25) 50636/tcp`: each server behind a name apart. */
function item(c: { flow: string; source: { role: string; host?: string }; destination: { host: string; address?: string; name?: string }; port: number; transport: string }): string {
  return plain(`${c.flow} ${short(c.source.host ?? c.source.role)}->${hostLabel(c.destination)} ${c.port}/${c.transport}`, 160);
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
  const notes = result.notes?.length ? `; ${plural(result.notes.length, 'flow', 'flows')} not checked` : '';
  return `${groups.length ? groups.join('; ') : counts(result.checks)}${notes}`;
}

/** The worst response time per probe kind (`rtt_smtp_max`), as perfdata. */
function responseTimes(checks: readonly CheckResult[]): string[] {
  const worst = new Map<string, number>();
  for (const c of checks) {
    const ms = c.observed.rttMs;
    if (typeof ms === 'number' && Number.isFinite(ms)) worst.set(c.probe, Math.max(worst.get(c.probe) ?? 0, ms));
  }
  return [...worst.keys()].sort().map((kind) => `rtt_${kind}_max=${((worst.get(kind) ?? 0) / 1000).toFixed(6)}s;;;0`);
}

function perfdata(result: Report, options: ReportOptions): string {
  const s = result.summary;
  const parts = VERDICT_ORDER.map((v) => `${v}=${s[v]};;;0;${s.total}`);
  parts.push(`checks=${s.total};;;0`);
  const seconds = durationSeconds(result);
  if (seconds !== undefined) parts.push(`duration=${seconds.toFixed(3)}s;;;0`);
  const days = minCertificateDays(result.checks, new Date(result.finishedAt));
  // Range `30:` alerts below 30: the same thresholds as the certificate findings.
  const { warn, crit } = options.certDays ?? { warn: FINDING_DEFAULTS.certWarnDays, crit: FINDING_DEFAULTS.certCritDays };
  if (days !== undefined) parts.push(`cert_days_left_min=${days};${warn}:;${crit}:`);
  parts.push(...responseTimes(result.checks));
  if (result.baseline) {
    const sum = result.baseline.summary;
    parts.push(`regressions=${sum.regression};;;0`, `new_exposures=${sum['new-exposure']};;;0`, `fixed=${sum.fixed};;;0`);
  }
  return parts.join(' ');
}

/** Lines after the first (plugin "long output"): each check or change that needs action, then what was not checked. */
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
  const notes = (result.notes ?? []).map((n) => plain(`NOT CHECKED ${n}`, 300));
  return [...changes, ...checks, ...notes];
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** As many lines as fit in `max` bytes with the first, then how many were left out. */
export function bounded(first: string, rest: readonly string[], max: number): string[] {
  const out = [first];
  let used = bytes(first) + 1;
  for (let i = 0; i < rest.length; i++) {
    const line = rest[i] as string;
    const left = rest.length - i - 1;
    // Room for this line, and for the "more" line should any come after it.
    const tail = left > 0 ? bytes(`... ${left} more lines (see the JSON result)`) + 1 : 0;
    if (used + bytes(line) + 1 + tail > max) {
      out.push(`... ${rest.length - i} more lines (see the JSON result)`);
      break;
    }
    out.push(line);
    used += bytes(line) + 1;
  }
  return out;
}

/** Monitoring-plugins output: `EXCHANGE-PORTS STATE - message | perfdata`, then the details. */
export function nagios(result: Report, options: ReportOptions): string {
  const state = nagiosState(result);
  const partial = result.partial ? ' (partial scan)' : '';
  const first = `EXCHANGE-PORTS ${NAGIOS_STATES[state]} - ${message(result, state)}${partial} | ${perfdata(result, options)}`;
  return `${bounded(first, longOutput(result), NAGIOS_MAX_BYTES).join('\n')}\n`;
}
