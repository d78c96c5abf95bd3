import { readFileSync } from 'node:fs';
import { requireBuild, runCliAsync, type Run } from '../helpers/cli.js';

/**
 * Hostile text (issue 10, item 15; fixtures/hostile/README.md says what each file holds),
 * through the built CLI: no raw control, bidi or line-separator character reaches stdout or
 * stderr in any format or error, and an error that quotes one shows it as a visible escape
 * with everything after it kept.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const H = 'fixtures/hostile/';
const FORMATS = ['table', 'json', 'junit', 'markdown', 'nagios', 'prometheus'] as const;

function expectInert(run: Run): void {
  for (const stream of [run.stdout, run.stderr]) {
    const found = UNSAFE.exec(stream);
    expect(found && { at: found.index, char: found[0].charCodeAt(0).toString(16), around: JSON.stringify(stream.slice(Math.max(0, found.index - 40), found.index + 40)) }).toBeNull();
  }
}

describe('hostile text through the built CLI', () => {
  beforeAll(requireBuild);

  test.each(FORMATS)('report --format %s: inert, and the text after each hostile character kept', async (format) => {
    const run = await runCliAsync(['report', `${H}result-controls.json`, '--format', format]);
    expect(run.stderr).toBe('');
    expect([1, 2]).toContain(run.code);
    expectInert(run);
    for (const marker of ['ESC-name', 'C1-name', 'BIDI-name', 'BEL-name', 'OSC-name']) expect(run.stdout).toContain(marker);
    if (format !== 'json') expect(run.stdout).toMatch(/LS.name PS.name/);
  });

  test('report --format json: each character is a visible \\u escape and parses back to the exact text', async () => {
    const run = await runCliAsync(['report', `${H}result-controls.json`, '--format', 'json']);
    for (const escape of ['\\u009b', '\\u202e', '\\u2028', '\\u2029', '\\u001b', '\\u0007']) expect(run.stdout).toContain(escape);
    const saved = JSON.parse(readFileSync(`${H}result-controls.json`, 'utf8')) as { topology: { organization: string } };
    expect((JSON.parse(run.stdout) as typeof saved).topology.organization).toBe(saved.topology.organization);
  });

  const ERRORS: [string, string[], string[]][] = [
    ['a JSON syntax error at a raw C1 CSI', ['scan', '-t', `${H}topology-c1.json`, '--from', 'mailbox'], ['found "\\u009b"']],
    ['an unknown key and a bad host name', ['scan', '-t', `${H}topology-key.yaml`, '--from', 'mailbox'], ['\\u009b31mC1KEY \\u202eBIDIKEY \\u2028LSKEY \\u2029PSKEY', '\\u001b[31mESC-value\\u001b[0m \\u009b31mC1-value \\u202eBIDI-value']],
    ['an alias name', ['scan', '-t', `${H}topology-alias.yaml`, '--from', 'mailbox'], ['unknown alias *a\\u009b31mC1-alias\\u202eBIDI-alias\\u2028LS-alias']],
    ['a bad number', ['scan', '-t', 'fixtures/topologies/edge.yaml', '--from', 'mailbox', '--timeout', '\u001b[31m\u009b31mX\u202eY\u2028Z'], ['got "\\u001b[31m\\u009b31mX\\u202eY\\u2028Z"']],
    ['a bad vantage', ['scan', '-t', 'fixtures/topologies/edge.yaml', '--from', '\u009b31mX\u202eY\u2029Z'], ['unknown role "\\u009b31mX\\u202eY\\u2029Z"']],
    ['an unknown option', ['scan', '-t', 'fixtures/topologies/edge.yaml', '--\u009b31mX\u202eY'], ['Unknown argument: \\u009b31mX\\u202eY']],
  ];

  test.each(ERRORS)('%s: one visible escape per character on stderr, and as the Nagios UNKNOWN line', async (_what, args, escapes) => {
    const plain = await runCliAsync(args);
    expect(plain.code).toBe(2);
    expect(plain.stdout).toBe('');
    expectInert(plain);
    for (const escape of escapes) expect(plain.stderr).toContain(escape);

    const nagios = await runCliAsync([...args, '--format', 'nagios']);
    expect(nagios.code).toBe(3);
    expectInert(nagios);
    expect(nagios.stdout).toMatch(/^EXCHANGE-PORTS UNKNOWN - [^\n]+\n$/);
    for (const escape of escapes) expect(nagios.stdout).toContain(escape);
  });
});
