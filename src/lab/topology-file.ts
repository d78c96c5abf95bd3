import { faultsSentence, wrap } from './describe.js';
import { stringify } from 'yaml';
import type { LabHost, LabOrganization, LabRole, LabService } from './organization.js';
import { STANDARD_PORTS } from './organization.js';

export type HostPorts = ReadonlyMap<string, Readonly<Partial<Record<LabService, number>>>>;

function hostEntry(host: LabHost, ports: HostPorts): Record<string, unknown> {
  const moved = Object.entries(ports.get(host.name) ?? {}).filter(
    ([service, port]) => STANDARD_PORTS[service as LabService] !== port,
  );
  return {
    name: host.name,
    address: host.address,
    ...(host.external ? { external: host.external } : {}),
    ...(moved.length > 0 ? { ports: Object.fromEntries(moved) } : {}),
  };
}

/** The topology file (YAML) describing a running lab, with each host's actual ports. */
export function topologyYaml(lab: LabOrganization, ports: HostPorts): string {
  const of = (role: LabRole) => lab.hosts.filter((host) => host.role === role).map((host) => hostEntry(host, ports));
  const document = {
    organization: lab.organization,
    site: lab.site,
    edge: lab.edge ? 'subscribed' : 'none',
    features: lab.features,
    hosts: {
      mailbox: of('mailbox'),
      edge: of('edge'),
      dns: of('dns'),
      'domain-controller': of('domain-controller'),
    },
    internet: { hosts: of('internet'), ...(lab.mxDomain ? { mxDomain: lab.mxDomain } : {}) },
  };
  const faults = faultsSentence(lab);
  const header = [`# The exchange-ports lab: the simulated organization "${lab.organization}".`, ...(faults ? wrap(faults, 94, '# ') : [])];
  return `${header.join('\n')}\n${stringify(document)}`;
}
