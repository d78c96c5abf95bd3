import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, requireBuild, ROOT, runCli } from '../helpers/cli.js';

/**
 * The README's commands must work as written (issue 10, item 13): every exchange-ports
 * invocation in its code blocks uses only options its command has, and those that need no
 * network (init, plan, ports, report, diff, merge on files) run through the built CLI, in the
 * README's order, in a directory holding the files they name.
 */
const COMMANDS = ['ports', 'init', 'plan', 'scan', 'report', 'diff', 'merge', 'smtp', 'lab'];
const OFFLINE = new Set(['ports', 'init', 'plan', 'report', 'diff', 'merge']);

interface Invocation {
  readonly command: string;
  /** The command line as the README writes it, continuation lines joined. */
  readonly line: string;
  readonly shell: boolean;
}

function invocations(): Invocation[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const found: Invocation[] = [];
  for (const block of readme.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)) {
    const [, language, body] = block as unknown as [string, string, string];
    // Shell continuations, and YAML's folded lines that go on with more options.
    const lines = (body as string).replace(/\\\n\s*/g, ' ').replace(/\n\s+(?=--)/g, ' ').split('\n');
    for (const line of lines) {
      const at = /(?:^|[\s"/'\\])exchange-ports(?:\.exe)?"?,?\s+"?([a-z]+)"?/.exec(line);
      if (!at || !COMMANDS.includes(at[1] as string)) continue;
      found.push({ command: at[1] as string, line: line.slice(at.index).replace(/\s+#.*$/, ''), shell: language === 'sh' });
    }
  }
  return found;
}

const helpOf = new Map<string, string>();
function optionsOf(command: string): Set<string> {
  if (!helpOf.has(command)) helpOf.set(command, runCli([command, '--help']).stdout);
  return new Set((helpOf.get(command) as string).match(/--[a-z][a-z-]*/g));
}

describe('the README, through the built CLI', () => {
  const all = invocations();
  let dir: string;
  beforeAll(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'xpi-readme-'));
    // The files the README's commands name, from the fixtures: results from two vantages, a before and an after.
    mkdirSync(join(dir, 'results'));
    copyFileSync(join(ROOT, 'fixtures/results/mbx01.json'), join(dir, 'results/mbx01.json'));
    copyFileSync(join(ROOT, 'fixtures/results/internet.json'), join(dir, 'results/internet.json'));
    copyFileSync(join(ROOT, 'fixtures/results/before.json'), join(dir, 'before.json'));
    copyFileSync(join(ROOT, 'fixtures/results/after.json'), join(dir, 'after.json'));
    // `exchange-ports` on the PATH: the built CLI.
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin/exchange-ports'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, { mode: 0o755 });
    const lastWeek = runCli(['merge', 'results/mbx01.json', 'results/internet.json', '--format', 'json', '--out', 'org-last-week.json'], { cwd: dir });
    expect(lastWeek.stderr).toBe('');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the README shows every command, the install and the outside vantage as it should', () => {
    expect([...new Set(all.map((i) => i.command))]).toEqual(expect.arrayContaining(['ports', 'init', 'plan', 'scan', 'report', 'diff', 'merge']));
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm install -g ./exchange-ports-0.1.0.tgz');
    expect(readme).toContain('npm ci');
    expect(readme).toMatch(/`npm start` ends with exit code 1/);
    // The registry command only as what will work once published.
    for (const line of readme.split('\n').filter((l) => l.includes('npm install -g exchange-ports'))) expect(line).toMatch(/once (it is |the package is )?published/i);
    expect(all.some((i) => i.command === 'scan' && i.line.includes('--from internet'))).toBe(true);
    // Monitoring: the Nagios size limit and the older NRPE that cuts at 1 KB are said.
    expect(readme).toMatch(/stays under 4 KB/);
    expect(readme).toMatch(/NRPE before 3\.0 truncates at 1 KB/);
  });

  test('every option a README command uses exists in that command\'s --help', () => {
    expect(all.length).toBeGreaterThan(20);
    const unknown: string[] = [];
    for (const { command, line } of all) {
      const options = optionsOf(command);
      for (const flag of line.match(/(?<=^|[\s"'])--[a-z][a-z-]*/g) ?? []) {
        const positive = flag.replace(/^--no-/, '--');
        if (!options.has(flag) && !options.has(positive)) unknown.push(`${command} ${flag}: ${line}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  test('the commands that need no network run as written, in order (exit 0 or 1)', () => {
    const runnable = all.filter((i) => i.shell && OFFLINE.has(i.command) && !/[$]|\/etc\/|\/var\//.test(i.line));
    expect(runnable.map((i) => i.command)).toEqual(expect.arrayContaining(['init', 'plan', 'ports', 'diff', 'merge']));
    for (const { line } of runnable) {
      const run = spawnSync('sh', ['-c', line], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` } });
      expect({ line, ok: run.status === 0 || run.status === 1, stderr: run.stderr }).toEqual({ line, ok: true, stderr: '' });
    }
  });
});
