import { familyOf } from '../addresses.js';
import type { PortSpan, Rule, RuleSet } from '../types.js';
import { header, ruleComment, ruleMatches, type SideMatch } from './firewall-text.js';

const TABLE = 'exchange_ports';
/** nftables keeps at most 128 characters of a comment. */
const COMMENT = 120;

const list = (items: readonly string[]) => (items.length === 1 ? (items[0] as string) : `{ ${items.join(', ')} }`);
const spanText = (span: PortSpan) => (span.from === span.to ? String(span.from) : `${span.from}-${span.to}`);

/** `ip saddr ...` or `ip saddr != @own_v4` (the Internet), for one side and family. */
function match(side: SideMatch, field: 'saddr' | 'daddr', family: 4 | 6): string {
  const name = `${family === 4 ? 'ip' : 'ip6'} ${field}`;
  return side === 'internet' ? `${name} != @own_v${family}` : `${name} ${list(side.addresses)}`;
}

function ruleLines(rule: Rule): string[] {
  const verdict = rule.action === 'allow' ? 'accept' : 'counter drop';
  const service = rule.transport === 'any' ? '' : rule.ports.length === 0 ? ` meta l4proto ${rule.transport}` : ` ${rule.transport} dport ${list(rule.ports.map(spanText))}`;
  return ([4, 6] as const).flatMap((family) =>
    ruleMatches(rule, family).map(
      ({ from, to }) => `    ${match(from, 'saddr', family)} ${match(to, 'daddr', family)}${service} ${verdict} comment "${ruleComment(rule, COMMENT)}"`,
    ),
  );
}

function ownSet(family: 4 | 6, own: readonly string[]): string[] {
  const elements = own.filter((entry) => familyOf(entry) === family);
  return [
    `  set own_v${family} {`,
    `    type ipv${family}_addr; flags interval;`,
    ...(elements.length ? [`    elements = { ${elements.join(', ')} }`] : []),
    '  }',
  ];
}

/**
 * A complete nftables ruleset (`nft -f FILE`): it replaces the table `inet exchange_ports` and
 * nothing else. The forward chain drops by default, accepts answers to allowed connections, then
 * the allow rules; the deny rules only count what the policy drops, named as the scan checks it.
 */
export function nft(set: RuleSet): string {
  return [
    '#!/usr/sbin/nft -f',
    ...header('#', set.organization, set.file, 'Load with: nft -f FILE (replaces the table inet exchange_ports, nothing else).'),
    '',
    `table inet ${TABLE}`,
    `delete table inet ${TABLE}`,
    '',
    `table inet ${TABLE} {`,
    '  # The organization: every other address is the Internet.',
    ...ownSet(4, set.own),
    ...ownSet(6, set.own),
    '',
    '  chain forward {',
    '    type filter hook forward priority filter; policy drop;',
    '    ct state established,related accept',
    '    ct state invalid drop',
    ...set.rules.filter((r) => r.action === 'allow').flatMap(ruleLines),
    '    # Denied (the policy drops them anyway); the scan checks these ports.',
    ...set.rules.filter((r) => r.action === 'deny').flatMap(ruleLines),
    '  }',
    '}',
    '',
  ].join('\n');
}
