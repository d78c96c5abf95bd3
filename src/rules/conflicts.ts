import type { Party, PortSpan, Rule } from './types.js';
import { INTERNET_WORDS, serviceWords } from './words.js';

/** Whether two sides of rules share an address (or are both the Internet). */
function meet(a: Party, b: Party): boolean {
  if (a.internet && b.internet) return true;
  const addresses = new Set(a.hosts.flatMap((h) => h.addresses));
  return b.hosts.some((h) => h.addresses.some((x) => addresses.has(x)));
}

function opens(allow: Rule, deny: Rule, port: number): boolean {
  const service = allow.transport === 'any' || (allow.transport === deny.transport && allow.ports.some((p) => p.from <= port && port <= p.to));
  return service && meet(allow.from, deny.from) && meet(allow.to, deny.to);
}

/**
 * Ports the tables forbid that an allow rule would open anyway: the topology gives one address
 * two roles (a Mailbox server also listed as a client, an Edge server as a domain controller).
 * Loaded as they are, the scan reports these `exposed`: said in the request's notes.
 */
export function conflicts(rules: readonly Rule[]): string[] {
  const allows = rules.filter((r) => r.action === 'allow');
  const notes: string[] = [];
  const who = (p: Party) => [...p.hosts.map((h) => h.name), ...(p.internet ? [INTERNET_WORDS] : [])].join(', ');
  for (const deny of rules.filter((r) => r.action === 'deny')) {
    const opened = new Map<Rule, PortSpan[]>();
    for (const span of deny.ports) {
      const allow = allows.find((a) => opens(a, deny, span.from));
      if (allow) opened.set(allow, [...(opened.get(allow) ?? []), span]);
    }
    for (const [allow, spans] of opened) {
      notes.push(
        `conflict: ${allow.flows.join(', ')} allows ${serviceWords(deny.transport, spans)} from ${who(allow.from)} to ${who(allow.to)}, which ${deny.flows[0]} forbids (an address with two roles in the topology): the scan will report it exposed`,
      );
    }
  }
  return notes;
}
