import { readFileSync } from 'node:fs';
import { MODEL } from '../../src/model/index.js';
import type { Check } from '../../src/plan/types.js';
import { complementRanges, covers, minimal } from '../../src/rules/addresses.js';
import { buildRules } from '../../src/rules/build.js';
import { rowRule } from '../../src/rules/check-rule.js';
import { iptables } from '../../src/rules/formats/iptables.js';
import { nft } from '../../src/rules/formats/nft.js';
import { psQuote, windowsFirewall } from '../../src/rules/formats/windows-firewall.js';
import { formatRules } from '../../src/rules/index.js';
import { rulesFrom } from '../../src/rules/from.js';
import { failingRequest } from '../../src/rules/only-failing.js';
import type { Party, Rule, RuleSet } from '../../src/rules/types.js';
import { addressBits, bitsAddress, parseNetwork } from '../../src/topology/networks.js';
import { parseTopology } from '../../src/topology/parse.js';
import type { Topology } from '../../src/topology/types.js';

const load = (name: string): Topology => parseTopology(readFileSync(`fixtures/topologies/${name}.yaml`, 'utf8'), `${name}.yaml`);
const FIXTURES = ['edge', 'edge-full', 'no-edge', 'networks'];

const roles = (party: Party) => [...new Set([...party.hosts.map((h) => h.role), ...(party.internet ? ['internet'] : [])])].sort().join('+');
const ports = (rule: Rule) => (rule.transport === 'any' ? 'any' : `${rule.transport} ${rule.ports.map((p) => (p.from === p.to ? p.from : `${p.from}-${p.to}`)).join(',')}`);
const line = (rule: Rule) => `${rule.action} ${roles(rule.from)} -> ${roles(rule.to)} ${ports(rule)}`;
const between = (set: RuleSet, from: string, to: string) => set.rules.filter((r) => r.action === 'allow' && roles(r.from) === from && roles(r.to) === to).map(line);

describe('the rules the seed\'s ground rules call for (contoso with an Edge server)', () => {
  const set = buildRules(MODEL, load('edge'));

  test('Edge <-> Mailbox: 25 both ways and EdgeSync 50636 from the subscribed Mailbox servers, nothing else', () => {
    expect(between(set, 'edge', 'mailbox')).toEqual(['allow edge -> mailbox tcp 25']);
    expect(between(set, 'mailbox', 'edge')).toEqual(['allow mailbox -> edge tcp 25', 'allow mailbox -> edge tcp 50636']);
    const edgesync = set.rules.find((r) => r.flows.includes('edge.edgesync'));
    expect(edgesync?.from.hosts.map((h) => h.name)).toEqual(['mbx01.contoso.local']);
  });

  test('internal Exchange servers and domain controllers: one rule, any protocol and port, both ways; the Edge server is not in it', () => {
    const unrestricted = set.rules.filter((r) => r.expectation === 'unrestricted');
    expect(unrestricted.map(line)).toEqual(['allow domain-controller+mailbox -> domain-controller+mailbox any']);
    expect(unrestricted[0]).toMatchObject({ bothWays: true, ports: [], flows: ['internal.exchange', 'internal.domain-controller'] });
  });

  test('from the Internet: SMTP to the Edge server and the client ports of the published Mailbox server only', () => {
    expect(set.rules.filter((r) => r.action === 'allow' && r.from.internet).map((r) => `${line(r)} ${r.to.hosts.map((h) => h.name).join()}`)).toEqual([
      'allow internet -> mailbox tcp 443 mbx01.contoso.local',
      'allow internet -> mailbox tcp 80 mbx01.contoso.local',
      'allow internet -> mailbox tcp 587 mbx01.contoso.local',
      'allow internet -> edge tcp 25 edge01.contoso.com',
    ]);
  });

  test('to the Internet: SMTP and the open proxy detection ports from the Edge server; DNS to the topology\'s servers', () => {
    expect(between(set, 'edge', 'internet').map((l) => Number(l.split(' ').pop())).sort((a, b) => a - b)).toEqual([23, 25, 80, 1080, 1081, 3128, 6588]);
    expect(between(set, 'mailbox', 'internet')).toEqual([]);
    expect(between(set, 'mailbox', 'dns')).toEqual(['allow mailbox -> dns udp 53', 'allow mailbox -> dns tcp 53']);
    expect(between(set, 'edge', 'dns')).toEqual(['allow edge -> dns udp 53', 'allow edge -> dns tcp 53']);
  });

  test('every forbidden flow is a deny naming the sample the scan checks', () => {
    const denies = set.rules.filter((r) => r.action === 'deny');
    expect(denies.map((r) => `${r.flows[0]} ${roles(r.from)} -> ${roles(r.to)}`)).toEqual([
      'perimeter.internet-to-mailbox internet -> mailbox',
      'perimeter.internet-to-mailbox-smtp internet -> mailbox',
      'perimeter.internet-to-edge internet -> edge',
      'perimeter.edge-to-mailbox edge -> mailbox',
      'perimeter.mailbox-to-edge mailbox -> edge',
    ]);
    const toEdge = denies.find((r) => r.flows[0] === 'perimeter.internet-to-edge');
    expect(toEdge?.ports.map((p) => p.from)).toEqual(expect.arrayContaining([3389, 445, 2525, 50636]));
  });
});

describe('the rules of every fixture organization', () => {
  /** Whether an allow rule lets traffic from `from` to `to` on tcp `port` through. */
  const allows = (set: RuleSet, from: Party, to: Party, port: number) =>
    set.rules.some((r) => {
      if (r.action !== 'allow') return false;
      const meets = (a: Party, b: Party) => (a.internet && b.internet) || a.hosts.some((h) => b.hosts.some((k) => h.addresses.some((x) => k.addresses.includes(x))));
      const service = r.transport === 'any' || (r.transport === 'tcp' && r.ports.some((p) => p.from <= port && port <= p.to));
      return service && meets(r.from, from) && meets(r.to, to);
    });

  test('an address with two roles: the forbidden port it opens is named in a note', () => {
    const topology = parseTopology('organization: o\nedge: subscribed\nhosts:\n  mailbox: [198.18.3.10]\n  edge: [198.18.2.25]\n  domain-controller: [198.18.2.25]\n', 't.yaml');
    const notes = buildRules(MODEL, topology).notes.filter((n) => n.startsWith('conflict:'));
    expect(notes).toContain(
      'conflict: internal.exchange, internal.domain-controller allows tcp 2525, 465, 475, 476, 477, 717, 444, 135, 139, 445, 389, 636, 3268, 88, 3389, 5985, 5986, 50389, 64327 from 198.18.3.10, 198.18.2.25 to 198.18.3.10, 198.18.2.25, which perimeter.mailbox-to-edge forbids (an address with two roles in the topology): the scan will report it exposed',
    );
  });

  test.each(FIXTURES)('%s: no allow rule opens a port the tables forbid', (name) => {
    const set = buildRules(MODEL, load(name));
    expect(set.notes.filter((n) => n.startsWith('conflict:'))).toEqual([]);
    const denies = set.rules.filter((r) => r.action === 'deny');
    expect(denies.length).toBeGreaterThan(0);
    for (const deny of denies) for (const port of deny.ports) expect([deny.flows[0], port.from, allows(set, deny.from, deny.to, port.from)]).toEqual([deny.flows[0], port.from, false]);
  });

  test('hybrid and Unified Messaging add their rules when on (fabrikam): Exchange Online by its listed host, RTP as its whole range', () => {
    const set = buildRules(MODEL, load('edge-full'));
    expect(set.rules.filter((r) => r.flows[0]?.startsWith('hybrid.')).map(line)).toEqual([
      'allow office365 -> edge tcp 25',
      'allow office365 -> mailbox tcp 443',
      'allow edge -> office365 tcp 25',
      'allow mailbox -> office365 tcp 443',
    ]);
    expect(set.rules.filter((r) => r.flows[0] === 'um.media-in').map(line)).toEqual(['allow voip-gateway -> mailbox udp 1024-65535']);
    // A moved EdgeSync port gets its own rule, for the server that uses it.
    expect(set.rules.filter((r) => r.flows[0] === 'edge.edgesync').map((r) => `${ports(r)} ${r.to.hosts.map((h) => h.name).join()}`)).toEqual([
      'tcp 50636 edge01.fabrikam.com',
      'tcp 50637 edge02.fabrikam.com',
    ]);
    // Clients listed in the topology are sources beside the Internet.
    expect(set.rules.find((r) => r.flows[0] === 'client.https')?.from).toMatchObject({ internet: true, hosts: [{ name: 'ws01.fabrikam.local' }] });
  });

  test('without an Edge server: the Mailbox servers take Internet mail and send it out; no Edge rules', () => {
    const set = buildRules(MODEL, load('no-edge'));
    expect(set.rules.some((r) => r.flows.some((f) => f.startsWith('edge.')))).toBe(false);
    expect(between(set, 'internet', 'mailbox')).toContain('allow internet -> mailbox tcp 25');
    expect(between(set, 'mailbox', 'internet')).toEqual(['allow mailbox -> internet tcp 25']);
  });

  test('hybrid with no office365 hosts: Internet (any), said in a note', () => {
    const topology = parseTopology('organization: o\nfeatures: { hybrid: true }\nhosts:\n  mailbox: [198.18.3.10]\n', 't.yaml');
    const set = buildRules(MODEL, topology);
    // The same rule as outbound mail to the Internet: one rule serving both flows.
    expect(set.rules.filter((r) => r.flows.includes('hybrid.outbound-smtp')).map((r) => `${line(r)} ${r.flows.join()}`)).toEqual(['allow mailbox -> internet tcp 25 mail.outbound,hybrid.outbound-smtp']);
    expect(set.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^hybrid\.outbound-smtp: no office365 hosts in the topology, so the rule allows Internet \(any\)/)]));
  });
});

describe('networks and addresses', () => {
  test.each([
    ['198.18.3.0/24', '198.18.3.0/24'],
    ['2001:2:0:30::/64', '2001:2:0:30::/64'],
    ['2001:0002:0000:0030:0000:0000:0000:0000/64', '2001:2:0:30::/64'],
    ['198.18.3.1/24', 'host bits set in "198.18.3.1/24" (did you mean "198.18.3.0/24"?)'],
    ['2001:2::1/64', 'host bits set in "2001:2::1/64" (did you mean "2001:2::/64"?)'],
    ['198.18.3.0/33', 'prefix /33 is longer than 32 bits: "198.18.3.0/33"'],
    ['198.18.3.0', 'expected a network as address/prefix (198.18.3.0/24), got "198.18.3.0"'],
  ])('%s', (text, expected) => {
    const network = parseNetwork(text);
    expect(typeof network === 'string' ? network : network.cidr).toBe(expected);
  });

  test('IPv6 text round-trips in RFC 5952 form', () => {
    for (const [text, form] of [
      ['2001:2:0:0:1:0:0:1', '2001:2::1:0:0:1'],
      ['::', '::'],
      ['::ffff:198.18.3.1', '::ffff:c612:301'],
      ['2001:2:0:30::12', '2001:2:0:30::12'],
    ]) {
      expect(bitsAddress(addressBits(text as string), 6)).toBe(form);
    }
  });

  test('minimal leaves out what a network holds; the complement is every other address', () => {
    expect(minimal(['198.18.3.10', '198.18.3.0/24', '198.18.2.25', '198.18.3.10', '2001:2::1'])).toEqual(['198.18.2.25', '198.18.3.0/24', '2001:2::1']);
    expect(complementRanges(['198.18.3.0/24', '198.18.2.25'])).toEqual([
      '0.0.0.0-198.18.2.24',
      '198.18.2.26-198.18.2.255',
      '198.18.4.0-255.255.255.255',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
    expect(covers(['198.18.3.0/24'], '198.18.3.77')).toBe(true);
    expect(covers(['198.18.3.0/24'], '198.18.4.1')).toBe(false);
  });

  test('networks widen the organization: their addresses are not the Internet', () => {
    const set = buildRules(MODEL, load('networks'));
    expect(set.own).toEqual(['198.18.20.0/24', '198.18.30.0/24', '2001:2:0:20::25', '2001:2:0:30::/64']);
  });
});

describe('text from the topology in firewall files', () => {
  const hostile = 'evil" accept; } flush ruleset\n#\u001b[2J O\'Brien\u2019s $(Remove-Item C:\\) `x`';
  const topology = parseTopology(
    `organization: ${JSON.stringify(hostile)}\nedge: subscribed\nhosts:\n  mailbox: [198.18.3.10]\n  edge: [198.18.2.25]\n  domain-controller: [198.18.3.5]\n`,
    'hostile.yaml',
  );
  const set = buildRules(MODEL, topology);

  test('nftables and iptables: the name only in a comment line, with nothing a parser reads', () => {
    for (const text of [nft(set), iptables(set, 4)]) {
      const lines = text.split('\n');
      expect(lines.filter((l) => l.includes('evil'))).toEqual(['# exchange-ports rules for evil_ accept; _ flush ruleset____2J O_Brien_s _(Remove-Item C:_) _x_, from hostile.yaml']);
      expect(lines.some((l) => /^\s*flush/.test(l))).toBe(false);
    }
  });

  test('PowerShell: single-quoted, quotes doubled (typographic ones too), no control characters', () => {
    expect(psQuote("O'Brien\u2019s $(x)")).toBe("'O''Brien\u2019\u2019s $(x)'");
    const script = windowsFirewall(set);
    const group = `'exchange-ports evil" accept; } flush ruleset # O''Brien\u2019\u2019s $(Remove-Item C:\\) \`x\`'`;
    expect(script).toContain(`-Group ${group} `);
    expect(script).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    // Every line that is not a comment has its quotes balanced: nothing from the name ends a string.
    for (const l of script.split('\n').filter((x) => !x.startsWith('#'))) expect((l.replace(/''|\u2019\u2019/g, '').match(/['\u2019]/g) ?? []).length % 2).toBe(0);
  });

  test('the change request keeps the name as text: markdown escapes it, CSV quotes it', () => {
    const markdown = formatRules(set, 'markdown');
    expect(markdown.split('\n')[0]).toBe('### Firewall change request for evil" accept; } flush ruleset \\# O\'Brien\u2019s $(Remove-Item C:\\\\) \\`x\\` (from hostile.yaml): 21 rules');
  });
});

describe('the rule that fixes a scan row', () => {
  const topology = load('edge');
  const base = {
    id: 'x',
    flows: ['edge.edgesync'],
    table: 'mail-flow-edge',
    probe: 'ldaps',
    implicitTls: true,
    purpose: 'EdgeSync',
    component: 'c',
    needsListener: true,
    why: 'w',
  } as const;
  type Row = Check & { verdict: string; destination: Check['destination'] & { address?: string } };
  const check = (fields: Partial<Omit<Row, 'verdict'>> & { verdict: string }) =>
    ({ ...base, flow: 'edge.edgesync', source: { role: 'mailbox', host: 'mbx01.contoso.local' }, destination: { role: 'edge', host: '198.18.2.25', lookup: 'address', name: 'edge01.contoso.com', address: '198.18.2.25' }, port: 50636, transport: 'tcp', expectation: 'required', ...fields }) as Row;

  test('fail: the allow rule to add, in the change request\'s words', () => {
    expect(rowRule(check({ verdict: 'fail' }), topology)?.text).toBe('allow tcp 50636 from mbx01.contoso.local (198.18.3.10) to edge01.contoso.com (198.18.2.25): edge.edgesync');
  });

  test('exposed: the opening to remove, as a deny', () => {
    const exposed = check({ verdict: 'exposed', flows: ['perimeter.internet-to-edge'], expectation: 'forbidden', source: { role: 'internet' }, port: 3389 });
    expect(rowRule(exposed, topology)).toMatchObject({ action: 'deny', text: 'deny tcp 3389 from Internet (any) to edge01.contoso.com (198.18.2.25): perimeter.internet-to-edge' });
  });

  test('unrestricted: any; to the Internet: Internet (any); other verdicts: none', () => {
    const internal = check({ verdict: 'fail', flows: ['internal.exchange'], expectation: 'unrestricted', destination: { role: 'mailbox', host: '198.18.3.11', lookup: 'address', name: 'mbx02.contoso.local' }, port: 135 });
    expect(rowRule(internal, topology)?.text).toBe('allow any from mbx01.contoso.local (198.18.3.10) to mbx02.contoso.local (198.18.3.11): internal.exchange');
    const outbound = check({ verdict: 'fail', flows: ['edge.outbound'], source: { role: 'edge', host: 'edge01.contoso.com' }, destination: { role: 'internet', host: 'example.org', lookup: 'mx', address: '198.18.9.25' }, port: 25 });
    expect(rowRule(outbound, topology)?.text).toBe('allow tcp 25 from edge01.contoso.com (198.18.2.25) to Internet (any): edge.outbound');
    expect(rowRule(check({ verdict: 'down' }), topology)).toBeUndefined();
    expect(rowRule(check({ verdict: 'pass' }), topology)).toBeUndefined();
  });

  test('--only-failing joins the destinations of one rule, keeps sources apart', () => {
    const row = (source: string, destination: string, verdict = 'fail') => {
      const rule = { action: 'allow' as const, service: 'tcp 25', source: [source], destination: [destination], bothWays: false, flows: ['edge.to-internal'], why: 'w' };
      return { verdict, rule: { ...rule, text: 't' } };
    };
    const request = failingRequest([
      { file: 'a.json', organization: 'contoso', checks: [row('edge01', 'mbx01'), row('edge01', 'mbx02'), row('edge01', 'mbx02'), row('edge01', 'mbx03', 'pass')] },
      { file: 'b.json', organization: 'contoso', checks: [row('edge02', 'mbx01')] },
    ]);
    expect(request.rows.map((r) => `${r.source.join()} -> ${r.destination.join()}`)).toEqual(['edge01 -> mbx01,mbx02', 'edge02 -> mbx01']);
    expect(request.from).toBe('a.json, b.json');
  });
});

describe('rules --from', () => {
  const set = buildRules(MODEL, load('edge'));

  test('a role keeps the rules its traffic needs; the Internet stands for clients too', () => {
    expect([...new Set(rulesFrom(set, { role: 'internet' }).rules.map((r) => r.flows[0]))]).toEqual([
      'client.https',
      'client.http',
      'client.smtp-submission',
      'edge.inbound',
      'perimeter.internet-to-mailbox',
      'perimeter.internet-to-mailbox-smtp',
      'perimeter.internet-to-edge',
    ]);
  });

  test('ROLE:HOST narrows the sources to that host, and the unrestricted rule to its peers', () => {
    const narrowed = rulesFrom(set, { role: 'mailbox', host: 'mbx02.contoso.local' });
    expect(narrowed.rules.every((r) => r.from.hosts.every((h) => h.name === 'mbx02.contoso.local'))).toBe(true);
    expect(narrowed.rules.some((r) => r.flows.includes('edge.edgesync'))).toBe(false);
    const unrestricted = narrowed.rules.find((r) => r.expectation === 'unrestricted');
    expect(unrestricted).toMatchObject({ bothWays: false });
    expect(unrestricted?.to.hosts.map((h) => h.name)).toEqual(['mbx01.contoso.local', '198.18.3.5']);
  });
});
