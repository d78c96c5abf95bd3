import type { FlowPort, PortName, ProbeKind } from './types.js';

interface PortOptions {
  readonly name?: PortName;
  readonly implicitTls?: boolean;
}

export function tcp(port: number, probe: ProbeKind = 'tcp', options: PortOptions = {}): FlowPort {
  return { port, transport: 'tcp', probe, ...options };
}

export function udp(port: number, probe: ProbeKind = 'udp', options: PortOptions = {}): FlowPort {
  return { port, transport: 'udp', probe, ...options };
}

/** DNS is a required flow over both transports: 53/udp and 53/tcp, each probed with a query. */
export const DNS_PORTS: readonly FlowPort[] = [
  udp(53, 'dns', { name: 'dns' }),
  tcp(53, 'dns', { name: 'dns' }),
];

/**
 * A deterministic sample of a port range: both ends and evenly spaced ports between them.
 * Ranges such as dynamic RPC (49152-65535) are never expanded whole.
 */
export function sampleRange(
  from: number,
  to: number,
  count: number,
  make: (port: number) => FlowPort,
): FlowPort[] {
  if (count < 2 || to <= from) return [{ ...make(from), range: { from, to } }];
  const step = (to - from) / (count - 1);
  const ports = new Set<number>();
  for (let i = 0; i < count; i++) ports.add(Math.round(from + i * step));
  return [...ports].map((port) => ({ ...make(port), range: { from, to } }));
}
