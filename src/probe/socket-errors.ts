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

/**
 * Errors this machine raises itself, before a packet leaves: no route in its own table, its
 * own firewall, an address it does not have. They say nothing about the network.
 */
const LOCAL_CODES: Readonly<Record<string, string>> = {
  ENETUNREACH: 'no route to it from this machine',
  EHOSTUNREACH: 'no route to it from this machine',
  EACCES: 'refused by this machine (a prohibit route or its firewall)',
  EPERM: "refused by this machine's firewall",
  EINVAL: 'no route to it from this machine (a blackhole route)',
  EADDRNOTAVAIL: 'no local address to send from',
  EAFNOSUPPORT: 'this machine has no network stack for this address family',
  EADDRINUSE: 'no free local port to send from',
  ENOBUFS: 'this machine is out of socket buffers',
  ENOMEM: 'this machine is out of memory for sockets',
  ENETDOWN: "this machine's network interface is down",
};

/** The words for a local error, or undefined when the code is not one this machine raises. */
export function localReason(code: string | undefined): string | undefined {
  return code ? LOCAL_CODES[code] : undefined;
}

/** Where the error came from, when the caller found out (see local-route.ts). */
export interface ErrorContext {
  /** The address family probed: ICMPv6 admin-prohibited arrives as EACCES. */
  readonly family?: 4 | 6;
  /** The code this machine's own route lookup gave for the address; undefined when it has a route. */
  readonly routeMissing?: string;
  /** process.platform, injectable for tests: on Windows EACCES is the local firewall. */
  readonly platform?: NodeJS.Platform;
}

/** ICMP errors from the network, when this machine has a route: routers and firewalls on the path answered. */
const ICMP_UNREACHABLE: Readonly<Record<string, string>> = {
  EHOSTUNREACH: 'ICMP host unreachable or administratively prohibited',
  ENETUNREACH: 'ICMP network unreachable',
};

/** Codes only this machine raises: nothing was sent, or what was sent says nothing about the target. */
const ALWAYS_LOCAL: ReadonlySet<string> = new Set(['EPERM', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EADDRINUSE', 'ENOBUFS', 'ENOMEM', 'ENETDOWN']);

/** Codes a route lookup tells apart: raised by this machine's routing (no route, prohibit, blackhole) or by an ICMP answer. */
export const ROUTE_DEPENDENT: ReadonlySet<string> = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EACCES', 'EINVAL']);

/** The process ran out of file descriptors: not a fact about the target, so never reported as one. */
export const isOutOfDescriptors = (code: string | undefined): boolean => code === 'EMFILE' || code === 'ENFILE';

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const notProbed = (reason: string, code: string): SocketErrorMeaning => ({ state: 'error', error: `not probed: ${reason} (${code})`, answered: false, code });

/**
 * `refused` is what ECONNREFUSED means on this transport: a TCP reset or, on a connected
 * UDP socket, ICMP port unreachable. Both say `closed`. Errors this machine raised itself
 * are `not probed: <reason>` with no round trip, never a state of the port.
 */
export function meaningOf(error: unknown, refused: string, context: ErrorContext = {}): SocketErrorMeaning {
  const code = errorCode(error);
  const withCode = code ? { code } : {};
  if (code === 'ECONNREFUSED') return { state: 'closed', error: refused, answered: true, ...withCode };
  if (code === 'ECONNRESET') return { state: 'closed', error: 'connection reset', answered: true, ...withCode };
  if (isOutOfDescriptors(code)) return { state: 'error', error: `${code}: out of file descriptors`, answered: false, ...withCode };
  if (code && context.routeMissing !== undefined && ROUTE_DEPENDENT.has(code)) {
    return notProbed(localReason(context.routeMissing) ?? 'no route to it from this machine', code);
  }
  if (code && ALWAYS_LOCAL.has(code)) return notProbed(localReason(code) ?? 'this machine could not send it', code);
  if (code === 'EACCES') {
    if ((context.platform ?? process.platform) === 'win32') return notProbed("refused by this machine's firewall", code);
    const icmp = context.family === 4 ? 'ICMP admin-prohibited' : 'ICMPv6 admin-prohibited';
    return { state: 'filtered', error: `refused by a router or firewall on the path (${icmp}) (${code})`, answered: true, code };
  }
  const icmp = code ? ICMP_UNREACHABLE[code] : undefined;
  if (icmp) return { state: 'filtered', error: `${icmp} (${code})`, answered: true, ...withCode };
  const message = error instanceof Error ? error.message : String(error);
  return { state: 'error', error: code && !message.includes(code) ? `${code}: ${message}` : message, answered: false, ...withCode };
}

/** Why a probe stopped early, for its observation. */
export function abortText(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (typeof reason === 'string') return `cancelled (${reason})`;
  return 'cancelled';
}
