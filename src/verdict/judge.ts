import type { ObservedState, Verdict } from '../model/types.js';
import type { Check } from '../plan/types.js';
import type { Observation } from '../probe/types.js';
import type { Finding, Judgement } from './types.js';

export interface JudgeOptions {
  /**
   * False when nothing answered from this vantage at all: a blocked-looking state then says
   * more about the scanner's own network than about the firewall.
   */
  readonly control: boolean;
}

function describe(state: ObservedState, observation: Observation): string {
  switch (state) {
    case 'open':
      return 'reachable';
    case 'closed':
      return 'refused (the path is open, nothing listens, or a firewall resets)';
    case 'filtered':
      return 'no answer (filtered)';
    case 'open|filtered':
      return 'no answer over UDP (open or filtered: cannot tell)';
    case 'unresolved':
      return `name did not resolve${observation.error ? `: ${observation.error}` : ''}`;
    case 'error':
      return observation.error?.startsWith('not probed') ? observation.error : `error: ${observation.error ?? 'unknown'}`;
  }
}

function byState(check: Check, state: ObservedState): Verdict {
  const { expectation } = check;
  switch (state) {
    case 'open':
      return expectation === 'forbidden' ? 'exposed' : 'pass';
    case 'closed':
      if (expectation === 'required') return check.needsListener ? 'down' : 'pass';
      return expectation === 'optional' ? 'warn' : 'pass';
    case 'filtered':
      if (expectation === 'forbidden') return 'pass';
      return expectation === 'optional' ? 'warn' : 'fail';
    case 'unresolved':
      return expectation === 'required' ? 'fail' : 'inconclusive';
    case 'open|filtered':
    case 'error':
      return 'inconclusive';
  }
}

/** The verdict on one check from what was observed at one address. Pure. */
export function judge(
  check: Check,
  observation: Observation,
  findings: readonly Finding[] = [],
  options: JudgeOptions = { control: true },
): Judgement {
  const state = observation.state;
  const seen = describe(state, observation);
  let verdict = byState(check, state);
  let why = `${check.flow} ${check.expectation}: ${seen}`;
  if (!options.control && (state === 'filtered' || state === 'unresolved')) {
    verdict = 'inconclusive';
    why += '; nothing answered from this vantage, so a block cannot be told from a dead network';
  }
  const broken = findings.filter((f) => f.breaksFlow);
  if (state === 'open' && verdict === 'pass' && broken.length > 0) {
    verdict = 'down';
    why += `; ${broken.map((f) => f.id).join(', ')} (the flow cannot work)`;
  }
  const serious = findings.filter((f) => f.severity !== 'info');
  if (state === 'open' && verdict === 'pass' && serious.length > 0) {
    verdict = 'warn';
    why += `; ${serious.map((f) => f.id).join(', ')}`;
  }
  return { verdict, why, findings };
}
