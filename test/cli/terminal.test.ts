import { spawnSync } from 'node:child_process';
import { BIN, requireBuild, runCli } from '../helpers/cli.js';
import { RESULTS } from '../helpers/report-fixtures.js';

// The table's terminal mode is chosen by the CLI from a real terminal on standard output: run the
// built CLI on a pseudo-terminal (script, from Debian's essential bsdutils) of 80 columns, and through a pipe.
const RESULT = `${RESULTS}mbx01.json`;

function onTerminal(columns: number, args: string[]): { code: number | null; lines: string[] } {
  const quoted = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  const run = spawnSync('script', ['-qec', `stty cols ${columns} rows 50; ${quoted}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, lines: run.stdout.replace(/\r/g, '').split('\n') };
}

beforeAll(requireBuild);

describe('report on a terminal of 80 columns (a pseudo-terminal)', () => {
  test('problems listed, passes counted per block, no line wider than the terminal; a pipe lists every row', () => {
    const terminal = onTerminal(80, ['report', RESULT]);
    expect(terminal.code).toBe(1);
    expect(terminal.lines.some((line) => /^ {2}\d+ more pass \(--all lists them\)$/.test(line))).toBe(true);
    expect(terminal.lines.filter((line) => /^ {2}PASS /.test(line))).toEqual([]);
    for (const line of terminal.lines) expect(line.length).toBeLessThanOrEqual(80);

    const piped = runCli(['report', RESULT]);
    expect(piped.stdout).not.toMatch(/more pass/);
    expect(piped.stdout.split('\n').filter((line) => /^ {2}PASS /.test(line)).length).toBeGreaterThan(3);
  });

  test('--all lists every row on the terminal too', () => {
    const all = onTerminal(80, ['report', RESULT, '--all']);
    expect(all.lines.some((line) => /more pass/.test(line))).toBe(false);
    expect(all.lines.filter((line) => /^ {2}PASS /.test(line)).length).toBeGreaterThan(3);
  });
});
