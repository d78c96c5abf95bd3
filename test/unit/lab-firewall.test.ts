import { MODEL, type Model } from '../../src/model/index.js';
import type { Features } from '../../src/model/types.js';
import { allowRules, nftRuleset } from '../../src/lab/netns/firewall.js';

const FEATURES: Features = {
  edge: true,
  imap4: true,
  pop3: false,
  smtpSubmission: true,
  outboundProxy: false,
  openProxyDetection: true,
  hybrid: false,
  unifiedMessaging: false,
};
const ADDRESSES = {
  internet: ['198.19.1.0/24'],
  client: ['198.19.1.0/24'],
  edge: ['198.19.2.25'],
  mailbox: ['198.19.3.11', '198.19.3.12'],
  dns: ['198.19.3.53'],
  'domain-controller': ['198.19.3.10'],
};

const without = (model: Model, id: string): Model => ({ ...model, flows: model.flows.filter((flow) => flow.id !== id) });

describe('lab firewall from the model', () => {
  test('every required flow that applies gets accept rules on its ports, and nothing forbidden does', () => {
    const rules = allowRules(MODEL, FEATURES, ADDRESSES);
    const edgesync = rules.filter((rule) => rule.flow === 'edge.edgesync');
    expect(edgesync).toEqual([
      { flow: 'edge.edgesync', from: ADDRESSES.mailbox, to: ADDRESSES.edge, port: { transport: 'tcp', number: 50636 } },
    ]);
    expect(rules.filter((rule) => rule.flow === 'edge.dns').map((rule) => rule.port)).toEqual([
      { transport: 'udp', number: 53 },
      { transport: 'tcp', number: 53 },
    ]);
    expect(rules.some((rule) => rule.flow.startsWith('perimeter.'))).toBe(false);
    expect(rules.some((rule) => rule.flow === 'client.pop3')).toBe(false);
    expect(rules.some((rule) => rule.flow === 'mail.inbound')).toBe(false);
  });

  test('internal traffic is accepted on any port', () => {
    const internal = allowRules(MODEL, FEATURES, ADDRESSES).find((rule) => rule.flow === 'internal.exchange');
    expect(internal).toEqual({ flow: 'internal.exchange', from: ADDRESSES.mailbox, to: ADDRESSES.mailbox });
    expect(nftRuleset(internal ? [internal] : [], [])).toContain(
      'ip saddr { 198.19.3.11, 198.19.3.12 } ip daddr { 198.19.3.11, 198.19.3.12 } accept comment "internal.exchange"',
    );
  });

  test('a flow removed from the model disappears from the firewall', () => {
    const full = nftRuleset(allowRules(MODEL, FEATURES, ADDRESSES), ['198.19.1.0/24']);
    const reduced = nftRuleset(allowRules(without(MODEL, 'edge.edgesync'), FEATURES, ADDRESSES), ['198.19.1.0/24']);
    expect(full).toContain('tcp dport 50636 accept comment "edge.edgesync"');
    expect(reduced).not.toContain('50636');
    const removed = full.split('\n').filter((line) => !reduced.split('\n').includes(line));
    expect(removed).toEqual(['    ip saddr { 198.19.3.11, 198.19.3.12 } ip daddr { 198.19.2.25 } tcp dport 50636 accept comment "edge.edgesync"']);
  });

  test('without an Edge server, Internet mail goes straight to the Mailbox servers', () => {
    const rules = allowRules(MODEL, { ...FEATURES, edge: false }, { ...ADDRESSES, edge: [] });
    expect(rules.find((rule) => rule.flow === 'mail.inbound')).toEqual({
      flow: 'mail.inbound',
      from: ['198.19.1.0/24'],
      to: ADDRESSES.mailbox,
      port: { transport: 'tcp', number: 25 },
    });
    expect(rules.some((rule) => rule.flow.startsWith('edge.'))).toBe(false);
  });

  test('the ruleset drops by default and lets answers back', () => {
    const text = nftRuleset([], ['198.19.1.0/24']);
    expect(text).toMatch(/policy drop;/);
    expect(text).toContain('ct state established,related accept');
  });
});
