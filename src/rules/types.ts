import type { Expectation, Role, Transport } from '../model/types.js';

/** A topology host as a rule names it: its name and every address it has. */
export interface RuleHost {
  readonly role: Role;
  readonly name: string;
  readonly addresses: readonly string[];
}

/** One side of a rule: named hosts, the Internet (any address that is not the organization's), or both. */
export interface Party {
  readonly hosts: readonly RuleHost[];
  readonly internet: boolean;
}

/** A port or a range of ports (`from === to` for one port). */
export interface PortSpan {
  readonly from: number;
  readonly to: number;
}

/**
 * One line of the change request. `allow`: one (sources, destinations, transport, port) for
 * required and optional flows; `any` transport and no ports for unrestricted internal traffic
 * (both directions). `deny`: a forbidden flow, everything else between the parties, with the
 * ports the scan checks as `ports`.
 */
export interface Rule {
  readonly action: 'allow' | 'deny';
  /** Every flow the rule serves, the first one naming it. */
  readonly flows: readonly string[];
  readonly expectation: Expectation;
  readonly purpose: string;
  readonly from: Party;
  readonly to: Party;
  readonly transport: Transport | 'any';
  readonly ports: readonly PortSpan[];
  /** Unrestricted traffic goes both ways between the parties (which are then the same). */
  readonly bothWays: boolean;
}

export interface RuleSet {
  readonly organization: string;
  /** The topology file the rules come from, as given. */
  readonly file: string;
  /** The organization's addresses and networks (CIDR), minimal: what is not the Internet. */
  readonly own: readonly string[];
  readonly rules: readonly Rule[];
  /** Flows that got no rule, and why (no hosts of a role). */
  readonly notes: readonly string[];
}
