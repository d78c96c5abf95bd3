import { iptables } from './formats/iptables.js';
import { nft } from './formats/nft.js';
import { requestCsv, requestJson, requestMarkdown, requestTable, type ChangeRequest } from './formats/request.js';
import { windowsFirewall } from './formats/windows-firewall.js';
import type { RuleSet } from './types.js';
import { DEFAULT_DENY, INTERNET_WORDS, requestRow } from './words.js';

export const RULE_FORMATS = ['table', 'markdown', 'csv', 'json', 'nft', 'iptables', 'ip6tables', 'windows-firewall'] as const;
export type RuleFormat = (typeof RULE_FORMATS)[number];

/** The formats that are a change request (a ticket), not a firewall's own configuration. */
export const REQUEST_FORMATS = ['table', 'markdown', 'csv', 'json'] as const;
export type RequestFormat = (typeof REQUEST_FORMATS)[number];

export const requestFormatters: Readonly<Record<RequestFormat, (request: ChangeRequest) => string>> = {
  table: requestTable,
  markdown: requestMarkdown,
  csv: requestCsv,
  json: requestJson,
};

/** The change request for a whole rule set: its rules, then the default deny. */
export function changeRequest(set: RuleSet): ChangeRequest {
  const internet = set.rules.some((r) => r.from.internet || r.to.internet);
  const meaning = `${INTERNET_WORDS} is every address outside the organization's own: ${set.own.join(', ')}`;
  return { organization: set.organization, from: set.file, rows: [...set.rules.map(requestRow), DEFAULT_DENY], notes: [...(internet ? [meaning] : []), ...set.notes] };
}

export function formatRules(set: RuleSet, format: RuleFormat): string {
  switch (format) {
    case 'nft':
      return nft(set);
    case 'iptables':
      return iptables(set, 4);
    case 'ip6tables':
      return iptables(set, 6);
    case 'windows-firewall':
      return windowsFirewall(set);
    default:
      return requestFormatters[format](changeRequest(set));
  }
}
