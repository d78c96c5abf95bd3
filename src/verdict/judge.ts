import { OUTSIDE_ROLES, type ObservedState, type Verdict } from '../model/types.js';
import type { Check } from '../plan/types.js';
import type { Observation } from '../probe/types.js';
import { breaksService, cutBeforeAnswer } from './service-outcome.js';
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
      return observation.error?.startsWith('sent, but') ? observation.error : 'no answer over UDP (open or filtered: cannot tell)';
    case 'unresolved':
      return `name did not resolve${observation.error ? `: ${observation.error}` : ''}`;
    case 'error':
      return observation.error?.startsWith('not probed') || observation.error?.startsWith('sent, but') ? observation.error : `error: ${observation.error ?? 'unknown'}`;
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

/**
 * Silence from a host the organization does not control, where nothing need listen (open proxy
 * detection): that host may drop the port itself, so only a declared every-port responder proves a block.
 */
function silenceProvesNothing(check: Check, state: ObservedState): boolean {
  return state === 'filtered' && OUTSIDE_ROLES.has(check.destination.role) && !check.needsListener && !check.destination.answersEveryPort;
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
  if (verdict !== 'inconclusive' && silenceProvesNothing(check, state)) {
    verdict = 'inconclusive';
    why += '; the Internet host may drop this port itself: declare a host that answers on every port (internet.responders) to test the path';
  }
  if (state === 'open' && check.expectation !== 'forbidden' && cutBeforeAnswer(observation.service)) {
    return { verdict: 'inconclusive', why: `${why}; the scan was cut short before the service answered`, findings };
  }
  // Only the organization's own services: an Internet MX refusing us is not our service down.
  const broken = findings.filter((f) => f.breaksFlow || (!OUTSIDE_ROLES.has(check.destination.role) && breaksService(f)));
  if (state === 'open' && verdict === 'pass' && check.expectation === 'required' && broken.length > 0) {
    return { verdict: 'down', why: `${why}; the service answers but does not work: ${broken.map((f) => f.id).join(', ')}`, findings };
  }
  const serious = findings.filter((f) => f.severity !== 'info');
  if (state === 'open' && verdict === 'pass' && serious.length > 0) {
    verdict = 'warn';
    why += `; ${serious.map((f) => f.id).join(', ')}`;
  }
  return { verdict, why, findings };
}
