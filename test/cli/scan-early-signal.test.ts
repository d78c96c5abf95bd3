import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, requireBuild, ROOT } from '../helpers/cli.js';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Started {
  pid: number;
  done: Promise<Exit>;
}

/** The built CLI, killed after 30 s whatever happens. */
function start(args: string[], options: { nodeArgs?: string[]; env?: Record<string, string> } = {}): Started {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const done = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { pid: child.pid as number, done };
}

/** True when one of the process's threads is blocked opening a FIFO no reader has opened yet (Linux). */
function blockedOnFifo(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((task) => readFileSync(`/proc/${pid}/task/${task}/wchan`, 'utf8').trim() === 'wait_for_partner');
  } catch {
    return false;
  }
}

interface SavedResult {
  partial: boolean;
  checks: Array<{ observed: { error?: string } }>;
}

describe('a signal while the CLI loads, and while it writes the result (built CLI, loopback)', () => {
  let dir: string;
  let topology: string;
  beforeAll(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'xpi-early-signal-'));
    // Nothing listens on 127.0.0.1 at the Mailbox ports: each check is refused at once.
    topology = join(dir, 'loop.yaml');
    writeFileSync(topology, 'organization: loop\nhosts:\n  mailbox:\n    - { name: mbx01.loop.test, address: 127.0.0.1 }\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s before any command is loaded: exit %i with the partial result, not death by the signal', async (signal, code) => {
    const out = join(dir, `${signal}.json`);
    const run = await start(['scan', '-t', topology, '--from', 'client', '--quiet', '--format', 'json', '--out', out, '--format', 'table'], {
      nodeArgs: ['--import', new URL('../helpers/signal-on-first-argv.mjs', import.meta.url).href],
      env: { EXCHANGE_PORTS_TEST_SIGNAL: signal },
    }).done;
    expect({ code: run.code, signal: run.signal }).toEqual({ code, signal: null });
    expect(run.stdout).toContain('PARTIAL: the scan was cut short');
    const result = JSON.parse(readFileSync(out, 'utf8')) as SavedResult;
    expect(result.partial).toBe(true);
    expect(result.checks.length).toBeGreaterThan(0);
  });

  it('SIGTERM while the result is written to a FIFO nobody reads yet: the whole result, said whole, and its own exit code', async () => {
    const fifo = join(dir, 'result.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const run = start(['scan', '-t', topology, '--from', 'client', '--quiet', '--format', 'json', '--out', fifo, '--format', 'table']);
    // The scan is over and the writer waits for a reader: the result is being written.
    for (let i = 0; i < 600 && !blockedOnFifo(run.pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(blockedOnFifo(run.pid)).toBe(true);
    process.kill(run.pid, 'SIGTERM');
    // A slow reader: it comes after the signal, if the CLI is still there to write to it.
    const early = await Promise.race([run.done, new Promise<undefined>((r) => setTimeout(r, 300))]);
    expect(early).toBeUndefined();
    const reader = await open(fifo, 'r');
    const text = await reader.readFile('utf8');
    await reader.close();
    const exit = await run.done;
    const result = JSON.parse(text) as SavedResult;
    expect(result.partial).toBe(false);
    for (const check of result.checks) expect(check.observed.error ?? '').not.toContain('cut short');
    expect(exit.signal).toBeNull();
    expect([0, 1]).toContain(exit.code);
    expect(exit.stdout).not.toContain('PARTIAL');
    expect(exit.stdout).toContain('mbx01.loop.test');
  });
});
