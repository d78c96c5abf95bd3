import { isIP } from 'node:net';
import { OUTSIDE_ROLES } from '../model/types.js';
import type { Vantage } from './types.js';
import type { Topology } from '../topology/types.js';

/** The topology's DNS servers (`address` or `address:port`) that this vantage resolves names with. */
export function dnsServersFor(topology: Topology, vantage: Vantage): string[] {
  // Outside the organization names resolve as the Internet (or the client's network) resolves them.
  if (OUTSIDE_ROLES.has(vantage.role)) return [];
  return topology.hosts.dns.flatMap((h) => {
    const address = h.address ?? (isIP(h.name) ? h.name : undefined);
    if (!address) return [];
    const port = h.ports.dns;
    if (!port) return [address];
    return [isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`];
  });
}
