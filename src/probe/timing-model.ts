import { addRoundTrip, NO_ROUND_TRIPS, timeoutFor, type RoundTripState } from './timing.js';

/**
 * The engine's timing and retry model, pure: what it has seen of each host (events) decides how
 * long a probe of that host waits before its silence counts, and how many tries silence gets.
 * Silence is only concluded from evidence (nmap's timing.cc and scan_engine.cc, stricter):
 *
 * - until a host has answered itself, a wait is never shorter than the initial timeout; the
 *   scan-wide estimate (other hosts) may lengthen it, never shorten it;
 * - answers from the path (a reset or ICMP error, which a middlebox near the scanner may send)
 *   never shorten the wait for the host's own answers; they may lengthen it;
 * - no wait is shorter than the slowest answer the host or its path has given, and, once the host
 *   has answered twice, none is longer than twice its slowest answer (before loss lengthens it);
 * - an answer that needed a retry (nmap's max_successful_tryno) gives that host's silent probes
 *   one more try than that, up to `maxRetries`, and their later tries wait longer; a host that
 *   answered at all takes the same from loss seen anywhere in the scan;
 * - an answer that may have needed a retransmission the probe does not see (the kernel's own SYN
 *   retransmission) counts the state, and counts as loss, but is no round trip.
 */
export type AnswerSource = 'host' | 'path';

export type TimingEvent =
  | { readonly kind: 'sent'; readonly host: string; readonly retry: number }
  | {
      readonly kind: 'answered';
      readonly host: string;
      /** `host`: the host itself spoke (TCP connect, UDP datagram); `path`: a reset or ICMP error, from the host or a middlebox. */
      readonly source: AnswerSource;
      /** 0 for a probe's first try. */
      readonly retry: number;
      /** Time from this try's send to its answer. */
      readonly rttMs: number;
      /** The answer came after the try's wait had ended (while a retry was in flight). */
      readonly late: boolean;
      /** When the transport retransmits on its own (TCP SYN: 1 s on Linux, 3 s on Windows); an answer after that is no round trip. */
      readonly retransmitsAfterMs?: number;
    }
  | { readonly kind: 'silent'; readonly host: string; readonly retry: number }
  | { readonly kind: 'retired'; readonly host: string };

export interface HostTiming {
  /** Round trips of the host's own answers. */
  readonly own: RoundTripState;
  /** Round trips of resets and ICMP errors, which may come from the path. */
  readonly path: RoundTripState;
  /** The slowest round trip the host itself answered in, ms. */
  readonly slowestMs: number;
  /** The slowest reset or ICMP error, ms. */
  readonly slowestPathMs: number;
  /** The highest try (0 = first) any probe of the host was answered on: loss evidence. */
  readonly answeredRetry: number;
  readonly sent: number;
  readonly silences: number;
  readonly lateAnswers: number;
}

export interface TimingLimits {
  readonly initialMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Retries of silence on a host with no evidence of loss. */
  readonly retries: number;
  /** The most retries loss evidence may raise that to. */
  readonly maxRetries: number;
}

/** What the whole scan has seen. */
export interface GroupTiming {
  /** Every host's own answers: lengthens the wait of hosts that have none yet. */
  readonly rtt: RoundTripState;
  /** The highest try any probe of any host was answered on: loss somewhere on the scan's paths. */
  readonly answeredRetry: number;
}

export interface ScanTiming {
  readonly group: GroupTiming;
  readonly hosts: ReadonlyMap<string, HostTiming>;
}

export const NEW_GROUP: GroupTiming = { rtt: NO_ROUND_TRIPS, answeredRetry: -1 };

export const NEW_HOST: HostTiming = { own: NO_ROUND_TRIPS, path: NO_ROUND_TRIPS, slowestMs: 0, slowestPathMs: 0, answeredRetry: -1, sent: 0, silences: 0, lateAnswers: 0 };

/** A wait is at least the slowest own answer seen, with this much room for jitter. */
const SLOWEST_MARGIN = 1.25;
/** With two answers or more, a wait never needs to exceed this many times the slowest of them. */
const SPREAD_CAP = 2;
/**
 * After loss, each retry waits this much longer than the first try (x1.25, x1.5, ...): a little
 * more room for a congested path; a longer wait does not bring a lost packet back, more tries do.
 */
const LOSS_BACKOFF = 0.25;

/** Whether an answer's round trip may be fed to the estimates. */
export function isRoundTrip(event: Extract<TimingEvent, { kind: 'answered' }>): boolean {
  return event.retransmitsAfterMs === undefined || event.rttMs < event.retransmitsAfterMs;
}

/** The try an answer shows the probe needed: one more than it was sent on when an unseen retransmission may have carried it. */
const triesNeeded = (event: Extract<TimingEvent, { kind: 'answered' }>): number => event.retry + (isRoundTrip(event) ? 0 : 1);

/** One host's timing after one event about it. Pure. */
export function nextHost(host: HostTiming, event: TimingEvent): HostTiming {
  switch (event.kind) {
    case 'sent':
      return { ...host, sent: host.sent + 1 };
    case 'silent':
      return { ...host, silences: host.silences + 1 };
    case 'retired':
      return host;
    case 'answered': {
      const sample = isRoundTrip(event);
      // An answer after an unseen retransmission shows a loss as surely as one on a retry.
      const answeredRetry = Math.max(host.answeredRetry, triesNeeded(event));
      const lateAnswers = host.lateAnswers + (event.late ? 1 : 0);
      if (!sample) return { ...host, answeredRetry, lateAnswers };
      if (event.source === 'path') {
        return { ...host, path: addRoundTrip(host.path, event.rttMs), slowestPathMs: Math.max(host.slowestPathMs, event.rttMs), answeredRetry, lateAnswers };
      }
      return {
        ...host,
        own: addRoundTrip(host.own, event.rttMs),
        slowestMs: Math.max(host.slowestMs, event.rttMs),
        answeredRetry,
        lateAnswers,
      };
    }
  }
}

/** The scan-wide timing after one event: the hosts' own round trips, and every answer's try. Pure. */
export function nextGroup(group: GroupTiming, event: TimingEvent): GroupTiming {
  if (event.kind !== 'answered') return group;
  const answeredRetry = Math.max(group.answeredRetry, triesNeeded(event));
  const rtt = event.source === 'host' && isRoundTrip(event) ? addRoundTrip(group.rtt, event.rttMs) : group.rtt;
  return rtt === group.rtt && answeredRetry === group.answeredRetry ? group : { rtt, answeredRetry };
}

/** The whole scan's timing after a sequence of events. Pure (for tests and replays; the engine applies events one at a time). */
export function replay(events: readonly TimingEvent[]): ScanTiming {
  const hosts = new Map<string, HostTiming>();
  let group = NEW_GROUP;
  for (const event of events) {
    group = nextGroup(group, event);
    if (event.kind === 'retired') hosts.delete(event.host);
    else hosts.set(event.host, nextHost(hosts.get(event.host) ?? NEW_HOST, event));
  }
  return { group, hosts };
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/**
 * The highest try a probe of this host is known to have needed. A host that answered at all
 * also takes the scan's: its few answering ports may have been lucky on a lossy path.
 */
function lossEvidence(host: HostTiming | undefined, group: GroupTiming): number {
  if (!host) return -1;
  const alive = host.own.samples > 0 || host.path.samples > 0 || host.answeredRetry >= 0;
  return Math.max(host.answeredRetry, alive ? group.answeredRetry : -1);
}

/** Whether a probe of this host, or of the scan when the host answered at all, needed a retry or a retransmission. */
export function lossSeen(host: HostTiming | undefined, group: GroupTiming): boolean {
  return lossEvidence(host, group) > 0;
}

/** How long try `retry` (0 = first) of a probe of this host waits for an answer before it counts as silent, ms. */
export function waitMs(host: HostTiming | undefined, group: GroupTiming, limits: TimingLimits, retry = 0): number {
  const bounds = { initialMs: limits.initialMs, minMs: limits.minMs, maxMs: limits.maxMs };
  const low = Math.min(limits.minMs, limits.maxMs);
  const initial = clamp(limits.initialMs, low, limits.maxMs);
  let wait: number;
  if (host && host.own.samples > 0) {
    // srtt + 4 rttvar starts from rttvar = the first sample and needs many samples to settle; a host's
    // few answers, sent together, agree. Twice its slowest answer is enough once it has two: the
    // first try keeps listening through the next, so it still gets four times that.
    const estimate = timeoutFor(host.own, bounds);
    const settled = host.own.samples >= 2 ? Math.min(estimate, host.slowestMs * SPREAD_CAP) : estimate;
    wait = Math.max(settled, host.slowestMs * SLOWEST_MARGIN);
  } else {
    wait = group.rtt.samples > 0 ? Math.max(initial, timeoutFor(group.rtt, bounds)) : initial;
  }
  // The host's own answers take at least as long as the slowest reset or ICMP error from its path.
  if (host) wait = Math.max(wait, host.slowestPathMs * SLOWEST_MARGIN);
  if (lossEvidence(host, group) > 0) wait *= 1 + LOSS_BACKOFF * retry;
  return Math.round(clamp(wait, low, limits.maxMs));
}

/** How many tries (the first included) a silent probe of this host gets. */
export function triesAllowed(host: HostTiming | undefined, group: GroupTiming, limits: TimingLimits): number {
  const bound = Math.max(limits.retries, limits.maxRetries);
  const wanted = Math.max(limits.retries, lossEvidence(host, group) + 1);
  return 1 + Math.min(bound, wanted);
}
