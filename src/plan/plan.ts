import { isIP } from 'node:net';
import type { Model } from '../model/index.js';
import { OUTSIDE_ROLES, type Expectation, type Features, type Flow, type FlowPort, type Role } from '../model/types.js';
import type { Host, Topology } from '../topology/types.js';
import type { Check, Destination, Plan, Vantage } from './types.js';

/** Which flow sources a vantage stands for. An Internet host is also an external client and EOP's side. */
const ACTS_AS: Readonly<Record<Role, readonly Role[]>> = {
  internet: ['internet', 'client', 'office365'],
  client: ['client'],
  mailbox: ['mailbox'],
  edge: ['edge'],
  dns: ['dns'],
  'domain-controller': ['domain-controller'],
  office365: ['office365'],
  'voip-gateway': ['voip-gateway'],
};

/** When two flows ask for the same check, the stronger expectation wins. */
const STRENGTH: Readonly<Record<Expectation, number>> = { required: 3, unrestricted: 2, optional: 1, forbidden: 0 };

export function conditionHolds(flow: Flow, features: Features): boolean {
  return Object.entries(flow.when).every(([feature, value]) => features[feature as keyof Features] === value);
}

function sameHost(host: Host, vantage: Vantage): boolean {
  return vantage.host !== undefined && (host.name === vantage.host || host.address === vantage.host);
}

/** A destination, and the topology host behind it when there is one (its port overrides). */
interface Target {
  readonly destination: Destination;
  readonly host?: Host;
}

function targets(flow: Flow, topology: Topology, vantage: Vantage): Target[] {
  // Where only the path matters (open proxy detection), a declared every-port responder is the conclusive target.
  const responders = topology.responders ?? [];
  if (flow.destination === 'internet' && !flow.needsListener && responders.length > 0) {
    return responders.map((h) => {
      const name = h.address ?? h.name;
      return { destination: { role: 'internet', host: name, lookup: isIP(name) ? 'address' : 'name', answersEveryPort: true }, host: h };
    });
  }
  let hosts = topology.hosts[flow.destination].filter((h) => !sameHost(h, vantage));
  const external = OUTSIDE_ROLES.has(flow.source);
  // From outside, a service is published under its external names; hosts without one are
  // internal only. Forbidden checks still go to every host: none of them may be reachable.
  if (external && flow.expectation !== 'forbidden' && hosts.some((h) => h.external)) {
    hosts = hosts.filter((h) => h.external);
  }
  const out: Target[] = hosts.map((h) => {
    const name = external ? (h.external ?? h.address ?? h.name) : (h.address ?? h.name);
    const server = name === h.name ? {} : { server: h.name };
    return { destination: { role: flow.destination, host: name, lookup: isIP(name) ? 'address' : 'name', ...server }, host: h };
  });
  if (flow.destination === 'internet' && topology.mxDomain) {
    out.push({ destination: { role: 'internet', host: topology.mxDomain, lookup: 'mx' } });
  }
  return out;
}

function portNumber(port: FlowPort, host: Host | undefined): number {
  return (port.name && host?.ports[port.name]) || port.port;
}

/** A flow only subscribed servers use (EdgeSync) is not run from a server that joined later. */
function sourceTakesPart(flow: Flow, topology: Topology, vantage: Vantage): boolean {
  if (!flow.subscribedSourcesOnly || vantage.host === undefined) return true;
  const me = topology.hosts[vantage.role].find((h) => sameHost(h, vantage));
  return me?.edgeSync ?? true;
}

function why(flow: Flow, expectation: Expectation): string {
  const verb = { required: 'must be reachable', optional: 'may be reachable', forbidden: 'must be blocked', unrestricted: 'must not be restricted' }[expectation];
  return `${flow.id}: ${verb} (${flow.source} -> ${flow.destination}): ${flow.purpose}`;
}

/**
 * The checks a vantage should run: one per destination host x port x transport, for the flows
 * whose source the vantage stands for and whose condition the topology meets. Pure.
 */
export function plan(model: Model, topology: Topology, vantage: Vantage): Plan {
  const byKey = new Map<string, Check>();
  const notes: string[] = [];
  const sources = ACTS_AS[vantage.role];
  for (const flow of model.flows) {
    if (!sources.includes(flow.source) || !conditionHolds(flow, topology.features)) continue;
    if (!sourceTakesPart(flow, topology, vantage)) {
      notes.push(`${flow.id}: ${vantage.host} did not take part in the Edge subscription (edgeSync: false)`);
      continue;
    }
    const found = targets(flow, topology, vantage);
    if (found.length === 0) {
      const where = flow.destination === 'internet' ? `internet.hosts${flow.needsListener ? '' : ', internet.responders'} or internet.mxDomain` : `hosts.${flow.destination}`;
      const other = flow.destination === vantage.role && vantage.host ? 'other ' : '';
      notes.push(`${flow.id}: not checked: no ${other}${flow.destination} hosts in the topology (${where})`);
      continue;
    }
    for (const { destination, host } of found) {
      for (const port of flow.ports) {
        const number = portNumber(port, host);
        const certificates = port.name && topology.certificates?.[port.name];
        const key = `${destination.host}|${number}|${port.transport}`;
        const candidate: Check = {
          id: `${flow.id}:${destination.host}:${number}/${port.transport}`,
          flow: flow.id,
          flows: [flow.id],
          table: flow.table,
          source: vantage,
          destination,
          port: number,
          transport: port.transport,
          expectation: flow.expectation,
          probe: port.probe,
          implicitTls: port.implicitTls ?? false,
          ...(port.name ? { portName: port.name } : {}),
          purpose: flow.purpose,
          component: flow.component,
          needsListener: flow.needsListener,
          ...(port.range ? { range: port.range } : {}),
          ...(certificates ? { certificates } : {}),
          why: why(flow, flow.expectation),
        };
        const existing = byKey.get(key);
        if (!existing) byKey.set(key, candidate);
        else if (STRENGTH[flow.expectation] > STRENGTH[existing.expectation]) {
          byKey.set(key, { ...candidate, flows: [flow.id, ...existing.flows] });
        } else byKey.set(key, { ...existing, flows: [...existing.flows, flow.id] });
      }
    }
  }
  return { vantage, checks: [...byKey.values()], notes };
}
