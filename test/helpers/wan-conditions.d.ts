import type { LinkSettings } from './wan-lab.js';

export interface WanCondition {
  readonly id: string;
  readonly label: string;
  readonly mailbox: readonly string[];
  readonly edge?: readonly string[];
  readonly link: LinkSettings;
}
export declare const CONDITIONS: readonly WanCondition[];
export declare function condition(id: string): WanCondition;
