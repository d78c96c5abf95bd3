import type { Namespace } from './netns-lab.js';
export declare function nmapStates(namespace: Namespace, args: readonly string[]): Promise<Map<string, string>>;
export declare function parseNmapXml(xml: string): Map<string, string>;
