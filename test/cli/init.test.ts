import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTopology } from '../../src/topology/load.js';
import { renderTemplate } from '../../src/topology/template.js';
import { requireBuild, runCli } from '../helpers/cli.js';


const run = (args: string[], cwd: string) => runCli(args, { cwd });

describe('exchange-ports init (built CLI)', () => {
  let dir: string;
  beforeAll(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'exchange-ports-init-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('prints the template, without and with --edge', () => {
    expect(run(['init'], dir)).toEqual({ code: 0, stdout: renderTemplate({ edge: false }), stderr: '' });
    expect(run(['init', '--edge'], dir)).toEqual({ code: 0, stdout: renderTemplate({ edge: true }), stderr: '' });
  });

  test('writes the template with --out; the file validates', async () => {
    const result = run(['init', '--edge', '--out', 'topology.yaml'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('wrote topology.yaml');
    const file = join(dir, 'topology.yaml');
    expect(readFileSync(file, 'utf8')).toBe(renderTemplate({ edge: true }));
    expect((await loadTopology(file)).features.edge).toBe(true);
  });

  test('refuses to overwrite an existing file: one line, exit 2, the file untouched', () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, 'organization: mine\n');
    expect(run(['init', '--out', 'mine.yaml'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'exchange-ports: mine.yaml already exists (use --force to overwrite it)\n',
    });
    expect(readFileSync(file, 'utf8')).toBe('organization: mine\n');
  });

  test('--force overwrites', () => {
    const file = join(dir, 'old.yaml');
    writeFileSync(file, 'organization: old\n');
    expect(run(['init', '--out', 'old.yaml', '--force'], dir).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(renderTemplate({ edge: false }));
  });

  test('a file that cannot be written is one line and exit 2', () => {
    expect(run(['init', '--out', 'no/such/dir/topology.yaml'], dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'exchange-ports: cannot write no/such/dir/topology.yaml: no such file or directory\n',
    });
    expect(run(['init', '--out', '.'], dir)).toEqual({ code: 2, stdout: '', stderr: 'exchange-ports: cannot write .: is a directory\n' });
  });
});
