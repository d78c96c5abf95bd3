/** Why a service dialogue stopped before its natural end. */
export type FailureReason = 'timeout' | 'closed' | 'reset' | 'limit' | 'malformed' | 'tls' | 'aborted' | 'error';

/** A dialogue that stopped early: the phase it was in and why, as facts. */
export interface DialogueFailure {
  readonly phase: string;
  readonly reason: FailureReason;
  readonly message: string;
}

export class ProbeFailure extends Error {
  override readonly name = 'ProbeFailure';
  constructor(
    readonly reason: FailureReason,
    readonly phase: string,
    message: string,
  ) {
    super(message);
  }

  toFacts(): DialogueFailure {
    return { phase: this.phase, reason: this.reason, message: this.message };
  }
}

/** Turns anything thrown during a dialogue into facts; unknown errors keep their message. */
export function failureFacts(error: unknown, phase: string): DialogueFailure {
  if (error instanceof ProbeFailure) return error.toFacts();
  const message = error instanceof Error ? error.message : String(error);
  return { phase, reason: 'error', message: `${phase}: ${message}` };
}

/** A point in time by which a phase must be over. */
export interface Deadline {
  readonly phase: string;
  readonly ms: number;
  readonly at: number;
}

export function deadline(phase: string, ms: number, now: number = performance.now()): Deadline {
  return { phase, ms, at: now + ms };
}

export function timedOut(d: Deadline): ProbeFailure {
  return new ProbeFailure('timeout', d.phase, `timed out waiting for the ${d.phase} after ${d.ms} ms`);
}

/**
 * The caller's signal plus the whole-session limit: whichever comes first ends the dialogue.
 * `dispose` clears the session timer.
 */
export function sessionSignal(signal: AbortSignal, sessionMs: number): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new ProbeFailure('timeout', 'session', `session limit of ${sessionMs} ms reached`)),
    sessionMs,
  );
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}

/** The failure that an aborted signal stands for. */
export function abortFailure(signal: AbortSignal, phase: string): ProbeFailure {
  const reason: unknown = signal.reason;
  if (reason instanceof ProbeFailure) return reason;
  return new ProbeFailure('aborted', phase, `aborted during the ${phase}`);
}

/** Runs `work` until `d` or the signal ends it; `cleanup` runs when it is cut short. */
export function within<T>(d: Deadline, signal: AbortSignal, work: Promise<T>, cleanup: () => void): Promise<T> {
  if (signal.aborted) {
    cleanup();
    return Promise.reject(abortFailure(signal, d.phase));
  }
  return new Promise<T>((resolve, reject) => {
    const stop = (failure: ProbeFailure): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      cleanup();
      reject(failure);
    };
    const onAbort = (): void => stop(abortFailure(signal, d.phase));
    const timer = setTimeout(() => stop(timedOut(d)), Math.max(0, d.at - performance.now()));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
