import { spawn } from 'node:child_process';
import { Socket } from 'node:net';

export interface SilentPort {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A listener with a backlog of 1 (Node reads 0 as its default) whose process then blocks and
 * never accepts: once filler connections fill its accept queue, the kernel drops every SYN.
 */
const LISTENER = `
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  console.log(server.address().port);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000);
});`;

/**
 * A loopback port whose connects go unanswered, as behind a firewall that drops: a real
 * listener (a child process) whose accept queue is full. `close` kills it (by its pid).
 */
export async function startSilentPort(): Promise<SilentPort> {
  const child = spawn(process.execPath, ['-e', LISTENER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  const fillers: Socket[] = [];
  let queued = true;
  while (queued && fillers.length < 8) {
    const filler = new Socket();
    filler.on('error', () => undefined);
    fillers.push(filler);
    queued = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      filler.connect(port, '127.0.0.1', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
  const close = async (): Promise<void> => {
    for (const filler of fillers) filler.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };
  if (queued) {
    await close();
    throw new Error('the accept queue never filled: no silent port');
  }
  return { port, close };
}
