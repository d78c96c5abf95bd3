export interface ScoredCheck {
  readonly id: string;
  readonly destination: { readonly host: string; readonly address?: string };
  readonly port: number;
  readonly transport: 'tcp' | 'udp';
  readonly expectation: string;
  readonly observed: { readonly state: string; readonly error?: string };
}
export interface Score {
  probes: number;
  wrong: number;
  falsePasses: number;
  falseFails: number;
  namesLost: number;
  mistakes: string[];
}
export declare function scoreChecks(checks: readonly ScoredCheck[], options?: { ip?: '4' | '6' | 'both' }): Score;
