import type { Verdict } from '../model/types.js';
import type { Vantage } from '../plan/types.js';
import type { CheckResult } from '../verdict/types.js';

/** Worst first: what a reader must act on comes before what is fine. */
export const VERDICT_ORDER: readonly Verdict[] = ['exposed', 'fail', 'down', 'warn', 'inconclusive', 'pass', 'skipped'];
const RANK = new Map(VERDICT_ORDER.map((v, i) => [v, i]));
export const rank = (v: Verdict): number => RANK.get(v) ?? VERDICT_ORDER.length;

/** One source -> destination pair (one destination address) and its checks, worst first. */
export interface Pair {
  readonly key: string;
  readonly label: string;
  readonly source: Vantage;
  readonly checks: readonly CheckResult[];
  readonly worst: Verdict;
}

export function sourceLabel(source: Vantage): string {
  return source.host ? `${source.role} ${source.host}` : source.role;
}

/**
 * The host's name beside its address, `edge01.contoso.com (198.18.2.25)`: the name the topology
 * gave (or the MX host found for a domain), else the host as planned; the address when probed.
 */
export function hostLabel(destination: { readonly host: string; readonly address?: string; readonly name?: string }): string {
  const { host, address, name } = destination;
  const shown = name ?? host;
  return address && address !== shown ? `${shown} (${address})` : shown;
}

type Endpoints = { readonly source: Vantage; readonly destination: { readonly role: string; readonly host: string; readonly address?: string; readonly name?: string } };

export function destinationLabel(check: Pick<Endpoints, 'destination'>): string {
  return `${check.destination.role} ${hostLabel(check.destination)}`;
}

export function pairLabel(check: Endpoints): string {
  return `${sourceLabel(check.source)} -> ${destinationLabel(check)}`;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function byWorst(a: CheckResult, b: CheckResult): number {
  return rank(a.verdict) - rank(b.verdict) || a.port - b.port || compare(a.transport, b.transport) || compare(a.id, b.id);
}

/** The checks grouped per pair; pairs with the worst verdicts first, then by label. */
export function pairs(checks: readonly CheckResult[]): Pair[] {
  const groups = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const d = check.destination;
    const key = [check.source.role, check.source.host ?? '', d.role, d.host, d.address ?? ''].join('|');
    const list = groups.get(key);
    if (list) list.push(check);
    else groups.set(key, [check]);
  }
  const out: Pair[] = [];
  for (const [key, list] of groups) {
    const sorted = [...list].sort(byWorst);
    const first = sorted[0] as CheckResult;
    out.push({ key, label: pairLabel(first), source: first.source, checks: sorted, worst: first.verdict });
  }
  return out.sort((a, b) => rank(a.worst) - rank(b.worst) || compare(a.label, b.label));
}

/** Non-zero counts, worst first: `1 fail, 3 pass`. */
export function counts(checks: readonly Pick<CheckResult, 'verdict'>[]): string {
  const n = new Map<Verdict, number>();
  for (const c of checks) n.set(c.verdict, (n.get(c.verdict) ?? 0) + 1);
  const parts = VERDICT_ORDER.filter((v) => n.has(v)).map((v) => `${n.get(v)} ${v}`);
  return `${checks.length} ${checks.length === 1 ? 'check' : 'checks'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}
