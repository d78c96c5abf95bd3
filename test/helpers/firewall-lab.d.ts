import type { Namespace, NetnsLab } from './netns-lab.js';

export type FirewallAction = 'accept' | 'reset' | 'admin' | 'unreachable' | 'drop';
export interface PolicyEntry {
  readonly address: string;
  readonly port: number;
  readonly transport: 'tcp' | 'udp';
  readonly action: FirewallAction;
}
type Listening = readonly (readonly [address: string, port: number])[];
export interface Services {
  readonly tcp?: Listening;
  readonly udp?: Listening;
  readonly dns?: Listening;
}
export declare const SCANNER: string;
export declare function targetAddress(index: number): string;
export declare function createFirewallLab(spec: { targets: number; policy: readonly PolicyEntry[]; services: Services }): Promise<{
  lab: NetnsLab;
  scanner: Namespace;
  firewall: Namespace;
  target: Namespace;
}>;
