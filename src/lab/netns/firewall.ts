import type { Model } from '../../model/index.js';
import type { Features, Role, Transport } from '../../model/types.js';
import { conditionHolds } from '../../plan/plan.js';

/** One accept rule of the firewall: sources to destinations, on one port or on any. */
export interface AllowRule {
  /** The flow the rule comes from (or a fault scenario's own name). */
  readonly flow: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** Absent: any transport and port (the ground rule for internal traffic). */
  readonly port?: { readonly transport: Transport; readonly number: number };
}

/** Addresses (or prefixes) per role, as the firewall sees them. */
export type RoleAddresses = Readonly<Partial<Record<Role, readonly string[]>>>;

/**
 * The accept rules a correct firewall needs, read from the model: every required and optional
 * flow on its ports, and every unrestricted flow on any port. Forbidden flows and everything
 * the tables do not list fall to the drop policy. Remove a flow from the model and its rule goes.
 */
export function allowRules(model: Model, features: Features, addresses: RoleAddresses): AllowRule[] {
  const rules: AllowRule[] = [];
  for (const flow of model.flows) {
    if (flow.expectation === 'forbidden' || !conditionHolds(flow, features)) continue;
    const from = addresses[flow.source] ?? [];
    const to = addresses[flow.destination] ?? [];
    if (from.length === 0 || to.length === 0) continue;
    if (flow.expectation === 'unrestricted') {
      rules.push({ flow: flow.id, from, to });
      continue;
    }
    for (const port of flow.ports) rules.push({ flow: flow.id, from, to, port: { transport: port.transport, number: port.port } });
  }
  return rules;
}

const set = (items: readonly string[]) => `{ ${items.join(', ')} }`;

function ruleLine(rule: AllowRule): string {
  const match = rule.port ? ` ${rule.port.transport} dport ${rule.port.number}` : '';
  return `    ip saddr ${set(rule.from)} ip daddr ${set(rule.to)}${match} accept comment "${rule.flow}"`;
}

/**
 * The firewall namespace's whole ruleset (nft -f): forwarding drops by default, answers to
 * allowed connections pass, and `open` prefixes (the Internet) route freely among themselves.
 */
export function nftRuleset(rules: readonly AllowRule[], open: readonly string[]): string {
  return [
    'flush ruleset',
    'table inet exchange_ports_lab {',
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    '    ct state established,related accept',
    ...open.map((prefix) => `    ip saddr ${prefix} ip daddr ${prefix} accept comment "internet"`),
    ...rules.map(ruleLine),
    '  }',
    '}',
    '',
  ].join('\n');
}
