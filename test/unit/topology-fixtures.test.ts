import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { TopologyError } from '../../src/topology/errors.js';
import { loadTopology } from '../../src/topology/load.js';
import type { Host } from '../../src/topology/types.js';

// Paths are relative to the repository root, as a user would type them there (jest runs from it).
const BAD = 'fixtures/topologies/bad';
const VALID = 'fixtures/topologies';

/** What the CLI writes to stderr for a TopologyError: each problem line, prefixed. */
function stderrOf(error: TopologyError): string {
  return error.problems.map((line) => `exchange-ports: ${line}\n`).join('');
}

/** Each NAME.expected names a fixture NAME.yaml or NAME.json; `missing` has no file on purpose. */
function badFixtures(): [string, string][] {
  const entries = readdirSync(BAD);
  return entries
    .filter((entry) => entry.endsWith('.expected'))
    .map((entry) => {
      const name = entry.replace(/\.expected$/, '');
      const file = entries.find((e) => e === `${name}.yaml` || e === `${name}.json`) ?? `${name}.yaml`;
      return [`${BAD}/${file}`, readFileSync(`${BAD}/${entry}`, 'utf8')];
    });
}

async function problemsOf(file: string): Promise<TopologyError> {
  const error: unknown = await loadTopology(file).then(
    () => new Error(`${file} was accepted`),
    (e: unknown) => e,
  );
  if (!(error instanceof TopologyError)) throw error;
  return error;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The defaults the topology format documents; fixtures state only what differs. */
const DEFAULT_FEATURES = {
  edge: false,
  imap4: false,
  pop3: false,
  smtpSubmission: true,
  outboundProxy: false,
  openProxyDetection: true,
  hybrid: false,
  unifiedMessaging: false,
};

const host = (name: string, rest: Partial<Host> = {}): Host => ({ name, ports: {}, edgeSync: false, ...rest });
const ip = (address: string): Host => host(address, { address });

describe('bad topology fixtures', () => {
  const fixtures = badFixtures();

  test('there are at least 24, every one naming a mistake of its own', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(24);
    expect(new Set(fixtures.map(([, expected]) => expected)).size).toBe(fixtures.length);
  });

  test.each(fixtures)('%s gives exactly its message', async (file, expected) => {
    const error = await problemsOf(file);
    expect(error.name).toBe('TopologyError');
    expect(error.code).toBe('ETOPOLOGY');
    expect(error.message).toBe(error.problems.join('\n'));
    expect(stderrOf(error)).toBe(expected);
  });

  test.each(fixtures)('%s: every problem is one line naming the file, sorted by line', async (file) => {
    const { problems } = await problemsOf(file);
    const lines: number[] = [];
    for (const problem of problems) {
      expect(problem).not.toMatch(/[\r\n]/);
      expect(problem.startsWith(`${file}:`)).toBe(true);
      const line = /^:(\d+): /.exec(problem.slice(file.length));
      if (line) lines.push(Number(line[1]));
    }
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  test('several mistakes in one file are all reported', async () => {
    const { problems } = await problemsOf(`${BAD}/several-mistakes.yaml`);
    expect(problems.length).toBeGreaterThanOrEqual(8);
  });
});

describe('valid topology fixtures', () => {
  test('no-edge.yaml normalizes to the whole expected topology', async () => {
    const file = `${VALID}/no-edge.yaml`;
    expect(await loadTopology(file)).toEqual({
      file,
      sha256: sha256(file),
      organization: 'contoso',
      site: 'Default-First-Site-Name',
      features: { ...DEFAULT_FEATURES, outboundProxy: true },
      hosts: {
        internet: [ip('198.19.0.25')],
        client: [ip('198.18.4.20')],
        mailbox: [
          host('mbx01.contoso.local', { address: '198.18.3.10', external: 'mail.contoso.com', edgeSync: true }),
          host('mbx02.contoso.local', { address: '198.18.3.11', edgeSync: true }),
        ],
        edge: [],
        dns: [ip('198.18.3.53')],
        'domain-controller': [host('dc01.contoso.local', { address: '198.18.3.5' })],
        office365: [],
        'voip-gateway': [],
      },
      mxDomain: 'example.org',
    });
  });

  test('edge.yaml: subscribed Edge, a Mailbox server outside EdgeSync, default features', async () => {
    const file = `${VALID}/edge.yaml`;
    const topology = await loadTopology(file);
    expect(topology).toEqual({
      file,
      sha256: sha256(file),
      organization: 'contoso',
      site: 'Default-First-Site-Name',
      features: { ...DEFAULT_FEATURES, edge: true },
      hosts: {
        internet: [ip('198.19.0.25')],
        client: [],
        mailbox: [
          host('mbx01.contoso.local', { address: '198.18.3.10', external: 'mail.contoso.com', edgeSync: true }),
          host('mbx02.contoso.local', { address: '198.18.3.11', edgeSync: false }),
        ],
        edge: [host('edge01.contoso.com', { address: '198.18.2.25' })],
        dns: [ip('198.18.3.53')],
        'domain-controller': [ip('198.18.3.5')],
        office365: [],
        'voip-gateway': [],
      },
    });
    expect(topology).not.toHaveProperty('mxDomain');
  });

  test('edge-full.yaml: IMAP4, POP3, hybrid and UM on, with office365 and voip-gateway hosts and moved ports', async () => {
    const topology = await loadTopology(`${VALID}/edge-full.yaml`);
    expect(topology.organization).toBe('fabrikam');
    expect(topology.features).toEqual({
      edge: true,
      imap4: true,
      pop3: true,
      smtpSubmission: true,
      outboundProxy: false,
      openProxyDetection: true,
      hybrid: true,
      unifiedMessaging: true,
    });
    expect(topology.hosts.edge).toEqual([
      host('edge01.fabrikam.com', { address: '198.18.2.25', ports: { edgesync: 50636 } }),
      host('edge02.fabrikam.com', { address: '198.18.2.26', ports: { edgesync: 50637 } }),
    ]);
    expect(topology.hosts.mailbox[0]).toEqual(
      host('mbx01.fabrikam.local', { address: '198.18.3.10', external: 'mail.fabrikam.com', ports: { sip: 5060, sips: 5061 }, edgeSync: true }),
    );
    expect(topology.hosts.office365).toEqual([host('fabrikam.mail.protection.example.net', { address: '198.19.1.25' })]);
    expect(topology.hosts['voip-gateway']).toEqual([ip('198.18.5.10')]);
    expect(topology.hosts.dns.map((h) => h.address)).toEqual(['198.18.3.53', '198.18.3.54']);
    expect(topology.hosts.internet.map((h) => h.name)).toEqual(['198.19.0.25', '198.19.0.26']);
    expect(topology.mxDomain).toBe('example.org');
  });

  test('no-edge.json: JSON is read like YAML', async () => {
    const file = `${VALID}/no-edge.json`;
    const topology = await loadTopology(file);
    expect(topology.sha256).toBe(sha256(file));
    expect(topology.organization).toBe('northwind');
    expect(topology).not.toHaveProperty('site');
    expect(topology.features).toMatchObject({ edge: false, imap4: true, openProxyDetection: false, smtpSubmission: true });
    expect(topology.hosts.mailbox).toEqual([
      host('mbx01.northwind.local', { address: '198.18.3.10', external: 'mail.northwind.example', edgeSync: true }),
    ]);
    expect(topology.hosts['domain-controller']).toEqual([host('dc01.northwind.local')]);
    expect(topology.mxDomain).toBe('example.com');
  });

  test('every address in the valid fixtures is inside 198.18.0.0/15 or 2001:2::/48', async () => {
    const files = readdirSync(VALID).filter((f) => /\.(yaml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const topology = await loadTopology(`${VALID}/${file}`);
      for (const hosts of Object.values(topology.hosts)) {
        for (const h of hosts) if (h.address !== undefined) expect(h.address).toMatch(/^198\.1[89]\.\d+\.\d+$|^2001:2:0:[0-9a-f:]+$/);
      }
      for (const network of topology.networks ?? []) expect(network.cidr).toMatch(/^198\.1[89]\.\d+\.\d+\/(1[5-9]|2\d|3[0-2])$|^2001:2:0:[0-9a-f:]*\/(4[89]|[5-9]\d|1[0-2]\d)$/);
    }
  });
});
