import { isIP } from 'node:net';
import type { Vantage } from '../plan/types.js';
import type { Topology } from '../topology/types.js';

/** Vantages outside the organization resolve names as the Internet does: with the system resolver. */
const OUTSIDE = new Set(['internet', 'office365']);

/** The topology's DNS servers (`address` or `address:port`) that this vantage resolves names with. */
export function dnsServersFor(topology: Topology, vantage: Vantage): string[] {
  if (OUTSIDE.has(vantage.role)) return [];
  return topology.hosts.dns.flatMap((h) => {
    const address = h.address ?? (isIP(h.name) ? h.name : undefined);
    if (!address) return [];
    const port = h.ports.dns;
    if (!port) return [address];
    return [isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`];
  });
}
