export interface DelayProxy {
  readonly port: number;
  close(): Promise<void>;
}

export declare function startDelayProxy(options: { upstreamPort: number; oneWayMs: number; upstreamHost?: string }): Promise<DelayProxy>;
