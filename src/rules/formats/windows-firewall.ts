import { sanitize } from '../../report/sanitize.js';
import { complementRanges } from '../addresses.js';
import type { Rule, RuleHost, RuleSet } from '../types.js';
import { spanWords } from '../words.js';

/** The Exchange servers with a host firewall of their own. */
const SERVER_ROLES = new Set(['mailbox', 'edge']);

/**
 * A PowerShell single-quoted string: nothing in it is expanded; a quote is doubled, and
 * PowerShell takes the typographic single quotes for quotes too, so they are doubled as well.
 */
export function psQuote(text: string): string {
  return `'${sanitize(text).replace(/['\u2018\u2019\u201a\u201b]/g, (ch) => ch + ch)}'`;
}

const psList = (items: readonly string[]) => items.map(psQuote).join(', ');

/** The rule's sources as -RemoteAddress: named hosts, and the Internet as every range outside the organization. */
function remoteAddresses(rule: Rule, server: RuleHost, internet: readonly string[]): string[] {
  const hosts = rule.from.hosts.filter((h) => !(h.role === server.role && h.name === server.name));
  return [...new Set([...hosts.flatMap((h) => h.addresses), ...(rule.from.internet ? internet : [])])];
}

function ruleCommand(rule: Rule, server: RuleHost, group: string, internet: readonly string[]): string | undefined {
  const remote = remoteAddresses(rule, server, internet);
  if (remote.length === 0) return undefined;
  const service = rule.transport === 'any' ? 'any' : `${rule.transport} ${rule.ports.map(spanWords).join(',')}`;
  const name = `exchange-ports ${rule.flows[0]} ${service}`;
  const parts = [
    'New-NetFirewallRule',
    `-DisplayName ${psQuote(name)}`,
    `-Group ${psQuote(group)}`,
    '-Direction Inbound -Action Allow -Profile Any',
    `-Protocol ${rule.transport === 'any' ? 'Any' : rule.transport.toUpperCase()}`,
    ...(rule.transport === 'any' ? [] : [`-LocalPort ${rule.ports.map((p) => psQuote(spanWords(p))).join(', ')}`]),
    `-RemoteAddress ${psList(remote)}`,
    `-Description ${psQuote(`${rule.flows.join(', ')}: ${rule.purpose}`)}`,
    '| Out-Null',
  ];
  return parts.join(' ');
}

/** The servers a rule lets traffic into. */
function destinations(rule: Rule): RuleHost[] {
  return rule.to.hosts.filter((h) => SERVER_ROLES.has(h.role));
}

/**
 * PowerShell for the host firewall of each Exchange server (an Edge server in a workgroup is
 * its own control): inbound allow rules in one group, so `Remove-NetFirewallRule -Group` takes
 * them all away. The same script runs on every server: each block applies where the machine
 * has the server's address. What is not allowed falls to the profile's default (block inbound).
 */
export function windowsFirewall(set: RuleSet): string {
  const group = `exchange-ports ${set.organization}`;
  const internet = complementRanges(set.own);
  const servers = new Map<string, RuleHost>();
  for (const rule of set.rules) if (rule.action === 'allow') for (const host of destinations(rule)) servers.set(`${host.role}:${host.name}`, host);
  const blocks = [...servers.values()].flatMap((server) => {
    const commands = set.rules
      .filter((rule) => rule.action === 'allow' && destinations(rule).some((h) => h.role === server.role && h.name === server.name))
      .map((rule) => ruleCommand(rule, server, group, internet))
      .filter((c): c is string => c !== undefined);
    return [
      `# ${sanitize(server.role)} ${sanitize(server.name)}`,
      `if (@(${psList(server.addresses)}) | Where-Object { $mine -contains $_ }) {`,
      `  Write-Output ${psQuote(`exchange-ports: inbound rules for ${server.name}`)}`,
      ...commands.map((c) => `  ${c}`),
      '}',
      '',
    ];
  });
  return [
    `# exchange-ports rules for ${sanitize(set.organization)}, from ${sanitize(set.file)}: the host firewall of each Exchange server.`,
    '# Run it, as an administrator, on every Exchange server: each block applies on the server with its address.',
    '# Inbound traffic not allowed here falls to the profile default (Set-NetFirewallProfile -DefaultInboundAction Block).',
    `# Remove every rule again with: Remove-NetFirewallRule -Group ${psQuote(group)}`,
    '#Requires -RunAsAdministrator',
    '$ErrorActionPreference = \'Stop\'',
    `Remove-NetFirewallRule -Group ${psQuote(group)} -ErrorAction SilentlyContinue`,
    '$mine = @(Get-NetIPAddress | ForEach-Object { $_.IPAddress })',
    '',
    ...blocks,
  ].join('\n');
}
