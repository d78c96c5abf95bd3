// A process run inside a namespace under /usr/bin/time: its stdout, wall seconds and peak RSS.
import { spawn } from 'node:child_process';

/** Process groups of the measured runs, killed if the bench is stopped (`time` does not pass signals on). */
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Resolves {stdout, seconds, rssMb}; rejects when the command exits non-zero (unless `exitCodes` allows it). */
export function measured(namespace, command, args, input, { exitCodes = [0] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', namespace.name, '/usr/bin/time', '-f', 'XPE-TIME %e %M %x', command, ...args], { detached: true });
    running.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', () => {
      running.delete(child.pid);
      const match = /XPE-TIME ([\d.]+) (\d+) (-?\d+)/.exec(stderr);
      if (!match || !exitCodes.includes(Number(match[3]))) reject(new Error(`${command} exited with ${match?.[3] ?? 'no status'}: ${stderr}`));
      else resolve({ stdout, seconds: Number(match[1]), rssMb: Number(match[2]) / 1024 });
    });
    child.stdin.end(input ?? '');
  });
}
