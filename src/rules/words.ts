import type { Party, PortSpan, Rule, RuleHost } from './types.js';

/** What a rule says in the change request: one row of the ticket. */
export interface RequestRow {
  readonly action: 'allow' | 'deny';
  /** `tcp 50636`, `udp 1024-65535`, `any`, `tcp 2525, 465, ...` (a deny: the ports the scan checks). */
  readonly service: string;
  readonly source: readonly string[];
  readonly destination: readonly string[];
  readonly bothWays: boolean;
  readonly flows: readonly string[];
  readonly why: string;
}

export const INTERNET_WORDS = 'Internet (any)';

/** `mbx01.contoso.local (198.18.3.10)`; an address-only host is its address. */
export function hostWords(host: Pick<RuleHost, 'name' | 'addresses'>): string {
  const others = host.addresses.filter((a) => a !== host.name);
  return others.length === 0 ? host.name : `${host.name} (${others.join(', ')})`;
}

export function partyWords(party: Party): string[] {
  return [...party.hosts.map(hostWords), ...(party.internet ? [INTERNET_WORDS] : [])];
}

export const spanWords = (span: PortSpan): string => (span.from === span.to ? String(span.from) : `${span.from}-${span.to}`);

export function serviceWords(transport: Rule['transport'], ports: readonly PortSpan[]): string {
  if (transport === 'any' && ports.length === 0) return 'any';
  return `${transport} ${ports.map(spanWords).join(', ')}`.trim();
}

function why(rule: Rule): string {
  if (rule.action === 'deny') return `${rule.purpose}: deny all; the scan checks ${serviceWords(rule.transport, rule.ports)}`;
  if (rule.expectation === 'optional') return `${rule.purpose} (optional)`;
  return rule.purpose;
}

export function requestRow(rule: Rule): RequestRow {
  return {
    action: rule.action,
    service: rule.action === 'deny' ? 'any' : serviceWords(rule.transport, rule.ports),
    source: partyWords(rule.from),
    destination: partyWords(rule.to),
    bothWays: rule.bothWays,
    flows: rule.flows,
    why: why(rule),
  };
}

/** The last row of every change request: what the firewall does with everything not listed. */
export const DEFAULT_DENY: RequestRow = {
  action: 'deny',
  service: 'any',
  source: ['any'],
  destination: ['any'],
  bothWays: false,
  flows: ['default'],
  why: 'Everything not allowed above (the firewall\'s default: drop)',
};

/**
 * One line in the change request's words:
 * `allow tcp 50636 from mbx01.contoso.local (198.18.3.10) to edge01.contoso.com (198.18.2.25): edge.edgesync`.
 */
export function rowSentence(row: RequestRow): string {
  const between = row.bothWays ? `between ${row.source.join(', ')}` : `from ${row.source.join(', ')} to ${row.destination.join(', ')}`;
  return `${row.action} ${row.service} ${between}: ${row.flows.join(', ')}`;
}
