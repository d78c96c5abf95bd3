import { OUTSIDE_ROLES } from '../model/types.js';
import type { Vantage } from '../plan/types.js';
import type { Rule, RuleSet } from './types.js';

/** Whether traffic from this vantage is what the rule's source stands for (the Internet stands for clients and Exchange Online too). */
function fromVantage(rule: Rule, vantage: Vantage): boolean {
  if (rule.from.internet && OUTSIDE_ROLES.has(vantage.role) && vantage.host === undefined) return true;
  return rule.from.hosts.some((h) => h.role === vantage.role && (vantage.host === undefined || h.name === vantage.host));
}

/** Narrows a rule to the vantage's own host, when it names one. */
function narrowed(rule: Rule, vantage: Vantage): Rule {
  if (vantage.host === undefined) return rule;
  const hosts = rule.from.hosts.filter((h) => h.role === vantage.role && h.name === vantage.host);
  const to = rule.bothWays ? { ...rule.to, hosts: rule.to.hosts.filter((h) => !hosts.includes(h)) } : rule.to;
  return { ...rule, from: { hosts, internet: false }, to, bothWays: false };
}

/** `rules --from ROLE[:HOST]`: the rules for traffic from that vantage, what `scan --from` there checks. */
export function rulesFrom(set: RuleSet, vantage: Vantage): RuleSet {
  return { ...set, rules: set.rules.filter((rule) => fromVantage(rule, vantage)).map((rule) => narrowed(rule, vantage)) };
}
