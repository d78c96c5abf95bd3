import { EventEmitter } from 'node:events';
import { SIGNAL_EXIT_CODES, stopSignals, trapSignals } from '../../src/cli/signals.js';

/** Just enough of a process for the trap: signal events, a pid, kill and exit. */
function fakeProcess() {
  const emitter = new EventEmitter() as EventEmitter & {
    pid: number;
    kills: Array<[number, string]>;
    exits: number[];
    kill(pid: number, signal: string): boolean;
    exit(code: number): void;
  };
  emitter.pid = 4242;
  emitter.kills = [];
  emitter.exits = [];
  emitter.kill = (pid, signal) => (emitter.kills.push([pid, signal]), true);
  emitter.exit = (code) => void emitter.exits.push(code);
  return emitter;
}

const ALL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
const listening = (proc: EventEmitter): string[] => ALL_SIGNALS.filter((name) => proc.listenerCount(name) > 0);

describe('signal trap', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s aborts the scan with the signal as reason and gives 128 + signal number', (name) => {
    const proc = fakeProcess();
    const trap = trapSignals(proc as unknown as NodeJS.Process, 'linux');
    expect(trap.signal.aborted).toBe(false);
    expect(trap.exitCode()).toBeUndefined();
    proc.emit(name);
    expect(trap.signal.aborted).toBe(true);
    expect(trap.signal.reason).toBe(name);
    expect(trap.stoppedBy()).toBe(name);
    expect(trap.exitCode()).toBe(SIGNAL_EXIT_CODES[name]);
    expect(proc.kills).toEqual([]);
    trap.dispose();
    expect(listening(proc)).toEqual([]);
  });

  it('the table: 128 + the signal number (SIGHUP 1, SIGINT 2, SIGTERM 15, and SIGBREAK 21 as Windows numbers it)', () => {
    expect(SIGNAL_EXIT_CODES).toEqual({ SIGHUP: 129, SIGINT: 130, SIGTERM: 143, SIGBREAK: 149 });
  });

  it('Linux: Ctrl-C, kill (SIGTERM) and a closed terminal (SIGHUP); no SIGBREAK there', () => {
    const proc = fakeProcess();
    trapSignals(proc as unknown as NodeJS.Process, 'linux');
    expect(listening(proc)).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
    expect(stopSignals('darwin')).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
  });

  it('Windows: Ctrl-C, Ctrl-Break (SIGBREAK) and a closed console window (SIGHUP); never SIGTERM, which Windows does not send', () => {
    const proc = fakeProcess();
    const trap = trapSignals(proc as unknown as NodeJS.Process, 'win32');
    expect(listening(proc)).toEqual(['SIGINT', 'SIGHUP', 'SIGBREAK']);
    proc.emit('SIGBREAK');
    expect(trap.signal.reason).toBe('SIGBREAK');
    expect(trap.exitCode()).toBe(149);
  });

  it('Windows: a second signal ends the process with the exit code (process.kill cannot raise SIGHUP or SIGBREAK there)', () => {
    const proc = fakeProcess();
    const trap = trapSignals(proc as unknown as NodeJS.Process, 'win32');
    proc.emit('SIGHUP');
    proc.emit('SIGHUP');
    expect(proc.kills).toEqual([]);
    expect(proc.exits).toEqual([129]);
    expect(listening(proc)).toEqual([]);
    expect(trap.exitCode()).toBe(129);
  });

  it('a second signal gets the default behaviour, so a stuck scan can still be stopped', () => {
    const proc = fakeProcess();
    const trap = trapSignals(proc as unknown as NodeJS.Process, 'linux');
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
