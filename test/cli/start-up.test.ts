import { runCli, requireBuild } from '../helpers/cli.js';

// A monitoring host may run the CLI with a small open-file limit: start-up must not need many files.
const LOW_LIMIT = ['bash', '-c', 'ulimit -n 64 && exec "$0" "$@"'];

beforeAll(requireBuild);

describe('the installed CLI under ulimit -n 64', () => {
  test('--version, --help and plan start and answer', () => {
    const version = runCli(['--version'], { prefix: LOW_LIMIT });
    expect(version).toEqual({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/), stderr: '' });
    const help = runCli(['--help'], { prefix: LOW_LIMIT });
    expect(help.code).toBe(0);
    for (const command of ['ports', 'init', 'plan', 'scan', 'report', 'diff', 'merge', 'smtp', 'lab']) expect(help.stdout).toContain(`exchange-ports ${command}`);
    const plan = runCli(['plan', '-t', 'fixtures/topologies/edge.yaml', '--from', 'internet', '--format', 'json'], { prefix: LOW_LIMIT });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual(JSON.parse(runCli(['plan', '-t', 'fixtures/topologies/edge.yaml', '--from', 'internet', '--format', 'json']).stdout));
  });

  test('a usage error is still one line and exit 2, and UNKNOWN for Nagios', () => {
    const bad = runCli(['plan', '-t', 'fixtures/topologies/edge.yaml', '--from', 'nowhere'], { prefix: LOW_LIMIT });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^exchange-ports: [^\n]*nowhere[^\n]*\n$/);
    const nagios = runCli(['scan', '-t', 'missing.yaml', '--from', 'internet', '--format', 'nagios'], { prefix: LOW_LIMIT });
    expect(nagios.code).toBe(3);
    expect(nagios.stdout).toMatch(/^EXCHANGE-PORTS UNKNOWN - /);
  });

  test('lab --scan runs a whole scan', () => {
    const lab = runCli(['lab', '--scan', '--format', 'json'], { prefix: LOW_LIMIT });
    expect(lab.stderr).not.toMatch(/EMFILE|internal error/);
    const result = JSON.parse(lab.stdout) as { checks: { verdict: string }[] };
    expect(result.checks.length).toBeGreaterThan(100);
    expect(result.checks.filter((c) => c.verdict === 'pass').length).toBeGreaterThan(100);
  });
});
