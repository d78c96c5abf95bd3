import { spawn } from 'node:child_process';
import { BIN, ROOT, type Run } from './cli.js';

/**
 * Runs the built CLI (under `prefix`, e.g. `ip netns exec NAME`) and sends it `signal`
 * after `afterMs`, when the scan is under way, and not before `ready` (say, a server saw the
 * probe) has resolved. Killed after 30 s whatever happens.
 */
export function runCliSignalled(
  args: string[],
  options: { prefix?: string[]; signal?: NodeJS.Signals; afterMs?: number; ready?: Promise<unknown> } = {},
): Promise<Run> {
  const [command, ...rest] = [...(options.prefix ?? []), process.execPath, BIN, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, rest, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = options.ready ?? Promise.resolve();
    const send = options.signal ? setTimeout(() => void ready.then(() => child.kill(options.signal)), options.afterMs ?? 1500) : undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(send);
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}
