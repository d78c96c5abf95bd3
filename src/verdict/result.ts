import type { Check, Vantage } from '../plan/types.js';
import type { Observation } from '../probe/types.js';
import { topologyDigest } from '../topology/digest.js';
import type { Topology } from '../topology/types.js';
import type { CheckResult, Finding, Judgement, ScanResult } from './types.js';
import { summarize } from './summary.js';

export function toCheckResult(check: Check, observation: Observation, judgement: Judgement): CheckResult {
  const observed = {
    state: observation.state,
    ...(observation.rttMs !== undefined ? { rttMs: Math.round(observation.rttMs * 100) / 100 } : {}),
    attempts: observation.attempts,
    ...(observation.error !== undefined ? { error: observation.error } : {}),
  };
  return {
    ...check,
    destination: {
      ...check.destination,
      ...(observation.address ? { address: observation.address } : {}),
      ...(observation.hostName ? { name: observation.hostName } : {}),
    },
    observed,
    ...(observation.service ? { service: observation.service } : {}),
    findings: judgement.findings as Finding[],
    verdict: judgement.verdict,
    why: judgement.why,
  };
}

export interface ResultInput {
  readonly tool: { name: string; version: string };
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly vantage: Vantage;
  readonly topology: Topology;
  readonly partial: boolean;
  readonly couldNotScan?: string;
  readonly control?: ScanResult['control'];
  readonly checks: readonly CheckResult[];
  readonly notes?: readonly string[];
}

export function toScanResult(input: ResultInput): ScanResult {
  return {
    schemaVersion: 1,
    tool: input.tool,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    vantage: input.vantage,
    topology: { file: input.topology.file, sha256: input.topology.sha256, parsedSha256: topologyDigest(input.topology), organization: input.topology.organization },
    partial: input.partial,
    ...(input.couldNotScan ? { couldNotScan: input.couldNotScan } : {}),
    ...(input.control ? { control: input.control } : {}),
    checks: input.checks,
    ...(input.notes?.length ? { notes: input.notes } : {}),
    summary: summarize(input.checks),
  };
}
