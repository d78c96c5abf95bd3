// Scores what a scan observed against the WAN lab's ground truth, check by check and address
// by address. Verdicts come from the project's own judge (dist/) applied to the observed state
// and to the true one, so service findings never blur a network mistake.
import { isIP } from 'node:net';
import { judge } from '../../dist/verdict/judge.js';
import { NAMES, truthState } from './wan-lab.js';

const PROBLEMS = new Set(['fail', 'exposed', 'down']);
const verdictOf = (check, state) => judge(check, { state, attempts: 1 }, [], { control: true }).verdict;

/** The addresses a check's destination stands for, narrowed by --ip. */
function addressesOf(check, ip) {
  const { host } = check.destination;
  const addresses = NAMES[host] ?? (isIP(host) ? [host] : []);
  return ip === 'both' ? addresses : addresses.filter((address) => String(isIP(address)) === ip);
}

/**
 * checks: the result's checks (or {check, observed: {state}} records built like them): each
 * with `id`, `destination.host`, `destination.address`, `port`, `transport`, `expectation`, and
 * `observed.state`. Returns the counts and one line per mistake.
 *   wrong: observed state differs from the truth;
 *   falsePasses: judged pass (or not a problem) where the truth is fail, exposed or down;
 *   falseFails: judged fail, exposed or down where the truth is not a problem;
 *   namesLost: names with addresses that came back unresolved or with an address missing.
 */
export function scoreChecks(checks, { ip = 'both' } = {}) {
  const seen = new Map();
  const lost = new Set();
  const mistakes = [];
  let wrong = 0;
  let falsePasses = 0;
  let falseFails = 0;
  let probes = 0;
  for (const check of checks) {
    const { address } = check.destination;
    const state = check.observed.state;
    if (!seen.has(check.id)) seen.set(check.id, { check, addresses: new Set() });
    if (state === 'unresolved' || address === undefined) {
      if (addressesOf(check, ip).length > 0) lost.add(check.destination.host);
      continue;
    }
    seen.get(check.id).addresses.add(address);
    probes += 1;
    const truth = truthState(address, check.port, check.transport);
    if (truth === undefined) throw new Error(`wan score: ${address} is not a lab address`);
    if (state === truth) continue;
    wrong += 1;
    const [observedVerdict, trueVerdict] = [verdictOf(check, state), verdictOf(check, truth)];
    let kind = 'wrong state';
    if (PROBLEMS.has(trueVerdict) && observedVerdict === 'pass') {
      falsePasses += 1;
      kind = 'FALSE PASS';
    } else if (PROBLEMS.has(observedVerdict) && !PROBLEMS.has(trueVerdict)) {
      falseFails += 1;
      kind = 'FALSE FAIL';
    }
    mistakes.push(`${kind}: ${check.destination.host} ${address} ${check.port}/${check.transport} ${check.expectation}: ${state} (${observedVerdict}, ${check.observed.error ?? ''}), truth ${truth} (${trueVerdict})`);
  }
  for (const { check, addresses } of seen.values()) {
    const missing = addressesOf(check, ip).filter((address) => !addresses.has(address));
    if (missing.length > 0 && !lost.has(check.destination.host)) {
      lost.add(check.destination.host);
      mistakes.push(`NAME LOST: ${check.destination.host}: ${missing.join(', ')} never probed`);
    }
  }
  for (const name of lost) if (!mistakes.some((line) => line.includes(name) && line.startsWith('NAME LOST'))) mistakes.push(`NAME LOST: ${name} unresolved`);
  return { probes, wrong, falsePasses, falseFails, namesLost: lost.size, mistakes };
}
