import { requireBuild, runCliAsync } from '../helpers/cli.js';

/**
 * Every numeric option of every command, found in its own --help (so a new one is covered
 * too), given what is not a number: one line naming the option and quoting what was given,
 * exit 2, nothing on stdout, nothing probed (issue 10, item 14: `--timeout abc` said `got null`).
 */
const COMMANDS: Record<string, string[]> = {
  // Each is stopped by the bad option before anything is sent; edge.yaml's addresses are never probed.
  scan: ['scan', '-t', 'fixtures/topologies/edge.yaml', '--from', 'mailbox'],
  plan: ['plan', '-t', 'fixtures/topologies/edge.yaml', '--from', 'mailbox'],
  smtp: ['smtp', '127.0.0.1:1'],
  lab: ['lab'],
};

async function numberOptions(command: string): Promise<string[]> {
  const help = await runCliAsync([command, '--help']);
  expect(help.code).toBe(0);
  // One entry per option: its line and the wrapped lines under it, up to the next option or group.
  const entries = help.stdout.split(/\n(?=\s*(?:-[a-z], )?--[a-z]|\S)/);
  return entries.filter((entry) => entry.includes('[number]')).map((entry) => (/--[a-z-]+/.exec(entry) as RegExpExecArray)[0]);
}

describe('numeric options given what is not a number (built CLI)', () => {
  beforeAll(requireBuild);

  test('the options are found in --help: scan and smtp have them, plan and lab none', async () => {
    expect(await numberOptions('scan')).toEqual(['--concurrency', '--per-host', '--timeout', '--min-timeout', '--max-timeout', '--retries', '--max-retries', '--deadline', '--rate', '--cert-warn-days', '--cert-crit-days', '--service-timeout']);
    expect(await numberOptions('smtp')).toEqual(['--timeout', '--cert-warn-days', '--cert-crit-days']);
    expect(await numberOptions('plan')).toEqual([]);
    expect(await numberOptions('lab')).toEqual([]);
  });

  test.each(Object.keys(COMMANDS))('%s: each numeric option says what it expected and quotes what it got', async (command) => {
    const base = COMMANDS[command] as string[];
    for (const option of await numberOptions(command)) {
      for (const [args, shown] of [
        [[option, 'abc'], '"abc"'],
        [[`${option}=`], '""'],
        [[option, '1e999'], '"1e999"'],
      ] as const) {
        const run = await runCliAsync([...base, ...args]);
        expect({ option, args, code: run.code, stdout: run.stdout }).toEqual({ option, args, code: 2, stdout: '' });
        expect(run.stderr).toMatch(new RegExp(`^exchange-ports: ${option}: expected an? [a-z ]+[^\\n]*, got ${shown.replace(/[.]/g, '\\.')}\\n$`));
      }
    }
  }, 240_000);

  test.each([
    ['--timeout=0x10', 'got "0x10"'],
    ['--timeout=12abc', 'got "12abc"'],
    ['--timeout=-5', 'got -5'],
    ['--deadline=1e-400', 'got 0'],
  ])('%s: %s', async (arg, got) => {
    const run = await runCliAsync([...(COMMANDS.scan as string[]), arg]);
    expect(run.stderr).toMatch(new RegExp(`^exchange-ports: --[a-z]+: expected a (whole )?number [^\\n]*, ${got}\\n$`));
    expect(run.code).toBe(2);
  });
});
