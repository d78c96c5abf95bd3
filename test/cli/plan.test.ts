import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, requireBuild, ROOT, runCli } from '../helpers/cli.js';

const BAD = 'fixtures/topologies/bad';

/** Flow ids a vantage must plan, per fixture organization (EXCHANGE-FACTS section 1 and the ground rules). */
const FLOWS: Record<string, Record<string, string[]>> = {
  'no-edge.yaml': {
    internet: ['client.http', 'client.https', 'client.smtp-submission', 'mail.inbound', 'perimeter.internet-to-mailbox'],
    client: ['client.http', 'client.https', 'client.smtp-submission'],
    'mailbox:mbx01.contoso.local': ['internal.domain-controller', 'internal.exchange', 'mail.dns', 'mail.outbound-proxy'],
    edge: [],
  },
  'edge.yaml': {
    internet: [
      'client.http',
      'client.https',
      'client.smtp-submission',
      'edge.inbound',
      'perimeter.internet-to-edge',
      'perimeter.internet-to-mailbox',
      'perimeter.internet-to-mailbox-smtp',
    ],
    client: ['client.http', 'client.https', 'client.smtp-submission'],
    'mailbox:mbx01.contoso.local': [
      'edge.edgesync',
      'edge.from-internal',
      'internal.domain-controller',
      'internal.exchange',
      'mail.dns',
      'perimeter.mailbox-to-edge',
    ],
    'mailbox:mbx02.contoso.local': ['edge.from-internal', 'internal.domain-controller', 'internal.exchange', 'mail.dns', 'perimeter.mailbox-to-edge'],
    edge: ['edge.dns', 'edge.open-proxy', 'edge.outbound', 'edge.to-internal', 'perimeter.edge-to-mailbox'],
  },
  'edge-full.yaml': {
    internet: [
      'client.http',
      'client.https',
      'client.imap4',
      'client.pop3',
      'client.smtp-submission',
      'edge.inbound',
      'perimeter.internet-to-edge',
      'perimeter.internet-to-mailbox',
      'perimeter.internet-to-mailbox-smtp',
    ],
    client: ['client.http', 'client.https', 'client.imap4', 'client.pop3', 'client.smtp-submission'],
    mailbox: [
      'edge.edgesync',
      'edge.from-internal',
      'hybrid.outbound-https',
      'internal.domain-controller',
      'internal.exchange',
      'mail.dns',
      'perimeter.mailbox-to-edge',
      'um.media-out',
      'um.sip-out',
    ],
    edge: ['edge.dns', 'edge.open-proxy', 'edge.outbound', 'edge.to-internal', 'hybrid.outbound-smtp-edge', 'perimeter.edge-to-mailbox'],
  },
};

describe('exchange-ports plan (built CLI)', () => {
  beforeAll(requireBuild);

  const cases = Object.entries(FLOWS).flatMap(([file, vantages]) => Object.entries(vantages).map(([from, flows]) => [file, from, flows] as const));
  test.each(cases)('%s from %s plans exactly its flows', (file, from, flows) => {
    const run = runCli(['plan', '-t', `fixtures/topologies/${file}`, '--from', from, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const planned = new Set((JSON.parse(run.stdout).checks as { flow: string }[]).map((c) => c.flow));
    expect([...planned].sort()).toEqual(flows);
  });

  const bad = readdirSync(join(ROOT, BAD))
    .filter((name) => name.endsWith('.expected'))
    .map((name) => name.replace(/\.expected$/, ''));

  test('there are at least 20 bad topology fixtures', () => {
    expect(bad.length).toBeGreaterThanOrEqual(20);
  });

  test.each(bad)('bad topology %s: its exact message, exit 2, nothing on stdout', (name) => {
    const file = readdirSync(join(ROOT, BAD)).find((f) => f.startsWith(`${name}.`) && !f.endsWith('.expected')) ?? `${name}.yaml`;
    const run = runCli(['plan', '-t', `${BAD}/${file}`, '--from', 'internet']);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: readFileSync(join(ROOT, BAD, `${name}.expected`), 'utf8'),
    });
  });
});

describe('a reader that goes away (| head)', () => {
  test('is no error: no stack trace, nothing on stderr', () => {
    // More than a pipe holds (88 KB), to a reader that leaves after one line.
    const command = `"${process.execPath}" "${BIN}" plan -t fixtures/topologies/edge-full.yaml --from mailbox --format json | head -1`;
    const result = spawnSync('bash', ['-c', command], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.stdout).toBe('{\n');
    expect(result.stderr).toBe('');
  });
});
