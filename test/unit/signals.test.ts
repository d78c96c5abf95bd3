import { EventEmitter } from 'node:events';
import { SIGNAL_EXIT_CODES, trapSignals } from '../../src/cli/signals.js';

/** Just enough of a process for the trap: signal events, a pid, and kill. */
function fakeProcess() {
  const emitter = new EventEmitter() as EventEmitter & { pid: number; kills: Array<[number, string]>; kill(pid: number, signal: string): boolean };
  emitter.pid = 4242;
  emitter.kills = [];
  emitter.kill = (pid, signal) => (emitter.kills.push([pid, signal]), true);
  return emitter;
}

describe('signal trap', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s aborts the scan with the signal as reason and gives 128 + signal number', (name) => {
    const proc = fakeProcess();
    const trap = trapSignals(proc as unknown as NodeJS.Process);
    expect(trap.signal.aborted).toBe(false);
    expect(trap.exitCode()).toBeUndefined();
    proc.emit(name);
    expect(trap.signal.aborted).toBe(true);
    expect(trap.signal.reason).toBe(name);
    expect(trap.stoppedBy()).toBe(name);
    expect(trap.exitCode()).toBe(SIGNAL_EXIT_CODES[name]);
    expect(proc.kills).toEqual([]);
    trap.dispose();
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('a second signal gets the default behaviour, so a stuck scan can still be stopped', () => {
    const proc = fakeProcess();
    const trap = trapSignals(proc as unknown as NodeJS.Process);
    proc.emit('SIGINT');
    proc.emit('SIGINT');
    expect(proc.kills).toEqual([[4242, 'SIGINT']]);
    expect(proc.listenerCount('SIGINT')).toBe(0);
    expect(trap.exitCode()).toBe(130);
  });
});

describe('leaveWithin', () => {
  it('ends a process held open by something uncancellable, with the exit code already set', async () => {
    const { execFile } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const signals = fileURLToPath(new URL('../../dist/cli/signals.js', import.meta.url));
    const script = `import { leaveWithin } from ${JSON.stringify(signals)}; setInterval(() => undefined, 1000); process.exitCode = 130; leaveWithin(100);`;
    const code = await new Promise<number | null>((resolve) => execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 }).on('exit', resolve));
    expect(code).toBe(130);
  });
});
