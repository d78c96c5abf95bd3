import { FAILING } from '../verdict/summary.js';
import type { CheckResult } from '../verdict/types.js';
import { CHANGE_TITLES, changeDetail, changeTarget, orderedChanges } from './changes.js';
import { durationSeconds, keyFact } from './facts.js';
import type { ReportOptions } from './index.js';
import { pairs, sourceLabel } from './pairs.js';
import { BREAKING, type Report } from './types.js';
import { attributes, xml } from './xml.js';

interface Case {
  readonly name: string;
  readonly classname: string;
  readonly time: number;
  readonly failure?: { readonly type: string; readonly message: string; readonly body: string };
  readonly skipped?: string;
  readonly out?: string;
}

interface Suite {
  readonly name: string;
  readonly hostname: string;
  readonly cases: readonly Case[];
}

const seconds = (n: number) => n.toFixed(3);
/** The JUnit XSD's timestamp: no zone, no fraction (ours is UTC). */
const timestamp = (iso: string) => iso.slice(0, 19);

function details(c: CheckResult, at: Date): string {
  const lines = [
    c.why,
    `expectation: ${c.expectation}; observed: ${c.observed.state} after ${c.observed.attempts} attempt(s)${c.observed.rttMs === undefined ? '' : `, ${c.observed.rttMs} ms`}`,
    `purpose: ${c.purpose} (${c.component})`,
  ];
  if (c.observed.error) lines.push(`error: ${c.observed.error}`);
  const fact = keyFact(c, at, 200);
  if (fact) lines.push(`service: ${fact}`);
  for (const f of c.findings) lines.push(`${f.severity}: ${f.id}: ${f.message}`);
  return lines.join('\n');
}

function checkCase(c: CheckResult, at: Date): Case {
  const base = {
    name: c.destination.address ? `${c.id} (${c.destination.address})` : c.id,
    classname: `exchange-ports.${c.source.role}-to-${c.destination.role}`,
    time: (c.observed.rttMs ?? 0) / 1000,
  };
  if (FAILING.has(c.verdict)) return { ...base, failure: { type: c.verdict, message: c.why, body: details(c, at) } };
  if (c.verdict === 'skipped' || c.verdict === 'inconclusive') return { ...base, skipped: `${c.verdict}: ${c.why}`, out: details(c, at) };
  return { ...base, out: details(c, at) };
}

function baselineSuite(result: Report): Suite | undefined {
  const b = result.baseline;
  if (!b) return undefined;
  const cases = orderedChanges(b).map((c): Case => {
    const message = `${CHANGE_TITLES[c.kind]}: ${changeDetail(c)}`;
    const base = { name: `${c.check}${c.destination.address ? ` (${c.destination.address})` : ''}`, classname: 'exchange-ports.baseline', time: 0 };
    const body = `${changeTarget(c)}\n${message}`;
    return BREAKING.has(c.kind) ? { ...base, failure: { type: c.kind, message, body } } : { ...base, out: body };
  });
  return { name: `changes since ${b.file}`, hostname: sourceLabel(result.vantage), cases };
}

function renderCase(k: Case): string {
  const open = `    <testcase${attributes({ name: k.name, classname: k.classname, time: seconds(k.time) })}`;
  const inner: string[] = [];
  if (k.failure) inner.push(`      <failure${attributes({ type: k.failure.type, message: k.failure.message })}>${xml(k.failure.body, { newlines: true })}</failure>`);
  if (k.skipped) inner.push(`      <skipped${attributes({ message: k.skipped })}/>`);
  if (k.out) inner.push(`      <system-out>${xml(k.out, { newlines: true })}</system-out>`);
  return inner.length ? `${open}>\n${inner.join('\n')}\n    </testcase>` : `${open}/>`;
}

function tally(cases: readonly Case[]) {
  return {
    tests: cases.length,
    failures: cases.filter((k) => k.failure).length,
    errors: 0,
    skipped: cases.filter((k) => k.skipped).length,
    time: seconds(cases.reduce((t, k) => t + k.time, 0)),
  };
}

/** JUnit XML: one testsuite per source -> destination pair, one testcase per check. */
export function junit(result: Report, options: ReportOptions): string {
  const at = new Date(result.finishedAt);
  const suites: Suite[] = options.changesOnly
    ? []
    : pairs(result.checks).map((p) => ({ name: p.label, hostname: sourceLabel(p.source), cases: p.checks.map((c) => checkCase(c, at)) }));
  const changes = baselineSuite(result);
  if (changes) suites.push(changes);
  const all = suites.flatMap((s) => s.cases);
  const total = tally(all);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: `exchange-ports ${result.topology.organization}`, tests: total.tests, failures: total.failures, errors: 0, skipped: total.skipped, time: seconds(durationSeconds(result) ?? 0), timestamp: timestamp(result.startedAt) })}>`,
  ];
  suites.forEach((s, id) => {
    lines.push(`  <testsuite${attributes({ name: s.name, id, package: 'exchange-ports', hostname: s.hostname, timestamp: timestamp(result.startedAt), ...tally(s.cases) })}>`);
    lines.push('    <properties>', `      <property${attributes({ name: 'topology.sha256', value: result.topology.sha256 })}/>`, '    </properties>');
    for (const k of s.cases) lines.push(renderCase(k));
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
