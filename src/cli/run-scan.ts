import { MODEL } from '../model/index.js';
import { plan } from '../plan/plan.js';
import type { Check, Vantage } from '../plan/types.js';
import { dnsServersFor } from '../plan/dns-servers.js';
import { defaultProbers, runEngine, type EngineOptions, type Probers } from '../probe/engine.js';
import type { Observation } from '../probe/types.js';
import type { Topology } from '../topology/types.js';
import { rowRule } from '../rules/check-rule.js';
import { judge } from '../verdict/judge.js';
import { toCheckResult, toScanResult } from '../verdict/result.js';
import type { Finding, ScanResult } from '../verdict/types.js';
import { TOOL } from './version.js';

export interface ScanOptions {
  /** DNS servers and the DNS probe's question come from the topology and the vantage. */
  readonly engine: EngineOptions;
  /** Probers beside the engine's own (tcp, udp, dns): the service checkers. */
  readonly probers?: Probers;
  /** Findings from a service checker's facts (pure); none when not given. */
  readonly findings?: (check: Check, observation: Observation) => Finding[];
  readonly signal?: AbortSignal;
}

/** How many of the checks that answered the result names as the positive control. */
const CONTROL_EXAMPLES = 5;

/** plan -> engine -> judge -> result: one scan of a topology from one vantage. */
export async function scanTopology(topology: Topology, vantage: Vantage, options: ScanOptions): Promise<ScanResult> {
  const startedAt = new Date();
  const { checks, notes } = plan(MODEL, topology, vantage);
  const engine: EngineOptions = {
    ...options.engine,
    dnsServers: dnsServersFor(topology, vantage),
    ...(topology.mxDomain ? { dnsQueryDomain: topology.mxDomain } : {}),
  };
  const probers = { ...defaultProbers(engine), ...options.probers };
  const run = await runEngine(checks, engine, probers, options.signal);
  const control = run.control.length > 0 || checks.length === 0;
  const results = run.observations.map(({ check, observation }) => {
    const findings = options.findings?.(check, observation) ?? [];
    const result = toCheckResult(check, observation, judge(check, observation, findings, { control }));
    const rule = rowRule(result, topology);
    return rule ? { ...result, rule } : result;
  });
  return toScanResult({
    tool: TOOL,
    startedAt,
    finishedAt: new Date(),
    vantage,
    topology,
    partial: run.partial,
    ...(run.couldNotScan ? { couldNotScan: run.couldNotScan } : {}),
    control: { answered: run.control.length, checks: run.control.slice(0, CONTROL_EXAMPLES) },
    checks: results,
    notes,
  });
}
