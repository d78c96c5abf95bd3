import { clip } from '../../report/sanitize.js';
import { familyOf } from '../addresses.js';
import type { Party, Rule } from '../types.js';

/**
 * Text from the topology (an organization's name is free text) inside a firewall file: only
 * characters no firewall syntax gives a meaning to, so a name can neither end a comment or a
 * quoted string nor start a new line of rules.
 */
export function inert(text: string, max: number): string {
  return clip(text.replace(/[^A-Za-z0-9 .,:;()/_+=@-]/g, '_'), max);
}

/** A rule's comment: its flows and, room permitting, its purpose. */
export function ruleComment(rule: Rule, max: number): string {
  return inert(`${rule.flows.join(', ')}: ${rule.purpose}`, max);
}

/** One way to match a side of a rule: these addresses, or any address outside the organization. */
export type SideMatch = { readonly addresses: readonly string[] } | 'internet';

function sideMatches(party: Party, family: 4 | 6): SideMatch[] {
  const addresses = [...new Set(party.hosts.flatMap((h) => h.addresses).filter((a) => familyOf(a) === family))];
  return [...(addresses.length ? [{ addresses }] : []), ...(party.internet ? ['internet' as const] : [])];
}

/**
 * Every (source, destination) match of a rule in one family: a side that is the Internet and
 * named hosts (clients) takes two, and a family where one side has no address takes none.
 */
export function ruleMatches(rule: Rule, family: 4 | 6): { from: SideMatch; to: SideMatch }[] {
  return sideMatches(rule.from, family).flatMap((from) =>
    sideMatches(rule.to, family)
      .filter((to) => !(from === 'internet' && to === 'internet'))
      .map((to) => ({ from, to })),
  );
}

/** The header every firewall file starts with (as comment lines with the given prefix). */
export function header(prefix: string, organization: string, file: string, load: string): string[] {
  return [
    `${prefix} exchange-ports rules for ${inert(organization, 80)}, from ${inert(file, 120)}`,
    `${prefix} The Exchange 2016 port tables: allow what they call for, drop everything else.`,
    `${prefix} ${load}`,
    `${prefix} Then prove it from each vantage: exchange-ports scan -t TOPOLOGY --from ROLE`,
  ];
}
