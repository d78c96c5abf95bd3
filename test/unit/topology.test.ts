import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { isKnownError } from '../../src/cli/errors.js';
import { ROLES } from '../../src/model/types.js';
import { TopologyError } from '../../src/topology/errors.js';
import { loadTopology } from '../../src/topology/load.js';
import { parseTopology } from '../../src/topology/parse.js';

const MINIMAL = 'organization: contoso\nhosts:\n  mailbox: [mbx01.contoso.local]\n';

function problems(text: string, file = 'topology.yaml'): string[] {
  try {
    parseTopology(text, file);
  } catch (error) {
    if (error instanceof TopologyError) return error.problems;
    throw error;
  }
  throw new Error('the topology was accepted');
}

describe('parseTopology', () => {
  test('a minimal topology gets every default, every role, and the sha256 of its text', () => {
    const topology = parseTopology(MINIMAL, 'min.yaml');
    expect(topology).toEqual({
      file: 'min.yaml',
      sha256: createHash('sha256').update(MINIMAL).digest('hex'),
      organization: 'contoso',
      features: {
        edge: false,
        imap4: false,
        pop3: false,
        smtpSubmission: true,
        outboundProxy: false,
        openProxyDetection: true,
        hybrid: false,
        unifiedMessaging: false,
      },
      hosts: {
        internet: [],
        client: [],
        mailbox: [{ name: 'mbx01.contoso.local', ports: {}, edgeSync: true }],
        edge: [],
        dns: [],
        'domain-controller': [],
        office365: [],
        'voip-gateway': [],
      },
    });
    expect(Object.keys(topology.hosts).sort()).toEqual([...ROLES].sort());
  });

  test('sections written but left empty count as empty', () => {
    const topology = parseTopology(`${MINIMAL}  dns:\nfeatures:\ninternet:\n`, 't.yaml');
    expect(topology.hosts.dns).toEqual([]);
    expect(topology.features.smtpSubmission).toBe(true);
    expect(topology).not.toHaveProperty('mxDomain');
  });

  test('a host named by an IP literal has that address; only mailbox hosts take part in EdgeSync by default', () => {
    const topology = parseTopology(
      'organization: c\nedge: subscribed\nhosts:\n  mailbox: [{ name: 198.18.3.10 }, "::1"]\n  edge: [{ address: 198.18.2.25 }]\n',
      't.yaml',
    );
    expect(topology.hosts.mailbox).toEqual([
      { name: '198.18.3.10', address: '198.18.3.10', ports: {}, edgeSync: true },
      { name: '::1', address: '::1', ports: {}, edgeSync: true },
    ]);
    expect(topology.hosts.edge).toEqual([{ name: '198.18.2.25', address: '198.18.2.25', ports: {}, edgeSync: false }]);
    expect(topology.features.edge).toBe(true);
  });

  test('lines are 1-based, counted through comments, blank lines and CRLF endings', () => {
    expect(problems('# a comment\r\n\r\norganization: 5\r\nhosts:\r\n  mailbox: [m]\r\n')).toEqual([
      'topology.yaml:3: organization: expected a string, got a number (5)',
    ]);
  });

  test('the file is named as given', () => {
    expect(problems('organization: [x]\nhosts: {mailbox: [m]}\n', '../configs/Org One.yaml')).toEqual([
      '../configs/Org One.yaml:1: organization: expected a string, got a list',
    ]);
  });

  test('keys that are names of object properties are unknown keys like any other', () => {
    expect(problems(`${MINIMAL}  constructor: [m]\nfeatures: { toString: true, __proto__: false }\n`)).toEqual([
      'topology.yaml:4: hosts.constructor: unknown key (expected one of: client, mailbox, edge, dns, domain-controller, office365, voip-gateway)',
      'topology.yaml:5: features.toString: unknown key (expected one of: imap4, pop3, smtpSubmission, outboundProxy, openProxyDetection, hybrid, unifiedMessaging)',
      'topology.yaml:5: features.__proto__: unknown key (expected one of: imap4, pop3, smtpSubmission, outboundProxy, openProxyDetection, hybrid, unifiedMessaging)',
    ]);
  });

  test('a misspelled required key is reported once, as the misspelling', () => {
    expect(problems('organisation: c\nhosts:\n  mailbx: [m]\n')).toEqual([
      'topology.yaml:1: organisation: unknown key (did you mean "organization"?)',
      'topology.yaml:3: hosts.mailbx: unknown key (did you mean "mailbox"?)',
    ]);
  });

  test('a host whose only name is misspelled gets one problem, not two', () => {
    expect(problems('organization: c\nhosts:\n  mailbox:\n    - adress: 198.18.3.10\n')).toEqual([
      'topology.yaml:4: hosts.mailbox[0].adress: unknown key (did you mean "address"?)',
    ]);
  });

  test('a byte order mark is not part of the first key', () => {
    expect(parseTopology(`\ufeff${MINIMAL}`, 't.yaml').organization).toBe('contoso');
  });

  test('TopologyError is a known error for the CLI: one line a problem, exit 2, no stack', () => {
    const error = new TopologyError(['a.yaml:1: x: y', 'a.yaml:2: z: w']);
    expect(isKnownError(error)).toBe(true);
    expect(error.message).toBe('a.yaml:1: x: y\na.yaml:2: z: w');
    expect(error.problems).toEqual(['a.yaml:1: x: y', 'a.yaml:2: z: w']);
  });
});

describe('parseTopology never fails any other way', () => {
  const onlyTopologyErrors = (text: string): void => {
    try {
      parseTopology(text, 'f.yaml');
    } catch (error) {
      expect(error).toBeInstanceOf(TopologyError);
      for (const line of (error as TopologyError).problems) expect(line).toMatch(/^f\.yaml:\d+: [^\r\n]+$/);
    }
  };

  test('on any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), onlyTopologyErrors), { numRuns: 500 });
  });

  test('on any values where a topology has its fields', () => {
    const anything = fc.jsonValue({ maxDepth: 3 });
    const document = fc.record(
      {
        organization: anything,
        edge: fc.oneof(anything, fc.constantFrom('subscribed', 'none')),
        features: fc.oneof(anything, fc.dictionary(fc.constantFrom('imap4', 'pop3', 'hybrid', 'edge', 'x'), anything)),
        hosts: fc.oneof(anything, fc.dictionary(fc.constantFrom('mailbox', 'edge', 'dns', 'internet', 'y'), fc.array(anything))),
        internet: anything,
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(document, (value) => onlyTopologyErrors(stringify(value))), { numRuns: 500 });
  });
});

describe('loadTopology', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'exchange-ports-topology-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('hashes the bytes and parses them like parseTopology', async () => {
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, MINIMAL);
    const loaded = await loadTopology(file);
    expect(loaded).toEqual(parseTopology(MINIMAL, file));
    expect(loaded.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  test('the sha256 is of the bytes, byte order mark included', async () => {
    const file = join(dir, 'bom.yaml');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MINIMAL)]);
    writeFileSync(file, bytes);
    expect((await loadTopology(file)).sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  test('a device is refused, not read (it could block for ever)', async () => {
    await expect(loadTopology('/dev/null')).rejects.toThrow(new TopologyError(['/dev/null: cannot read: not a regular file']));
  });
});
