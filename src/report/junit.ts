import { FAILING } from '../verdict/summary.js';
import type { CheckResult } from '../verdict/types.js';
import { CHANGE_TITLES, changeDetail, changeTarget, orderedChanges } from './changes.js';
import { durationSeconds, keyFact } from './facts.js';
import type { ReportOptions } from './index.js';
import { hostLabel, pairs, sourceLabel } from './pairs.js';
import { BREAKING, type Report } from './types.js';
import { attributes, xml } from './xml.js';
import { fixText } from '../rules/check-rule.js';

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
  if (c.rule) lines.push(`fix: ${fixText(c.rule)}`);
  const fact = keyFact(c, at, 200);
  if (fact) lines.push(`service: ${fact}`);
  for (const f of c.findings) lines.push(`${f.severity}: ${f.id}: ${f.message}`);
  return lines.join('\n');
}

/**
 * `exchange-ports.mailbox-mbx01_contoso_local.to-edge`: the vantage is the package (dots in a host
 * name would split it), so the same check from two vantages never shares a class and name.
 */
function classname(c: CheckResult): string {
  const vantage = c.source.host ? `${c.source.role}-${c.source.host.replace(/[.\s]/g, '_')}` : c.source.role;
  return `exchange-ports.${vantage}.to-${c.destination.role}`;
}

/** `edge.edgesync edge01.contoso.com (198.18.2.25) 50636/tcp` */
const caseName = (c: CheckResult) => `${c.flow} ${hostLabel(c.destination)} ${c.port}/${c.transport}`;

function checkCase(c: CheckResult, at: Date): Case {
  const base = { name: caseName(c), classname: classname(c), time: (c.observed.rttMs ?? 0) / 1000 };
  if (FAILING.has(c.verdict)) return { ...base, failure: { type: c.verdict, message: c.why, body: details(c, at) } };
  if (c.verdict === 'skipped' || c.verdict === 'inconclusive') return { ...base, skipped: `${c.verdict}: ${c.why}`, out: details(c, at) };
  return { ...base, out: details(c, at) };
}

function baselineSuite(result: Report): Suite | undefined {
  const b = result.baseline;
  if (!b) return undefined;
  const cases = orderedChanges(b).map((c): Case => {
    const message = `${CHANGE_TITLES[c.kind]}: ${changeDetail(c)}`;
    const base = { name: changeTarget(c), classname: 'exchange-ports.baseline', time: 0 };
    const body = `${changeTarget(c)}\n${message}`;
    return BREAKING.has(c.kind) ? { ...base, failure: { type: c.kind, message, body } } : { ...base, out: body };
  });
  return { name: `changes since ${b.file}`, hostname: sourceLabel(result.vantage), cases };
}

/** What the plan could not check, as skipped test cases: a CI page shows it beside the rest. */
function notCheckedSuite(result: Report): Suite | undefined {
  const notes = result.notes ?? [];
  if (notes.length === 0) return undefined;
  const cases = notes.map((note): Case => ({ name: note, classname: 'exchange-ports.not-checked', time: 0, skipped: `not checked: ${note}` }));
  return { name: 'not checked', hostname: sourceLabel(result.vantage), cases };
}

/** Jenkins keys a test by class and name: a repeated pair (a result with a check twice) gets `#2`. */
function distinct(suites: readonly Suite[]): Suite[] {
  const seen = new Map<string, number>();
  return suites.map((s) => ({
    ...s,
    cases: s.cases.map((k) => {
      const key = `${k.classname}\u0000${k.name}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      return n === 1 ? k : { ...k, name: `${k.name} #${n}` };
    }),
  }));
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

/**
 * JUnit XML valid against Jenkins xunit's junit-10.xsd (fixtures/junit/): one testsuite per
 * source -> destination pair, one testcase per check, what the plan could not check as skipped.
 */
export function junit(result: Report, options: ReportOptions): string {
  const at = new Date(result.finishedAt);
  const suites: Suite[] = options.changesOnly
    ? []
    : pairs(result.checks).map((p) => ({ name: p.label, hostname: sourceLabel(p.source), cases: p.checks.map((c) => checkCase(c, at)) }));
  const notChecked = options.changesOnly ? undefined : notCheckedSuite(result);
  if (notChecked) suites.push(notChecked);
  const changes = baselineSuite(result);
  if (changes) suites.push(changes);
  const unique = distinct(suites);
  const total = tally(unique.flatMap((s) => s.cases));
  // The schema allows no `skipped` or `timestamp` on <testsuites>: each <testsuite> carries them.
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: `exchange-ports ${result.topology.organization}`, tests: total.tests, failures: total.failures, errors: 0, time: seconds(durationSeconds(result) ?? 0) })}>`,
  ];
  unique.forEach((s, id) => {
    lines.push(`  <testsuite${attributes({ name: s.name, id, package: 'exchange-ports', hostname: s.hostname, timestamp: timestamp(result.startedAt), ...tally(s.cases) })}>`);
    lines.push('    <properties>', `      <property${attributes({ name: 'topology.sha256', value: result.topology.sha256 })}/>`, '    </properties>');
    for (const k of s.cases) lines.push(renderCase(k));
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
