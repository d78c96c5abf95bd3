import type { Verdict } from '../model/types.js';
import { FAILING } from '../verdict/summary.js';
import type { CheckResult } from '../verdict/types.js';
import { sourceLabel } from './pairs.js';
import { sanitize } from './sanitize.js';
import { CHANGE_KINDS, type Baseline, type Change, type ChangeKind, type FactChange, type Report } from './types.js';

const BLOCKED: ReadonlySet<Verdict> = new Set(['fail', 'down']);
const GOOD: ReadonlySet<Verdict> = new Set(['pass', 'warn']);

/** Facts that change on every run without anything having changed. */
const VOLATILE = /^(daysLeft|rtt\w*|\w*Ms|\w*At|at|now|time|timestamp|elapsed\w*|duration\w*)$/;
/** An RFC 5322 date, as Exchange puts in its SMTP greeting ("ready at Fri, 27 Nov 2026 ..."). */
const MAIL_DATE =
  /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|GMT|[A-Z]{3})(?: \([A-Za-z ]+\))?/g;

function masked(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(MAIL_DATE, '<date>');
  if (Array.isArray(value)) return value.map(masked);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE.test(k)).map(([k, v]) => [k, masked(v)]));
  }
  return value;
}

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  // A list is one fact (an EHLO list changes as a whole), masked all the way down, so a dated
  // greeting inside a transcript compares like any other.
  if (Array.isArray(value)) out.set(path, masked(value));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (!VOLATILE.test(k)) flatten(v, path ? `${path}.${k}` : k, out);
  } else if (typeof value === 'string') out.set(path, value.replace(MAIL_DATE, '<date>'));
  else if (value !== undefined) out.set(path, value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Service facts (banner, certificate, extensions) and findings that differ, volatile ones left out. */
function factChanges(before: CheckResult, after: CheckResult): FactChange[] {
  const a = new Map<string, unknown>();
  const b = new Map<string, unknown>();
  // A service that appeared or vanished is told by the verdict and observed state, not fact by fact.
  if (before.service && after.service) {
    flatten(before.service, '', a);
    flatten(after.service, '', b);
  }
  const out: FactChange[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    if (!same(a.get(key), b.get(key))) out.push({ fact: key, before: raw(before.service, key), after: raw(after.service, key) });
  }
  const ids = (c: CheckResult) => c.findings.map((f) => f.id).sort();
  if (!same(ids(before), ids(after))) out.push({ fact: 'findings', before: ids(before), after: ids(after) });
  return out;
}

/** The value as the server sent it (not date-masked), for the report. */
function raw(service: object | undefined, path: string): unknown {
  let v: unknown = service;
  for (const part of path.match(/[^.[\]]+/g) ?? []) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

function classify(before: Verdict, after: Verdict, facts: readonly FactChange[]): ChangeKind | undefined {
  if (BLOCKED.has(after) && !BLOCKED.has(before)) return 'regression';
  if (after === 'exposed' && before !== 'exposed') return 'new-exposure';
  if (FAILING.has(before) && GOOD.has(after)) return 'fixed';
  if (before !== after) return 'verdict-change';
  return facts.length ? 'service-change' : undefined;
}

function newCheck(after: Verdict): ChangeKind {
  if (BLOCKED.has(after)) return 'regression';
  return after === 'exposed' ? 'new-exposure' : 'new-check';
}

function change(kind: ChangeKind, c: CheckResult, before: CheckResult | undefined, after: CheckResult | undefined, facts: readonly FactChange[]): Change {
  const d = c.destination;
  return {
    kind,
    check: c.id,
    flow: c.flow,
    source: c.source,
    destination: { role: d.role, host: d.host, ...(d.address ? { address: d.address } : {}), ...(d.name ? { name: d.name } : {}) },
    port: c.port,
    transport: c.transport,
    ...(before ? { before: before.verdict } : {}),
    ...(after ? { after: after.verdict } : {}),
    facts,
  };
}

const checkKey = (c: CheckResult) => `${c.source.role}|${c.source.host ?? ''}|${c.id}`;
/** One check at one address from one vantage: what diff and merge both call the same check. */
export const addressKey = (c: CheckResult) => `${checkKey(c)}|${c.destination.address ?? ''}`;

/** A comparison that would mislead: the message names both sides. */
export class DiffError extends Error {
  override readonly name = 'DiffError';
  readonly code = 'EDIFF';
}

/** The vantages a result was taken from (each merged source's, for a merged result), as labels. */
export function vantagesOf(result: Report): string[] {
  const list = result.merged ? result.merged.sources.map((s) => s.vantage) : [result.vantage];
  return [...new Set(list.map(sourceLabel))].sort();
}

export interface DiffOptions {
  /** Compare results from different vantages anyway (`--force`). */
  readonly force?: boolean;
  /** How to name the later result in a refusal (its file, or "this scan"). */
  readonly afterName?: string;
}

/**
 * Results from different vantages are not a before and after: what one vantage cannot reach the
 * other may, so every difference would read as a change. Refused unless forced.
 */
export function assertComparable(before: Report, after: Report, file: string, options: DiffOptions = {}): void {
  assertSameVantages(vantagesOf(before), vantagesOf(after), file, options);
}

/** assertComparable on the vantages alone: a scan checks its --baseline this way before its first packet. */
export function assertSameVantages(before: readonly string[], after: readonly string[], file: string, options: DiffOptions = {}): void {
  if (options.force) return;
  const a = before.join(' + ');
  const b = after.join(' + ');
  if (a === b) return;
  throw new DiffError(
    sanitize(`${file} was taken from ${a} and ${options.afterName ?? 'the later result'} from ${b}: results from different vantages cannot be compared; compare them anyway with --force`),
  );
}

/**
 * Every difference between a baseline and a later result, per check (matched by vantage, check
 * id and address; then by vantage and id, when only the address moved). Refuses results from
 * different vantages unless forced. Pure.
 */
export function diffResults(before: Report, after: Report, file: string, options: DiffOptions = {}): Baseline {
  assertComparable(before, after, file, options);
  const unclaimed = new Set(before.checks);
  const index = (key: (c: CheckResult) => string) => {
    const map = new Map<string, CheckResult[]>();
    for (const c of before.checks) map.set(key(c), [...(map.get(key(c)) ?? []), c]);
    return map;
  };
  const byAddress = index(addressKey);
  const byCheck = index(checkKey);
  const matched = new Map<CheckResult, CheckResult>();
  const claim = (c: CheckResult, map: Map<string, CheckResult[]>, key: string) => {
    const partner = map.get(key)?.find((b) => unclaimed.has(b));
    if (partner) {
      unclaimed.delete(partner);
      matched.set(c, partner);
    }
  };
  // Exact matches first, so a moved address cannot take another address's partner.
  for (const c of after.checks) claim(c, byAddress, addressKey(c));
  for (const c of after.checks) if (!matched.has(c)) claim(c, byCheck, checkKey(c));

  const changes: Change[] = [];
  let unchanged = 0;
  for (const a of after.checks) {
    const b = matched.get(a);
    if (!b) {
      changes.push(change(newCheck(a.verdict), a, undefined, a, []));
      continue;
    }
    const facts = factChanges(b, a);
    if (b.observed.state !== a.observed.state && b.verdict !== a.verdict) facts.unshift({ fact: 'observed', before: b.observed.state, after: a.observed.state });
    const kind = classify(b.verdict, a.verdict, facts);
    if (kind) changes.push(change(kind, a, b, a, facts));
    else unchanged += 1;
  }
  for (const b of unclaimed) changes.push(change('removed-check', b, b, undefined, []));
  const summary = Object.fromEntries(CHANGE_KINDS.map((k) => [k, changes.filter((c) => c.kind === k).length])) as Record<ChangeKind, number>;
  return { file, startedAt: before.startedAt, changes, summary: { ...summary, unchanged } };
}
