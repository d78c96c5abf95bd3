import type { ProbeKind, Transport } from '../../src/model/types.js';
import type { Check, Lookup } from '../../src/plan/types.js';
import type { EngineOptions } from '../../src/probe/engine.js';

/** A check as the plan would make it, for engine tests. */
export function makeCheck(host: string, port: number, transport: Transport = 'tcp', probe: ProbeKind = transport, lookup: Lookup = 'address'): Check {
  return {
    id: `test.flow:${host}:${port}/${transport}`,
    flow: 'test.flow',
    flows: ['test.flow'],
    table: 'ground-rules',
    source: { role: 'mailbox' },
    destination: { role: 'edge', host, lookup },
    port,
    transport,
    expectation: 'required',
    probe,
    implicitTls: false,
    purpose: 'test',
    component: 'test',
    needsListener: true,
    why: 'test',
  };
}

export const FAST_OPTIONS: EngineOptions = {
  concurrency: 64,
  perHost: 16,
  timeoutMs: 300,
  minTimeoutMs: 50,
  maxTimeoutMs: 1000,
  retries: 1,
  deadlineMs: 20_000,
  ip: 'both',
  exclude: [],
  dnsServers: [],
};
