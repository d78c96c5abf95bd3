import { isIP } from 'node:net';
import type { Model } from '../model/index.js';
import { OUTSIDE_ROLES, type Flow, type FlowPort, type Role } from '../model/types.js';
import { conditionHolds } from '../plan/plan.js';
import type { Host, Topology } from '../topology/types.js';
import { minimal } from './addresses.js';
import { conflicts } from './conflicts.js';
import type { Party, PortSpan, Rule, RuleHost, RuleSet } from './types.js';

/** Addresses of hosts the topology names without one, resolved beforehand (through the topology's DNS). */
export type ResolvedNames = ReadonlyMap<string, readonly string[]>;

/** Roles whose hosts are not the organization's own: their addresses still count as the Internet. */
const NOT_OWN: ReadonlySet<Role> = new Set<Role>(['internet', 'office365']);

/** Roles whose hosts take part in the unrestricted ground rule (the internal Exchange servers and the domain controllers). */
const UNRESTRICTED: readonly Role[] = ['mailbox', 'domain-controller'];

export function addressesOf(host: Host, resolved: ResolvedNames): string[] {
  if (host.address) return [host.address];
  if (isIP(host.name)) return [host.name];
  return [...(resolved.get(host.name) ?? [])];
}

/** The names a rule set needs resolved: hosts of the organization's roles given by name only. */
export function namesToResolve(topology: Topology): string[] {
  const names = new Set<string>();
  for (const [role, hosts] of Object.entries(topology.hosts) as [Role, readonly Host[]][]) {
    if (role === 'internet') continue;
    for (const host of hosts) if (!host.address && !isIP(host.name)) names.add(host.name);
  }
  return [...names];
}

const ruleHost = (role: Role, host: Host, resolved: ResolvedNames): RuleHost => ({ role, name: host.name, addresses: addressesOf(host, resolved) });

function portOf(port: FlowPort, host: Host | undefined): number {
  return (port.name && host?.ports[port.name]) || port.port;
}

/** Distinct spans of a flow's ports: a sampled range (dynamic RPC, RTP) is the whole range once. */
function spans(ports: readonly FlowPort[], host: Host | undefined): { transport: FlowPort['transport']; span: PortSpan }[] {
  const seen = new Map<string, { transport: FlowPort['transport']; span: PortSpan }>();
  for (const port of ports) {
    const number = portOf(port, host);
    const span = port.range ? { from: port.range.from, to: port.range.to } : { from: number, to: number };
    seen.set(`${port.transport}/${span.from}-${span.to}`, { transport: port.transport, span });
  }
  return [...seen.values()];
}

interface Side {
  readonly party: Party;
  /** The topology host behind each rule host, for its port overrides. */
  readonly hosts: readonly Host[];
  readonly note?: string;
}

const INTERNET: Party = { hosts: [], internet: true };

const NO_OFFICE365 = (flow: Flow) =>
  `${flow.id}: no office365 hosts in the topology, so the rule allows Internet (any): list Exchange Online's published addresses under hosts.office365 to narrow it`;

function sourceSide(flow: Flow, topology: Topology, resolved: ResolvedNames): Side {
  const role = flow.source;
  if (role === 'internet') return { party: INTERNET, hosts: [] };
  const hosts = topology.hosts[role].filter((h) => !flow.subscribedSourcesOnly || h.edgeSync);
  if (role === 'office365' && hosts.length === 0) return { party: INTERNET, hosts: [], note: NO_OFFICE365(flow) };
  // The Internet vantage stands for external clients, so client flows come from anywhere outside too.
  return { party: { hosts: hosts.map((h) => ruleHost(role, h, resolved)), internet: role === 'client' }, hosts };
}

function destinationSide(flow: Flow, topology: Topology, resolved: ResolvedNames): Side {
  const role = flow.destination;
  if (role === 'internet') return { party: INTERNET, hosts: [] };
  let hosts = topology.hosts[role];
  if (role === 'office365' && hosts.length === 0) return { party: INTERNET, hosts: [], note: NO_OFFICE365(flow) };
  // As the plan does: from outside, a service is published on the hosts with an external name.
  if (OUTSIDE_ROLES.has(flow.source) && flow.expectation !== 'forbidden' && hosts.some((h) => h.external)) hosts = hosts.filter((h) => h.external);
  return { party: { hosts: hosts.map((h) => ruleHost(role, h, resolved)), internet: false }, hosts };
}

const empty = (party: Party) => !party.internet && party.hosts.length === 0;
const partyKey = (party: Party) => `${party.internet ? '*' : ''}|${party.hosts.map((h) => `${h.role}:${h.name}`).join(',')}`;

/** The allow rules of one required or optional flow: one per port, destinations grouped by the port they use. */
function allowRules(flow: Flow, from: Party, to: Side): Rule[] {
  const byPort = new Map<string, { transport: FlowPort['transport']; span: PortSpan; hosts: RuleHost[] }>();
  const destinations = to.party.internet ? [undefined] : to.hosts;
  destinations.forEach((host, i) => {
    for (const { transport, span } of spans(flow.ports, host)) {
      const key = `${transport}/${span.from}-${span.to}`;
      const entry = byPort.get(key) ?? { transport, span, hosts: [] };
      const target = to.party.hosts[i];
      if (target) entry.hosts.push(target);
      byPort.set(key, entry);
    }
  });
  return [...byPort.values()].map(({ transport, span, hosts }) => ({
    action: 'allow',
    flows: [flow.id],
    expectation: flow.expectation,
    purpose: flow.purpose,
    from,
    to: to.party.internet ? INTERNET : { hosts, internet: false },
    transport,
    ports: [span],
    bothWays: false,
  }));
}

function denyRule(flow: Flow, from: Party, to: Side): Rule {
  const sample = new Map<string, PortSpan>();
  for (const port of flow.ports) sample.set(String(port.port), { from: port.port, to: port.port });
  const transports = new Set(flow.ports.map((p) => p.transport));
  return {
    action: 'deny',
    flows: [flow.id],
    expectation: 'forbidden',
    purpose: flow.purpose,
    from,
    to: to.party,
    transport: transports.size === 1 ? [...transports][0]! : 'any',
    ports: [...sample.values()],
    bothWays: false,
  };
}

/** The unrestricted ground rule as one rule: any protocol, any port, between the internal Exchange servers and the domain controllers. */
function unrestrictedRule(flows: readonly Flow[], topology: Topology, resolved: ResolvedNames): Rule | undefined {
  const hosts = UNRESTRICTED.flatMap((role) => topology.hosts[role].map((h) => ruleHost(role, h, resolved)));
  if (flows.length === 0 || hosts.length < 2) return undefined;
  const party = { hosts, internet: false };
  return {
    action: 'allow',
    flows: flows.map((f) => f.id),
    expectation: 'unrestricted',
    purpose: 'Traffic between the internal Exchange servers and with the domain controllers: never restrict it, never alter it (any protocol, any port, dynamic RPC included)',
    from: party,
    to: party,
    transport: 'any',
    ports: [],
    bothWays: true,
  };
}

/** Addresses and networks of the organization itself: any other address is the Internet. */
export function ownAddresses(topology: Topology, resolved: ResolvedNames): string[] {
  const addresses = (Object.entries(topology.hosts) as [Role, readonly Host[]][])
    .filter(([role]) => !NOT_OWN.has(role))
    .flatMap(([, hosts]) => hosts.flatMap((h) => addressesOf(h, resolved)));
  return minimal([...addresses, ...(topology.networks ?? []).map((n) => n.cidr)]);
}

/**
 * The firewall rules the model calls for in this topology: allow rules for every required and
 * optional flow that applies, one rule for the unrestricted internal traffic, and one deny per
 * forbidden flow naming the ports the scan checks. Pure; names must be resolved beforehand.
 */
export function buildRules(model: Model, topology: Topology, resolved: ResolvedNames = new Map()): RuleSet {
  const rules: Rule[] = [];
  const denies: Rule[] = [];
  const notes = new Set<string>();
  const byKey = new Map<string, number>();
  const applying = model.flows.filter((flow) => conditionHolds(flow, topology.features));
  for (const flow of applying) {
    if (flow.expectation === 'unrestricted') continue;
    const from = sourceSide(flow, topology, resolved);
    const to = destinationSide(flow, topology, resolved);
    for (const note of [from.note, to.note]) if (note) notes.add(note);
    const missing = empty(from.party) ? flow.source : empty(to.party) ? flow.destination : undefined;
    if (missing) {
      notes.add(`${flow.id}: no rule: no ${missing} hosts in the topology (hosts.${missing})`);
      continue;
    }
    if (flow.expectation === 'forbidden') {
      denies.push(denyRule(flow, from.party, to));
      continue;
    }
    for (const rule of allowRules(flow, from.party, to)) {
      const key = `${partyKey(rule.from)}>${partyKey(rule.to)}>${rule.transport}/${rule.ports.map((p) => `${p.from}-${p.to}`).join()}`;
      const at = byKey.get(key);
      if (at === undefined) {
        byKey.set(key, rules.length);
        rules.push(rule);
      } else {
        const first = rules[at] as Rule;
        rules[at] = { ...first, flows: [...first.flows, ...rule.flows], expectation: first.expectation === 'required' ? 'required' : rule.expectation };
      }
    }
  }
  const unrestricted = unrestrictedRule(applying.filter((f) => f.expectation === 'unrestricted'), topology, resolved);
  const all = [...(unrestricted ? [unrestricted] : []), ...rules, ...denies];
  return { organization: topology.organization, file: topology.file, own: ownAddresses(topology, resolved), rules: all, notes: [...notes, ...conflicts(all)] };
}
