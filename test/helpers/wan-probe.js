// The engine's own probes (no service checks) on a WAN condition's planned checks, as the
// CLI's defaults run them: shared by the WAN suites and `npm run bench`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_ARG_DEFAULTS, toEngineOptions } from '../../dist/cli/engine-options.js';
import { DNS_SERVER, topologyYaml } from './wan-lab.js';

export const CLI = fileURLToPath(new URL('../../bin/exchange-ports.js', import.meta.url));
/** Runs the built engine in a namespace: stdin {checks, options}, stdout its observations (run-engine.mjs). */
export const RUNNER = fileURLToPath(new URL('./run-engine.mjs', import.meta.url));

/** The CLI's default engine options, names through the lab's DNS server (as a scan from a Mailbox server asks it). */
export const engineOptions = () => ({ ...toEngineOptions(ENGINE_ARG_DEFAULTS), dnsServers: [DNS_SERVER] });

/** A Mailbox server's planned checks for the condition (`plan --format json`), narrowed to `transport` when given. */
export function plannedChecks(dir, condition, transport) {
  const file = join(dir, `${condition.id}.yaml`);
  writeFileSync(file, topologyYaml(condition));
  const plan = JSON.parse(execFileSync(process.execPath, [CLI, 'plan', '-t', file, '--from', 'mailbox', '--format', 'json'], { encoding: 'utf8' }));
  return plan.checks.filter((check) => transport === undefined || check.transport === transport);
}

/** A result record as scoreChecks reads it: the planned check, the address probed and what was seen. */
export const asResult = (check, address, state, error) => ({
  ...check,
  destination: { ...check.destination, ...(address ? { address } : {}) },
  observed: { state, ...(error ? { error } : {}) },
});

/** The runner's stdout as result records. */
export function engineResults(stdout, checks) {
  const byId = new Map(checks.map((check) => [check.id, check]));
  return JSON.parse(stdout).observations.map(({ id, address, state, error }) => asResult(byId.get(id), address, state, error));
}
