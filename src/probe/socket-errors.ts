import type { ObservedState } from '../model/types.js';

/** What an errno from connect/send says about the port, as nmap reads it. */
export interface SocketErrorMeaning {
  readonly state: ObservedState;
  readonly error: string;
  /** True when the error is an answer from the network (RST or ICMP): it carries a round trip. */
  readonly answered: boolean;
  /** The system error code (ECONNREFUSED, EMFILE, ...), for the engine to act on without reading text. */
  readonly code?: string;
}

const ICMP_UNREACHABLE: Readonly<Record<string, string>> = {
  EHOSTUNREACH: 'ICMP host unreachable or administratively prohibited',
  ENETUNREACH: 'ICMP network unreachable',
  EACCES: 'blocked by a local firewall rule',
  EPERM: 'blocked by a local firewall rule',
};

/** The process ran out of file descriptors: not a fact about the target, so never reported as one. */
export const isOutOfDescriptors = (code: string | undefined): boolean => code === 'EMFILE' || code === 'ENFILE';

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * `refused` is what ECONNREFUSED means on this transport: a TCP reset or, on a connected
 * UDP socket, ICMP port unreachable. Both say `closed`.
 */
export function meaningOf(error: unknown, refused: string): SocketErrorMeaning {
  const code = errorCode(error);
  const withCode = code ? { code } : {};
  if (code === 'ECONNREFUSED') return { state: 'closed', error: refused, answered: true, ...withCode };
  if (code === 'ECONNRESET') return { state: 'closed', error: 'connection reset', answered: true, ...withCode };
  if (isOutOfDescriptors(code)) return { state: 'error', error: `${code}: out of file descriptors`, answered: false, ...withCode };
  const icmp = code ? ICMP_UNREACHABLE[code] : undefined;
  if (icmp) return { state: 'filtered', error: `${icmp} (${code})`, answered: code !== 'EACCES' && code !== 'EPERM', ...withCode };
  const message = error instanceof Error ? error.message : String(error);
  return { state: 'error', error: code && !message.includes(code) ? `${code}: ${message}` : message, answered: false, ...withCode };
}

/** Why a probe stopped early, for its observation. */
export function abortText(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string') return `cancelled (${reason})`;
  return 'cancelled';
}
