import type { ChildProcess } from 'node:child_process';

export declare class Namespace {
  readonly name: string;
  exec(command: string, ...args: string[]): Promise<string>;
  pipe(input: string, command: string, ...args: string[]): Promise<string>;
  nft(rules: string): Promise<string>;
  sysctl(key: string, value: string | number): Promise<string>;
  addAddress(cidr: string, device: string): Promise<string>;
  route(...args: string[]): Promise<string>;
  start(command: string, args: string[], options?: { readyLine?: string; timeoutMs?: number }): Promise<ChildProcess>;
}

export declare class NetnsLab {
  readonly prefix: string;
  readonly suffix: string;
  readonly children: Set<ChildProcess>;
  /** prefix: the first part of every name (default `xpe`). */
  static create(prefix?: string): Promise<NetnsLab>;
  namespace(role: string): Promise<Namespace>;
  link(left: Namespace, leftCidr: string, right: Namespace, rightCidr: string): Promise<{ left: string; right: string }>;
  destroy(): Promise<void>;
  destroySync(): void;
}

export declare function listNamespaces(prefix?: string): Promise<string[]>;
