import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin/exchange-ports.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist/exchange-ports.mjs'))) throw new Error('run `npm run build` first: the CLI tests run the built binary');
}

/** Runs the built CLI synchronously (for commands that send no packets to servers in this process). */
export function runCli(args: string[], options: { cwd?: string; prefix?: string[] } = {}): Run {
  const [command, ...rest] = [...(options.prefix ?? []), process.execPath, BIN, ...args];
  const result = spawnSync(command as string, rest, { cwd: options.cwd ?? ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the built CLI without blocking this process, so servers started by the test keep answering. `env` is the whole environment, when given. */
export function runCliAsync(args: string[], options: { cwd?: string; prefix?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const [command, ...rest] = [...(options.prefix ?? []), process.execPath, BIN, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, rest, { cwd: options.cwd ?? ROOT, env: options.env ?? { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
