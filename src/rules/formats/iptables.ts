import { covers, familyOf } from '../addresses.js';
import type { Rule, RuleSet } from '../types.js';
import { header, ruleComment, ruleMatches, type SideMatch } from './firewall-text.js';

const FROM_OWN = 'exchange-ports-own';
const FROM_INTERNET = 'exchange-ports-internet';
/** The comment match keeps at most 256 characters. */
const COMMENT = 100;

function ruleLines(rule: Rule, family: 4 | 6, chain: string, toInternet: boolean, own: readonly string[]): string[] {
  const protocol = rule.transport === 'any' ? '' : ` -p ${rule.transport}`;
  const ports = rule.transport === 'any' || rule.ports.length === 0 ? [''] : rule.ports.map((p) => (p.from === p.to ? ` --dport ${p.from}` : ` --dport ${p.from}:${p.to}`));
  const target = rule.action === 'allow' ? 'ACCEPT' : 'DROP';
  const addresses = (side: SideMatch) => (side === 'internet' ? [''] : side.addresses);
  // A packet is in the organization's chain when its source is the organization's (office365 hosts are not).
  const sources = (side: SideMatch) => addresses(side).filter((a) => (a !== '' && covers(own, a)) === (chain === FROM_OWN));
  const lines: string[] = [];
  for (const { from, to } of ruleMatches(rule, family)) {
    if ((to === 'internet') !== toInternet) continue;
    for (const source of sources(from)) {
      for (const destination of addresses(to)) {
        for (const port of ports) {
          const s = source ? ` -s ${source}` : '';
          const d = destination ? ` -d ${destination}` : '';
          lines.push(`-A ${chain}${s}${d}${protocol}${port} -m comment --comment "${ruleComment(rule, COMMENT)}" -j ${target}`);
        }
      }
    }
  }
  return lines;
}

/**
 * `iptables-restore` (IPv4) or `ip6tables-restore` (IPv6) input for the filter table: FORWARD
 * drops by default and accepts answers; packets from the organization go to one chain, packets
 * from anywhere else (the Internet) to another. In the organization's chain, rules between its
 * own hosts come first, then every packet to another of its addresses returns (to the drop), so
 * what is left there goes to the Internet. iptables has no negated address sets without ipset:
 * this keeps "any address but the organization's" exact with plain matches.
 */
export function iptables(set: RuleSet, family: 4 | 6 = 4): string {
  const own = set.own.filter((entry) => familyOf(entry) === family);
  const ordered = [...set.rules.filter((r) => r.action === 'allow'), ...set.rules.filter((r) => r.action === 'deny')];
  const lines = (chain: string, toInternet: boolean) => ordered.flatMap((r) => ruleLines(r, family, chain, toInternet, own));
  const restore = family === 4 ? 'iptables-restore' : 'ip6tables-restore';
  return [
    ...header('#', set.organization, set.file, `Load with: ${restore} < FILE (replaces the filter table).`),
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    `:${FROM_OWN} - [0:0]`,
    `:${FROM_INTERNET} - [0:0]`,
    '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '-A FORWARD -m conntrack --ctstate INVALID -j DROP',
    ...own.map((entry) => `-A FORWARD -s ${entry} -g ${FROM_OWN}`),
    `-A FORWARD -g ${FROM_INTERNET}`,
    ...lines(FROM_OWN, false),
    ...own.map((entry) => `-A ${FROM_OWN} -d ${entry} -j RETURN`),
    ...lines(FROM_OWN, true),
    ...lines(FROM_INTERNET, false),
    'COMMIT',
    '',
  ].join('\n');
}
