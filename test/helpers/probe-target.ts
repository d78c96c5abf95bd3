import type { ProbeKind } from '../../src/model/types.js';
import type { Check } from '../../src/plan/types.js';
import type { ProbeTarget } from '../../src/probe/types.js';

export interface TargetOptions {
  readonly host?: string;
  readonly port: number;
  readonly probe: ProbeKind;
  /** The port the model knows the service by (25, 587, 443...), when the test server listens elsewhere. */
  readonly modelPort?: number;
  readonly implicitTls?: boolean;
  readonly expectation?: Check['expectation'];
  readonly timeoutMs?: number;
}

/** A check and target for one service checker against a local test server. */
export function probeTarget(options: TargetOptions): ProbeTarget {
  const modelPort = options.modelPort ?? options.port;
  const check: Check = {
    id: `test:${options.host ?? 'mail.contoso.test'}:${modelPort}/tcp`,
    flow: 'test',
    flows: ['test'],
    table: 'client-access',
    source: { role: 'client' },
    destination: { role: 'mailbox', host: options.host ?? 'mail.contoso.test', lookup: 'name' },
    port: modelPort,
    transport: 'tcp',
    expectation: options.expectation ?? 'required',
    probe: options.probe,
    implicitTls: options.implicitTls ?? false,
    purpose: 'test',
    component: 'test',
    needsListener: true,
    why: 'test',
  };
  return { check, address: '127.0.0.1', port: options.port, transport: 'tcp', timeoutMs: options.timeoutMs ?? 2000 };
}
