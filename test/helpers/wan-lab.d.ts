import type { Namespace, NetnsLab } from './netns-lab.js';

export type LabState = 'open' | 'closed' | 'filtered' | 'open|filtered' | 'error';
export interface LabAddress {
  readonly side: 'near' | 'far' | 'dead' | 'unroutable';
  readonly listen?: readonly number[];
  readonly drop?: readonly number[];
  readonly passed?: readonly number[];
  readonly resetByRouter?: boolean;
  readonly dns?: boolean;
  /** Ports with a real service dialogue. */
  readonly services?: Readonly<Record<number, 'smtp-edge' | 'smtp-frontend' | 'https' | 'tls'>>;
}
export interface LinkSettings {
  readonly rttMs?: number;
  readonly jitterMs?: number;
  readonly loss?: number;
  readonly seed?: number;
  readonly reorder?: boolean;
}
export declare class WanLink {
  set(settings?: LinkSettings): Promise<void>;
  stats(): Promise<{ passed: number; dropped: number }>;
}
export declare const DOMAIN: string;
export declare const SCANNER: string;
export declare const DNS_SERVER: string;
export declare const ADDRESSES: Readonly<Record<string, LabAddress>>;
export declare const NAMES: Readonly<Record<string, readonly string[]>>;
export declare function truthState(address: string, port: number, transport: 'tcp' | 'udp'): LabState | undefined;
export declare function topologyYaml(hosts: { mailbox: readonly string[]; edge?: readonly string[] }): string;
export declare function forwarderBinary(): Promise<string>;
export declare function createWanLab(link?: LinkSettings): Promise<{
  lab: NetnsLab;
  scanner: Namespace;
  router: Namespace;
  near: Namespace;
  far: Namespace;
  link: WanLink;
}>;
