import type { ObservedState, Transport } from '../model/types.js';
import type { Check } from '../plan/types.js';

/** Facts a service checker saw. Each checker adds its own `kind`-tagged record. */
export interface ServiceFacts {
  readonly kind: string;
  readonly [fact: string]: unknown;
}

/** What a prober saw at one address. Facts only: the verdict layer judges. */
export interface Observation {
  readonly state: ObservedState;
  readonly address?: string;
  readonly rttMs?: number;
  readonly attempts: number;
  readonly error?: string;
  /** The system error code behind `error`, when there was one (EMFILE, ECONNREFUSED, ...). */
  readonly errorCode?: string;
  readonly service?: ServiceFacts;
  /** The host name the address was found under, when it is not the destination's (an MX host). */
  readonly hostName?: string;
}

export interface ProbeTarget {
  readonly check: Check;
  /** The address to connect to (IPv4 or IPv6 literal). */
  readonly address: string;
  readonly port: number;
  readonly transport: Transport;
  /** The name to present and match (SNI, EHLO, certificate) when it is not the destination's: an MX host. */
  readonly hostName?: string;
  /** Time allowed for this attempt, in ms. */
  readonly timeoutMs: number;
}

export type Prober = (target: ProbeTarget, signal: AbortSignal) => Promise<Observation>;

/** The name a service at this target should answer to: the MX host for MX destinations, else the destination's. */
export function serverName(target: ProbeTarget): string {
  return target.hostName ?? target.check.destination.host;
}
