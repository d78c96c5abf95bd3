import type { ScanResult } from '../verdict/types.js';
import { summarize } from '../verdict/summary.js';
import { compareVantages } from '../verdict/vantage-views.js';
import { addressKey } from './diff.js';
import type { MergeSource, Report } from './types.js';

export class MergeError extends Error {
  override readonly name = 'MergeError';
  readonly code = 'EMERGE';
}

export interface MergeInput {
  readonly file: string;
  readonly result: Report;
}

export interface MergeOptions {
  /** Merge results from different topologies anyway. */
  readonly force: boolean;
  /** The tool doing the merge (its version goes in the result). */
  readonly tool: ScanResult['tool'];
}

function sourcesOf(input: MergeInput): MergeSource[] {
  const r = input.result;
  if (r.merged) return [...r.merged.sources];
  return [
    {
      file: input.file,
      vantage: r.vantage,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      topologySha256: r.topology.sha256,
      checks: r.checks.length,
      partial: r.partial,
      ...(r.couldNotScan ? { couldNotScan: r.couldNotScan } : {}),
    },
  ];
}

const time = (iso: string) => Date.parse(iso) || 0;

/**
 * One organization-wide result from results taken at several vantages. Every check keeps its
 * own source (the vantage it ran from); a check seen twice from the same vantage keeps the
 * later run. Results from different topologies (by sha256) are refused unless forced. Pure.
 */
export function mergeResults(inputs: readonly MergeInput[], options: MergeOptions): Report {
  const first = inputs[0];
  if (!first) throw new MergeError('nothing to merge: name at least one result file');
  const other = inputs.find((i) => i.result.topology.sha256 !== first.result.topology.sha256);
  if (other && !options.force) {
    throw new MergeError(
      `${first.file} and ${other.file} come from different topologies (sha256 ${first.result.topology.sha256.slice(0, 12)} and ${other.result.topology.sha256.slice(0, 12)}); merge them anyway with --force`,
    );
  }
  const byKey = new Map<string, { check: Report['checks'][number]; at: number }>();
  for (const input of inputs) {
    const at = time(input.result.finishedAt);
    for (const check of input.result.checks) {
      const key = addressKey(check);
      const seen = byKey.get(key);
      if (!seen || at > seen.at) byKey.set(key, { check, at });
    }
  }
  const checks = compareVantages([...byKey.values()].map((v) => v.check));
  const sources = inputs.flatMap(sourcesOf);
  const starts = inputs.map((i) => i.result.startedAt).sort((a, b) => time(a) - time(b));
  const ends = inputs.map((i) => i.result.finishedAt).sort((a, b) => time(a) - time(b));
  const failed = sources.filter((s) => s.couldNotScan).map((s) => `${s.file}: ${s.couldNotScan}`);
  return {
    schemaVersion: 1,
    tool: options.tool,
    startedAt: starts[0] ?? first.result.startedAt,
    finishedAt: ends[ends.length - 1] ?? first.result.finishedAt,
    vantage: first.result.vantage,
    topology: first.result.topology,
    partial: inputs.some((i) => i.result.partial),
    ...(failed.length ? { couldNotScan: failed.join('; ') } : {}),
    checks,
    summary: summarize(checks),
    merged: { forced: Boolean(other), sources },
  };
}
