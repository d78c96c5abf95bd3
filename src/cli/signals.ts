/** Exit codes for a scan stopped by a signal: 128 + the signal number, as shells report it. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

export interface SignalTrap {
  /** Aborted with the signal's name ('SIGINT' or 'SIGTERM') as its reason. */
  readonly signal: AbortSignal;
  /** The signal that stopped the scan, if any. */
  stoppedBy(): StopSignal | undefined;
  /** The exit code the scan should end with when a signal stopped it. */
  exitCode(): number | undefined;
  /** Puts the default handlers back. */
  dispose(): void;
}

/**
 * The first SIGINT/SIGTERM aborts the scan (which then prints and writes its partial
 * result); a second one gets the default behaviour, so a stuck process can still be killed.
 */
export function trapSignals(target: NodeJS.Process = process): SignalTrap {
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const handlers = new Map<StopSignal, () => void>();
  const dispose = (): void => {
    for (const [name, handler] of handlers) target.removeListener(name, handler);
    handlers.clear();
  };
  for (const name of Object.keys(SIGNAL_EXIT_CODES) as StopSignal[]) {
    const handler = (): void => {
      if (stoppedBy !== undefined) {
        dispose();
        target.kill(target.pid, name);
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
 * Ctrl-C or SIGTERM in that moment is kept for the command instead of killing the process.
 */
export function trapSignalsEarly(target: NodeJS.Process = process): void {
  early ??= trapSignals(target);
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
export function releaseEarlyTrap(target: NodeJS.Process = process): void {
  const trap = early;
  early = undefined;
  if (!trap) return;
  trap.dispose();
  const signal = trap.stoppedBy();
  if (signal !== undefined) target.kill(target.pid, signal);
}
