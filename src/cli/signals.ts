/**
 * Exit codes for a scan stopped by a signal: 128 + the signal number, as shells report it
 * (SIGBREAK is 21 on Windows, where Node has it).
 */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGBREAK: 149 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/**
 * The signals that stop a scan with its partial result. Everywhere: Ctrl-C (SIGINT) and a closed
 * terminal or console window (SIGHUP; Windows ends the process about ten seconds later). On
 * Windows also Ctrl-Break; Windows never sends SIGTERM (Task Scheduler's "End" and taskkill /F
 * end the process outright), elsewhere SIGTERM is how `kill`, systemd and timeout stop it.
 */
export function stopSignals(platform: NodeJS.Platform): StopSignal[] {
  return platform === 'win32' ? ['SIGINT', 'SIGBREAK', 'SIGHUP'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
}

export interface SignalTrap {
  /** Aborted with the signal's name ('SIGINT', 'SIGHUP', ...) as its reason. */
  readonly signal: AbortSignal;
  /** The signal that stopped the scan, if any. */
  stoppedBy(): StopSignal | undefined;
  /** The exit code the scan should end with when a signal stopped it. */
  exitCode(): number | undefined;
  /** Puts the default handlers back. */
  dispose(): void;
}

/**
 * What the signal would have done without a handler. Windows cannot send itself SIGHUP or
 * SIGBREAK (process.kill throws ENOSYS there): the process ends with the signal's exit code.
 */
function actAsDefault(target: NodeJS.Process, name: StopSignal, platform: NodeJS.Platform): void {
  if (platform === 'win32') target.exit(SIGNAL_EXIT_CODES[name]);
  else target.kill(target.pid, name);
}

/**
 * The first stop signal aborts the scan (which then prints and writes its partial result); a
 * second one gets the default behaviour, so a stuck process can still be killed.
 */
export function trapSignals(target: NodeJS.Process = process, platform: NodeJS.Platform = process.platform): SignalTrap {
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const handlers = new Map<StopSignal, () => void>();
  const dispose = (): void => {
    for (const [name, handler] of handlers) target.removeListener(name, handler);
    handlers.clear();
  };
  for (const name of stopSignals(platform)) {
    const handler = (): void => {
      if (stoppedBy !== undefined) {
        dispose();
        actAsDefault(target, name, platform);
        return;
      }
      stoppedBy = name;
      controller.abort(name);
    };
    handlers.set(name, handler);
    target.on(name, handler);
  }
  return {
    signal: controller.signal,
    stoppedBy: () => stoppedBy,
    exitCode: () => (stoppedBy ? SIGNAL_EXIT_CODES[stoppedBy] : undefined),
    dispose,
  };
}

/**
 * After a cut scan has written its result, something the engine could not cancel (a system
 * resolver lookup, a prober deaf to its signal) may still hold the event loop. This ends the
 * process `graceMs` later with the exit code already set, and never sooner: the timer does
 * not keep the process alive by itself.
 */
export function leaveWithin(graceMs: number, target: NodeJS.Process = process): void {
  setTimeout(() => target.exit(), graceMs).unref();
}

let early: SignalTrap | undefined;

/**
 * Installed by the entry point before it loads the rest of the tool (which takes a moment): a
 * stop signal in that moment is kept for the command instead of killing the process.
 */
export function trapSignalsEarly(target: NodeJS.Process = process, platform: NodeJS.Platform = process.platform): void {
  early ??= trapSignals(target, platform);
}

/** The trap for a command that stops gracefully (scan, lab): the early one, with any signal it caught. */
export function takeSignalTrap(target: NodeJS.Process = process): SignalTrap {
  const trap = early ?? trapSignals(target);
  early = undefined;
  return trap;
}

/**
 * For every other command: the default behaviour back. A signal that came while the tool was
 * loading is acted on now, as it would have been without the early trap.
 */
export function releaseEarlyTrap(target: NodeJS.Process = process, platform: NodeJS.Platform = process.platform): void {
  const trap = early;
  early = undefined;
  if (!trap) return;
  trap.dispose();
  const signal = trap.stoppedBy();
  if (signal !== undefined) actAsDefault(target, signal, platform);
}
