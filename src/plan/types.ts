import type { Expectation, FlowPort, PortName, ProbeKind, Role, TableName, Transport } from '../model/types.js';
import type { CertificateExpectation } from '../topology/certificates.js';

export interface Vantage {
  readonly role: Role;
  /** The topology host the scan runs on, when known: it is never its own destination. */
  readonly host?: string;
}

/** How the engine turns a destination into addresses. */
export type Lookup = 'address' | 'name' | 'mx';

export interface Destination {
  readonly role: Role;
  readonly host: string;
  readonly lookup: Lookup;
  /** A host the topology says answers on every TCP port (internet.responders): its silence is a block. */
  readonly answersEveryPort?: boolean;
  /** The topology host behind it, when `host` is another name for it (its address, its external name). */
  readonly server?: string;
}

/** One thing to check: one destination host x port x transport. */
export interface Check {
  /** Stable across runs: `flow:host:port/transport`. */
  readonly id: string;
  /** The flow the check comes from; `flows` lists every flow that asked for the same check. */
  readonly flow: string;
  readonly flows: readonly string[];
  readonly table: TableName;
  readonly source: Vantage;
  readonly destination: Destination;
  readonly port: number;
  readonly transport: Transport;
  readonly expectation: Expectation;
  readonly probe: ProbeKind;
  readonly implicitTls: boolean;
  /** The movable-port name, when the destination host may override the number. */
  readonly portName?: PortName;
  readonly purpose: string;
  readonly component: string;
  readonly needsListener: boolean;
  readonly range?: FlowPort['range'];
  /** Who the topology says issues this service's certificate (`certificates:`), when it says. */
  readonly certificates?: CertificateExpectation;
  readonly why: string;
}

export interface Plan {
  readonly vantage: Vantage;
  readonly checks: readonly Check[];
  /** Flows that apply but could not be expanded (no hosts of the destination role). */
  readonly notes: readonly string[];
}
