import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Runs a command that may exit non-zero (a lab scan exits 1: it has built-in faults). */
async function runAny(file: string, args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(file, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '' };
  }
}

/** What every lab scan must show, however it was installed. */
function expectLabScan(scan: { code: number; stdout: string }): void {
  expect(scan.stdout).toMatch(/\bdown\b.*client\.pop3/i);
  expect(scan.stdout).toMatch(/\bpass\b.*edge\.edgesync/i);
  expect(scan.code).toBe(1);
}

const flowIds = (json: string): string[] =>
  (JSON.parse(json) as { tables: { flows: { id: string }[] }[] }).tables.flatMap((table) => table.flows.map((flow) => flow.id));

let packDirectory: string;
let installDirectory: string;
let bundleDirectory: string;

beforeAll(async () => {
  packDirectory = await mkdtemp(join(tmpdir(), 'exchange-ports-pack-'));
  installDirectory = await mkdtemp(join(tmpdir(), 'exchange-ports-install-'));
  bundleDirectory = await mkdtemp(join(tmpdir(), 'exchange-ports-bundle-'));
  // npm test has compiled dist/; rebuilding it here (prepack) would rewrite files that tests
  // running alongside are loading, so only the bundle is made, and pack skips its scripts.
  await run(process.execPath, [join(ROOT, 'esbuild.config.mjs')], { cwd: ROOT });
  await run(npm, ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDirectory], { cwd: ROOT });
}, 120_000);

afterAll(async () => {
  for (const directory of [packDirectory, installDirectory, bundleDirectory]) {
    if (directory) await rm(directory, { recursive: true, force: true });
  }
});

describe('distribution', () => {
  test('npm pack installs into an empty project and runs with npx', async () => {
    const [tarball] = (await readdir(packDirectory)).filter((name) => name.endsWith('.tgz'));
    expect(tarball).toMatch(/^exchange-ports-\d+\.\d+\.\d+\.tgz$/);
    await writeFile(join(installDirectory, 'package.json'), '{ "name": "try-exchange-ports", "private": true }\n');
    await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(packDirectory, tarball ?? '')], { cwd: installDirectory });
    const { stdout } = await run(npx, ['--no-install', 'exchange-ports', '--version'], { cwd: installDirectory });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const ports = await run(npx, ['--no-install', 'exchange-ports', 'ports', '--format', 'json'], { cwd: installDirectory });
    expect(flowIds(ports.stdout)).toContain('edge.edgesync');
    expectLabScan(await runAny(npx, ['--no-install', 'exchange-ports', 'lab', '--scan'], installDirectory));
  }, 120_000);

  test("the README's global install of the packed tarball works as written (into a private prefix)", async () => {
    const [tarball] = (await readdir(packDirectory)).filter((name) => name.endsWith('.tgz'));
    expect(await readFile(join(ROOT, 'README.md'), 'utf8')).toContain(`npm install -g ./${tarball}`);
    const prefix = join(installDirectory, 'global');
    await run(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`], { cwd: packDirectory });
    const installed = process.platform === 'win32' ? join(prefix, 'exchange-ports.cmd') : join(prefix, 'bin', 'exchange-ports');
    const { stdout } = await run(installed, ['--version'], { cwd: installDirectory });
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expectLabScan(await runAny(installed, ['lab', '--scan'], installDirectory));
  }, 120_000);

  test('the single-file build runs alone, with no node_modules', async () => {
    const bundle = join(bundleDirectory, 'exchange-ports.mjs');
    await copyFile(join(ROOT, 'dist', 'exchange-ports.mjs'), bundle);
    expect(await readdir(bundleDirectory)).toEqual(['exchange-ports.mjs']);
    const version = await run(process.execPath, [bundle, '--version'], { cwd: bundleDirectory });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(version.stdout.trim()).not.toBe('0.0.0');
    const ports = await run(process.execPath, [bundle, 'ports', '--format', 'json'], { cwd: bundleDirectory });
    expect(flowIds(ports.stdout)).toContain('edge.edgesync');
    expectLabScan(await runAny(process.execPath, [bundle, 'lab', '--scan'], bundleDirectory));
  }, 60_000);
});
