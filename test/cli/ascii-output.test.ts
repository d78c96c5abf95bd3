import { requireBuild, runCli } from '../helpers/cli.js';

/**
 * Windows PowerShell 5.1 decodes a redirected or piped program's output in the console's OEM
 * code page: any character past ASCII in our own text ("…", box drawing) arrives mangled. Only
 * text a server or the user's topology sent may be other than ASCII: here U+FFFD, which stands
 * for the invalid bytes of internet.json's hostile SMTP greeting once sanitised.
 */
const NOT_ASCII = /[^\t\n\r\x20-\x7e\ufffd]/;
const REPORT_FORMATS = ['table', 'json', 'junit', 'markdown', 'nagios', 'prometheus'];

const runs: string[][] = [
  ['--help'],
  ['scan', '--help'],
  ['init'],
  ['init', '--edge'],
  ...['table', 'json', 'markdown'].map((format) => ['ports', '--format', format]),
  ...['table', 'json', 'markdown'].map((format) => ['plan', '-t', 'fixtures/topologies/edge-full.yaml', '--from', 'mailbox', '--format', format]),
  ['plan', '-t', 'fixtures/topologies/no-edge.yaml', '--from', 'internet'],
  ...REPORT_FORMATS.map((format) => ['report', 'fixtures/results/mbx01.json', '--format', format]),
  ...['table', 'junit', 'markdown'].map((format) => ['merge', 'fixtures/results/mbx01.json', 'fixtures/results/internet.json', '--format', format]),
  ['diff', 'fixtures/results/before.json', 'fixtures/results/after.json'],
  ['diff', 'fixtures/results/before.json', 'fixtures/results/after.json', '--format', 'json'],
  ['plan', '-t', 'fixtures/topologies/missing.yaml', '--from', 'mailbox'],
];

describe('stdout and stderr are plain ASCII (Windows PowerShell 5.1 pipes and redirection)', () => {
  beforeAll(requireBuild);

  test.each(runs.map((args) => [args.join(' '), args]))('%s', (_name, args) => {
    const run = runCli(args as string[]);
    expect(run.stdout.length + run.stderr.length).toBeGreaterThan(0);
    expect(run.stdout).not.toMatch(NOT_ASCII);
    expect(run.stderr).not.toMatch(NOT_ASCII);
  });
});
