import { ROLES, type Role } from '../model/types.js';
import type { Host, Topology } from '../topology/types.js';
import type { Vantage } from './types.js';

/** What the machine knows of itself, for `--from auto`. */
export interface LocalIdentity {
  readonly addresses: readonly string[];
  readonly hostnames: readonly string[];
}

export class VantageError extends Error {
  override readonly name = 'VantageError';
  readonly code = 'EVANTAGE';
}

function matchesName(host: Host, hostnames: readonly string[]): boolean {
  const name = host.name.toLowerCase();
  return hostnames.some((h) => {
    const mine = h.toLowerCase();
    return name === mine || (!mine.includes('.') && name.split('.')[0] === mine);
  });
}

function normalizeAddress(address: string): string {
  return address.toLowerCase().replace(/^::ffff:/, '').replace(/%.*$/, '');
}

function findHost(topology: Topology, role: Role, name: string): Host | undefined {
  const wanted = name.toLowerCase();
  return topology.hosts[role].find(
    (h) => h.name.toLowerCase() === wanted || h.address?.toLowerCase() === wanted || h.name.toLowerCase().split('.')[0] === wanted,
  );
}

/**
 * `--from ROLE`, `--from ROLE:HOST` or `--from auto` (the machine's own addresses and names
 * matched against the topology's hosts).
 */
export function resolveVantage(spec: string, topology: Topology, local: LocalIdentity): Vantage {
  if (spec === 'auto') return autoVantage(topology, local);
  const colon = spec.indexOf(':');
  const roleText = colon < 0 ? spec : spec.slice(0, colon);
  const hostText = colon < 0 ? undefined : spec.slice(colon + 1);
  if (!(ROLES as readonly string[]).includes(roleText)) {
    throw new VantageError(`--from ${spec}: unknown role "${roleText}" (one of: auto, ${ROLES.join(', ')})`);
  }
  const role = roleText as Role;
  if (hostText === undefined) return { role };
  const host = findHost(topology, role, hostText);
  if (!host) {
    const known = topology.hosts[role].map((h) => h.name);
    throw new VantageError(
      `--from ${spec}: no ${role} host "${hostText}" in ${topology.file}` + (known.length ? ` (${role} hosts: ${known.join(', ')})` : ''),
    );
  }
  return { role, host: host.name };
}

function autoVantage(topology: Topology, local: LocalIdentity): Vantage {
  const mine = new Set(local.addresses.map(normalizeAddress));
  const matches: Vantage[] = [];
  for (const role of ROLES) {
    for (const host of topology.hosts[role]) {
      if ((host.address && mine.has(normalizeAddress(host.address))) || matchesName(host, local.hostnames)) {
        matches.push({ role, host: host.name });
      }
    }
  }
  if (matches.length === 1) return matches[0] as Vantage;
  if (matches.length === 0) {
    throw new VantageError(
      `--from auto: none of this machine's addresses (${local.addresses.join(', ') || 'none'}) or names (${local.hostnames.join(', ') || 'none'}) is a host in ${topology.file}; name the vantage with --from ROLE`,
    );
  }
  throw new VantageError(
    `--from auto: this machine matches several hosts in ${topology.file} (${matches.map((m) => `${m.role}:${m.host}`).join(', ')}); name one with --from ROLE:HOST`,
  );
}
