import type { Zone } from './dns-service.js';
import type { LabOrganization } from './organization.js';

/** The lab's names: every host and external name, and MX records for both mail domains. */
export function labZone(lab: LabOrganization): Zone {
  const a: Record<string, string> = {};
  for (const host of lab.hosts) {
    a[host.name] = host.address;
    if (host.external) a[host.external] = host.address;
  }
  const inbound = lab.hosts.find((host) => host.role === (lab.edge ? 'edge' : 'mailbox'));
  const outside = lab.hosts.find((host) => host.role === 'internet');
  const mx: Record<string, string> = {};
  if (inbound) mx[lab.domain] = inbound.name;
  if (outside) mx[outside.name.slice(outside.name.indexOf('.') + 1)] = outside.name;
  return { a, mx };
}
