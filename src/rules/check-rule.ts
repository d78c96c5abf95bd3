import { isIP } from 'node:net';
import { OUTSIDE_ROLES } from '../model/types.js';
import type { Check, Vantage } from '../plan/types.js';
import type { Topology } from '../topology/types.js';
import { INTERNET_WORDS, hostWords, rowSentence, serviceWords, type RequestRow } from './words.js';

/** The rule that fixes one scan row, as the change request words it, and that line. */
export interface RowRule extends RequestRow {
  readonly text: string;
}

interface Seen {
  readonly destination: Check['destination'] & { readonly address?: string };
}

function sourceWords(vantage: Vantage, topology: Topology): string {
  if (OUTSIDE_ROLES.has(vantage.role)) return INTERNET_WORDS;
  const host = vantage.host === undefined ? undefined : topology.hosts[vantage.role].find((h) => h.name === vantage.host);
  if (!host) return vantage.host ?? `the ${vantage.role} vantage`;
  return hostWords({ name: host.name, addresses: host.address ? [host.address] : [] });
}

function destinationWords(check: Check & Seen): string {
  const d = check.destination;
  if (d.role === 'internet') return INTERNET_WORDS;
  const name = d.server ?? d.name ?? d.host;
  const address = d.address ?? (isIP(d.host) ? d.host : undefined);
  return hostWords({ name, addresses: address ? [address] : [] });
}

/**
 * What fixes a failing row, in the change request's words: for a `fail`, the allow rule to add
 * (`allow tcp 50636 from mbx01.contoso.local (198.18.3.10) to edge01.contoso.com (198.18.2.25):
 * edge.edgesync`); for an `exposed`, the opening to remove, as the deny the request has. Other
 * verdicts need no firewall change.
 */
export function rowRule(check: Check & Seen & { readonly verdict: string }, topology: Topology): RowRule | undefined {
  if (check.verdict !== 'fail' && check.verdict !== 'exposed') return undefined;
  const unrestricted = check.expectation === 'unrestricted';
  const span = check.range && !unrestricted ? check.range : { from: check.port, to: check.port };
  const row: RequestRow = {
    action: check.verdict === 'fail' ? 'allow' : 'deny',
    service: unrestricted ? 'any' : serviceWords(check.transport, [span]),
    source: [sourceWords(check.source, topology)],
    destination: [destinationWords(check)],
    bothWays: false,
    flows: check.flows,
    why: check.verdict === 'fail' ? `add it: ${check.purpose}` : `remove the opening that lets it through: ${check.purpose}`,
  };
  return { ...row, text: rowSentence(row) };
}

/** How a report says it under the row: `add: allow ...` for a fail, `remove the opening: deny ...` for an exposed. */
export function fixText(rule: Pick<RowRule, 'action' | 'text'>): string {
  return `${rule.action === 'allow' ? 'add' : 'remove the opening'}: ${rule.text}`;
}
