import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuild, runCliAsync } from './cli.js';
import type { WanCondition } from './wan-conditions.js';
import { createWanLab, topologyYaml, type WanLink } from './wan-lab.js';
import type { Namespace, NetnsLab } from './netns-lab.js';
import { engineOptions, engineResults, plannedChecks, RUNNER } from './wan-probe.js';
import { scoreChecks, type ScoredCheck, type Score } from './wan-score.js';

export interface ScannedCheck extends ScoredCheck {
  readonly verdict: string;
}

export interface ScannedCondition {
  readonly checks: readonly ScannedCheck[];
  readonly score: Score;
  readonly stderr: string;
  readonly code: number | null;
  readonly partial: boolean;
}

/** Sets the WAN link as the condition says and runs the built CLI's scan from the scanner namespace, with its defaults. */
export async function scanCondition({ scanner, link, dir }: WanSuite, condition: WanCondition, seed = 1): Promise<ScannedCondition> {
  await link.set({ ...condition.link, seed });
  const topology = join(dir, `${condition.id}.yaml`);
  writeFileSync(topology, topologyYaml(condition));
  const run = await runCliAsync(['scan', '-t', topology, '--from', 'mailbox', '--format', 'json', '--quiet'], { prefix: ['ip', 'netns', 'exec', scanner.name] });
  const result = JSON.parse(run.stdout) as { partial: boolean; checks: ScannedCheck[] };
  return { checks: result.checks, score: scoreChecks(result.checks), stderr: run.stderr, code: run.code, partial: result.partial };
}

/**
 * The engine's own probes (TCP connects, DNS over UDP and TCP; no service checks) on the
 * condition's planned checks, with the CLI's default options, scored against the ground truth.
 */
export async function probeCondition({ scanner, link, dir }: WanSuite, condition: WanCondition, seed = 1): Promise<Score> {
  await link.set({ ...condition.link, seed });
  const checks = plannedChecks(dir, condition);
  const stdout = await scanner.pipe(JSON.stringify({ checks, options: engineOptions() }), process.execPath, RUNNER);
  return scoreChecks(engineResults(stdout, checks));
}

export interface WanSuite {
  lab?: NetnsLab;
  scanner: Namespace;
  link: WanLink;
  /** A temporary directory for topologies, removed after the suite. */
  dir: string;
}

/** One WAN lab for the describe block it is called in: built before its tests, removed after them. */
export function useWanLab(): WanSuite {
  const suite = {} as WanSuite;
  beforeAll(async () => {
    requireBuild();
    suite.dir = mkdtempSync(join(tmpdir(), 'xpw-wan-'));
    Object.assign(suite, await createWanLab());
  }, 60_000);
  afterAll(async () => {
    await suite.lab?.destroy();
    if (suite.dir) rmSync(suite.dir, { recursive: true, force: true });
  });
  return suite;
}
