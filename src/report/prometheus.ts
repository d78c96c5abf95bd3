import { VERDICTS } from '../model/types.js';
import { OBSERVED_STATES } from './states.js';
import { FAILING } from '../verdict/summary.js';
import type { CheckResult } from '../verdict/types.js';
import { durationSeconds, certificate } from './facts.js';
import { addressKey } from './diff.js';
import type { ReportOptions } from './index.js';
import { rank } from './pairs.js';
import { sanitize } from './sanitize.js';
import { CHANGE_KINDS, type Report } from './types.js';

type Labels = Readonly<Record<string, string | number>>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: { readonly labels: Labels; readonly value: number }[];
}

/** Exposition-format label value: backslash, double quote and newline escaped. */
export function labelValue(text: string): string {
  return sanitize(String(text)).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(l: Labels): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${labelValue(String(v))}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function number(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}

function checkLabels(c: CheckResult): Labels {
  return {
    check: c.id,
    flow: c.flow,
    source_role: c.source.role,
    source_host: c.source.host ?? '',
    destination_role: c.destination.role,
    destination_host: c.destination.host,
    destination_name: c.destination.name ?? c.destination.host,
    address: c.destination.address ?? '',
    port: c.port,
    transport: c.transport,
    expectation: c.expectation,
  };
}

interface Run {
  readonly vantage: Report['vantage'];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly partial: boolean;
  readonly couldNotScan?: string;
}

/**
 * One scan per vantage, each with its own time: a merged result's sources, the latest run where
 * a vantage was merged twice (one series per vantage, never two with the same labels).
 */
function vantageRuns(result: Report): Run[] {
  const runs: readonly Run[] = result.merged ? result.merged.sources : [result];
  const latest = new Map<string, Run>();
  for (const run of runs) {
    const key = `${run.vantage.role}\u0000${run.vantage.host ?? ''}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(run.finishedAt) > Date.parse(seen.finishedAt)) latest.set(key, run);
  }
  return [...latest.values()];
}

/** A check listed twice (same vantage, id and address) is one series: the worse verdict is kept. */
function distinctChecks(checks: readonly CheckResult[]): CheckResult[] {
  const kept = new Map<string, CheckResult>();
  for (const c of checks) {
    const key = addressKey(c);
    const seen = kept.get(key);
    if (!seen || rank(c.verdict) < rank(seen.verdict)) kept.set(key, c);
  }
  return [...kept.values()];
}

function families(result: Report): Family[] {
  const f = (name: string, help: string): Family => ({ name: `exchange_ports_${name}`, help, samples: [] });
  const info = f('info', 'The scan: tool version, organization, vantage and topology (value always 1).');
  const scanTime = f('scan_timestamp_seconds', 'When the scan from this vantage finished, in seconds since the epoch.');
  const duration = f('scan_duration_seconds', 'How long the scan from this vantage took.');
  const partial = f('scan_partial', '1 when the scan was cut short (deadline, signal).');
  const success = f('scan_success', '0 when nothing answered at all, so blocked verdicts cannot be trusted.');
  const checks = f('checks', 'Checks per verdict.');
  const up = f('check_up', '1 when the check met its expectation (verdict not fail, down or exposed).');
  const verdict = f('check_verdict', 'The verdict on the check: 1 for the current one, 0 for the others.');
  const state = f('check_observed_state', 'What was observed: 1 for the current state, 0 for the others.');
  const rtt = f('check_rtt_seconds', 'Round trip of the last answer.');
  const attempts = f('check_attempts', 'Attempts made for the check.');
  const expiry = f('check_certificate_expiry_timestamp_seconds', 'notAfter of the certificate the service presented, in seconds since the epoch.');

  for (const run of vantageRuns(result)) {
    const v = { vantage_role: run.vantage.role, vantage_host: run.vantage.host ?? '' };
    info.samples.push({ labels: { version: result.tool.version, organization: result.topology.organization, ...v, topology_sha256: result.topology.sha256 }, value: 1 });
    const finished = Date.parse(run.finishedAt);
    if (Number.isFinite(finished)) scanTime.samples.push({ labels: v, value: finished / 1000 });
    const seconds = durationSeconds(run);
    if (seconds !== undefined) duration.samples.push({ labels: v, value: seconds });
    partial.samples.push({ labels: v, value: run.partial ? 1 : 0 });
    success.samples.push({ labels: v, value: run.couldNotScan ? 0 : 1 });
  }
  for (const v of VERDICTS) checks.samples.push({ labels: { verdict: v }, value: result.summary[v] });

  const at = new Date(result.finishedAt);
  for (const c of distinctChecks(result.checks)) {
    const l = checkLabels(c);
    up.samples.push({ labels: l, value: FAILING.has(c.verdict) ? 0 : 1 });
    for (const v of VERDICTS) verdict.samples.push({ labels: { ...l, verdict: v }, value: c.verdict === v ? 1 : 0 });
    for (const s of OBSERVED_STATES) state.samples.push({ labels: { ...l, state: s }, value: c.observed.state === s ? 1 : 0 });
    if (typeof c.observed.rttMs === 'number') rtt.samples.push({ labels: l, value: c.observed.rttMs / 1000 });
    attempts.samples.push({ labels: l, value: c.observed.attempts });
    const cert = certificate(c, at);
    if (cert?.notAfter !== undefined) expiry.samples.push({ labels: l, value: cert.notAfter });
  }
  const out = [info, scanTime, duration, partial, success, checks, up, verdict, state, rtt, attempts, expiry];
  if (result.baseline) {
    const changes = f('baseline_changes', 'Checks per kind of change since the baseline.');
    for (const k of CHANGE_KINDS) changes.samples.push({ labels: { change: k }, value: result.baseline.summary[k] });
    out.push(changes);
  }
  return out.filter((family) => family.samples.length > 0);
}

/**
 * Text exposition for node_exporter's textfile collector: gauges only, no sample timestamps
 * (the collector refuses them), each family's HELP and TYPE once, its samples together.
 */
export function prometheus(result: Report, _options: ReportOptions): string {
  const lines: string[] = [];
  for (const family of families(result)) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`);
    for (const s of family.samples) lines.push(`${family.name}${labels(s.labels)} ${number(s.value)}`);
  }
  return `${lines.join('\n')}\n`;
}
