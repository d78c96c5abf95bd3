import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ObservedState, ProbeKind } from '../model/types.js';
import type { Check } from '../plan/types.js';
import type { Observation, Prober, ProbeTarget } from './types.js';
import { parseDnsServer, type DnsServer } from './dns-query.js';
import { dnsProber } from './dns.js';
import { createExcluder } from './exclude.js';
import { capConcurrency } from './limits.js';
import { createProgressTally, type Progress } from './progress.js';
import { createRateLimiter } from './rate.js';
import { resolveDestination, type IpChoice, type Resolution } from './resolve.js';
import { isOutOfDescriptors } from './socket-errors.js';
import { tcpProber } from './tcp.js';
import { addRoundTrip, NO_ROUND_TRIPS, timeoutFor, type RoundTripState, type TimingBounds } from './timing.js';
import { udpProber } from './udp.js';

export type { Progress } from './progress.js';

export interface EngineOptions {
  concurrency: number;
  perHost: number;
  timeoutMs: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  retries: number;
  /** The whole scan, resolution included; 0 = none. */
  deadlineMs: number;
  /** Probe attempts started per second; undefined = no limit. */
  rate?: number;
  ip: IpChoice;
  /** Addresses or CIDRs never probed. */
  exclude: readonly string[];
  /** The topology's DNS servers (`address` or `address:port`) for name resolution; [] = system resolver. */
  dnsServers: readonly string[];
  /** The topology's internet.mxDomain: the DNS probe asks its MX, else the SOA of the root. */
  dnsQueryDomain?: string;
  onProgress?: (progress: Progress) => void;
}

export type Probers = Readonly<Partial<Record<ProbeKind, Prober>>>;

/** One per resolved address (observation.address set), or one without an address (unresolved, not probed). */
export interface ScanObservation {
  check: Check;
  observation: Observation;
}

export interface EngineRun {
  /** Every check appears at least once: unfinished ones as state 'error', "not probed: scan cut short (...)". */
  observations: ScanObservation[];
  partial: boolean;
  /** Ids of checks that got any answer (open or closed): the positive control. */
  control: string[];
  /** Set when nothing answered at all. */
  couldNotScan?: string;
}

/** How long probes in flight get to wind down after a cut, before the run returns without them. */
const WIND_DOWN_MS = 400;
/** Connect-only probes: the engine owns their timing and may shorten their wait as round trips come in. */
const ENGINE_TIMED: ReadonlySet<ProbeKind> = new Set(['tcp', 'udp']);
const OUT_OF_DESCRIPTORS_PAUSE_MS = 50;
const SILENCE = Symbol('silence');

export function defaultProbers(options: EngineOptions): Probers {
  return { tcp: tcpProber, udp: udpProber, dns: dnsProber(options.dnsQueryDomain) };
}

interface Timer {
  rtt: RoundTripState;
}

interface LiveWait {
  readonly started: number;
  readonly fire: () => void;
  handle?: NodeJS.Timeout;
  armedMs: number;
}

interface Host extends Timer {
  readonly limit: LimitFunction;
  readonly waits: Set<LiveWait>;
}

interface Probe {
  readonly check: Check;
  readonly address: string;
  readonly kind: ProbeKind;
  readonly prober: Prober;
  readonly host: Host;
  readonly hostName?: string;
  attempts: number;
  result?: Observation;
}

const destinationKey = (check: Check): string => `${check.destination.lookup}\u0000${check.destination.host}`;
const silentState = (transport: Check['transport']): ObservedState => (transport === 'udp' ? 'open|filtered' : 'filtered');
const isSilence = (state: ObservedState): boolean => state === 'filtered' || state === 'open|filtered';

function cutReason(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  return 'cancelled';
}

/** Round-robin over hosts, so no host gets a burst while others wait. */
function interleave<T>(groups: readonly T[][]): T[] {
  const out: T[] = [];
  for (let index = 0; groups.some((group) => index < group.length); index += 1) {
    for (const group of groups) {
      const item = group[index];
      if (item !== undefined) out.push(item);
    }
  }
  return out;
}

/**
 * Probes every check at every address its destination resolves to: global and per-host
 * concurrency, adaptive timeouts per host, retries of silence, rate, exclusions, an overall
 * deadline and cancellation. Never rejects; whatever is unfinished is reported as such.
 */
export async function runEngine(
  checks: readonly Check[],
  options: EngineOptions,
  probers: Probers,
  signal?: AbortSignal,
): Promise<EngineRun> {
  const startedAt = performance.now();
  const bounds: TimingBounds = { initialMs: options.timeoutMs, minMs: options.minTimeoutMs, maxMs: options.maxTimeoutMs };
  const stop = new AbortController();
  // Every probe in flight listens for the cut: as many listeners as the concurrency allows.
  setMaxListeners(0, stop.signal);
  let cutBy: string | undefined;
  let announceCut = (): void => undefined;
  const cutNow = new Promise<void>((resolve) => (announceCut = resolve));
  const cut = (reason: string): void => {
    if (cutBy !== undefined) return;
    cutBy = reason;
    stop.abort(reason);
    announceCut();
  };
  const onOuterAbort = (): void => cut(cutReason(signal?.reason));
  if (signal?.aborted) onOuterAbort();
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  const deadline = options.deadlineMs > 0 ? setTimeout(() => cut('deadline'), options.deadlineMs) : undefined;

  const global = pLimit(capConcurrency(options.concurrency));
  const rate = createRateLimiter(options.rate);
  const excludedBy = createExcluder(options.exclude);
  const servers = options.dnsServers.map(parseDnsServer).filter((server): server is DnsServer => server !== undefined);
  const tally = createProgressTally(startedAt);
  const report = (): void => options.onProgress?.(tally.snapshot());
  const groupTimer: Timer = { rtt: NO_ROUND_TRIPS };
  const hosts = new Map<string, Host>();
  const inFlight = new Set<Promise<void>>();

  const timerOf = (host: Host): Timer => (host.rtt.samples > 0 || groupTimer.rtt.samples === 0 ? host : groupTimer);
  const currentTimeout = (host: Host): number => timeoutFor(timerOf(host).rtt, bounds);
  const arm = (host: Host, wait: LiveWait): void => {
    const timeoutMs = currentTimeout(host);
    if (wait.handle !== undefined && timeoutMs === wait.armedMs) return;
    clearTimeout(wait.handle);
    wait.armedMs = timeoutMs;
    wait.handle = setTimeout(wait.fire, Math.max(0, wait.started + timeoutMs - performance.now()));
  };
  const learn = (host: Host, rttMs: number): void => {
    host.rtt = addRoundTrip(host.rtt, rttMs);
    groupTimer.rtt = addRoundTrip(groupTimer.rtt, rttMs);
    for (const other of hosts.values()) {
      if (other === host || timerOf(other) === groupTimer) for (const wait of other.waits) arm(other, wait);
    }
  };
  const hostOf = (address: string): Host => {
    let host = hosts.get(address);
    if (!host) {
      host = { rtt: NO_ROUND_TRIPS, limit: pLimit(Math.max(1, Math.floor(options.perHost))), waits: new Set() };
      hosts.set(address, host);
    }
    return host;
  };

  /** One attempt; for engine-timed kinds the wait follows the host's timeout as it adapts. */
  const attempt = async (probe: Probe): Promise<Observation | undefined> => {
    const { host } = probe;
    const controller = new AbortController();
    const onStop = (): void => controller.abort(stop.signal.reason);
    stop.signal.addEventListener('abort', onStop, { once: true });
    const engineTimed = ENGINE_TIMED.has(probe.kind);
    const target: ProbeTarget = {
      check: probe.check,
      address: probe.address,
      port: probe.check.port,
      transport: probe.check.transport,
      ...(probe.hostName ? { hostName: probe.hostName } : {}),
      timeoutMs: engineTimed ? bounds.maxMs : Math.max(currentTimeout(host), options.timeoutMs),
    };
    let wait: LiveWait | undefined;
    const silence = new Promise<typeof SILENCE>((resolve) => {
      if (!engineTimed) return;
      wait = { started: performance.now(), armedMs: 0, fire: () => resolve(SILENCE) };
      host.waits.add(wait);
      arm(host, wait);
    });
    try {
      const outcome = await Promise.race([probe.prober(target, controller.signal), silence]);
      if (outcome === SILENCE) {
        controller.abort('silence');
        return { state: silentState(probe.check.transport), address: probe.address, attempts: 1, error: `no answer within ${wait?.armedMs ?? 0} ms` };
      }
      return outcome;
    } catch (error) {
      return { state: 'error', address: probe.address, attempts: 1, error: error instanceof Error ? error.message : String(error) };
    } finally {
      stop.signal.removeEventListener('abort', onStop);
      if (wait) {
        clearTimeout(wait.handle);
        host.waits.delete(wait);
      }
    }
  };

  let outstanding = 0;
  let allSettled = (): void => undefined;
  const finished = new Promise<void>((resolve) => (allSettled = resolve));

  const settle = (probe: Probe, observation: Observation): void => {
    probe.result = { ...observation, address: probe.address, attempts: probe.attempts };
    tally.count(probe.result.state);
    report();
  };

  const runOnce = async (probe: Probe): Promise<void> => {
    await rate.take(stop.signal);
    if (stop.signal.aborted) return;
    probe.attempts += 1;
    const observation = await attempt(probe);
    if (stop.signal.aborted || !observation) return;
    if (observation.state === 'error' && isOutOfDescriptors(observation.error?.split(':')[0])) {
      probe.attempts -= 1;
      global.concurrency = Math.max(1, global.activeCount - 1);
      await new Promise((resolve) => setTimeout(resolve, OUT_OF_DESCRIPTORS_PAUSE_MS));
      enqueue(probe);
      return;
    }
    if (observation.rttMs !== undefined) learn(probe.host, observation.rttMs);
    if (isSilence(observation.state) && probe.attempts <= options.retries) {
      enqueue(probe);
      return;
    }
    settle(probe, observation);
  };

  function enqueue(probe: Probe): void {
    outstanding += 1;
    void probe.host
      .limit(() =>
        global(() => {
          const running = runOnce(probe);
          inFlight.add(running);
          return running.finally(() => inFlight.delete(running));
        }),
      )
      .finally(() => {
        outstanding -= 1;
        if (outstanding === 0) allSettled();
      });
  }

  // Names first: every distinct destination once.
  const resolutions = new Map<string, Resolution>();
  const distinct = new Map<string, Check['destination']>();
  for (const check of checks) distinct.set(destinationKey(check), check.destination);
  tally.setTotal(checks.length);
  report();
  const resolving = Promise.all(
    [...distinct].map(([key, destination]) =>
      global(async () => {
        if (stop.signal.aborted) return;
        const resolution = await resolveDestination(destination, { servers, ip: options.ip, timeoutMs: options.timeoutMs, signal: stop.signal }).catch(
          () => undefined,
        );
        if (resolution) resolutions.set(key, resolution);
      }),
    ),
  );
  await Promise.race([resolving, cutNow]);

  const probesByCheck = new Map<Check, Probe[]>();
  if (cutBy === undefined) {
    const byHost = new Map<string, Probe[]>();
    let total = 0;
    for (const check of checks) {
      const resolution = resolutions.get(destinationKey(check));
      if (!resolution || 'error' in resolution) {
        total += 1;
        continue;
      }
      const kind: ProbeKind = probers[check.probe] ? check.probe : check.transport;
      const prober = probers[kind];
      const probes: Probe[] = resolution.addresses.map((address) => {
        const hostName = resolution.names?.[address];
        return { check, address, kind, prober: prober ?? tcpProber, host: hostOf(address), attempts: 0, ...(hostName ? { hostName } : {}) };
      });
      probesByCheck.set(check, probes);
      total += probes.length;
      for (const probe of probes) {
        const family = isIP(probe.address);
        const rule = excludedBy(probe.address);
        const reason = !prober
          ? `no prober for ${check.probe}`
          : rule
            ? `${probe.address} is excluded (--exclude ${rule})`
            : options.ip !== 'both' && String(family) !== options.ip
              ? `IPv${family} address, and --ip ${options.ip}`
              : undefined;
        if (reason) {
          settle(probe, { state: 'error', attempts: 0, error: `not probed: ${reason}` });
          continue;
        }
        const list = byHost.get(probe.address) ?? [];
        list.push(probe);
        byHost.set(probe.address, list);
      }
    }
    for (const check of checks) {
      const resolution = resolutions.get(destinationKey(check));
      if (resolution && 'error' in resolution) tally.count('unresolved');
    }
    tally.setTotal(total);
    report();
    const queue = interleave([...byHost.values()]);
    if (queue.length === 0) allSettled();
    for (const probe of queue) enqueue(probe);
    await Promise.race([finished, cutNow]);
  }

  if (cutBy !== undefined) {
    global.clearQueue();
    for (const host of hosts.values()) host.limit.clearQueue();
    let windDown: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (windDown = setTimeout(resolve, WIND_DOWN_MS)))]);
    clearTimeout(windDown);
  }
  clearTimeout(deadline);
  signal?.removeEventListener('abort', onOuterAbort);

  const unfinished = `not probed: scan cut short (${cutBy ?? 'cancelled'})`;
  const observations: ScanObservation[] = [];
  for (const check of checks) {
    const resolution = resolutions.get(destinationKey(check));
    const probes = probesByCheck.get(check);
    if (resolution && 'error' in resolution) {
      observations.push({ check, observation: { state: 'unresolved', attempts: 0, error: resolution.error } });
    } else if (!probes) {
      observations.push({ check, observation: { state: 'error', attempts: 0, error: unfinished } });
    } else {
      for (const probe of probes) {
        observations.push({
          check,
          observation: {
            ...(probe.result ?? { state: 'error', address: probe.address, attempts: probe.attempts, error: unfinished }),
            ...(probe.hostName ? { hostName: probe.hostName } : {}),
          },
        });
      }
    }
  }
  const control = [
    ...new Set(observations.filter(({ observation }) => observation.state === 'open' || observation.state === 'closed').map(({ check }) => check.id)),
  ];
  const run: EngineRun = { observations, partial: cutBy !== undefined, control };
  if (checks.length > 0 && control.length === 0) {
    run.couldNotScan =
      cutBy !== undefined
        ? `scan cut short (${cutBy}) before any probe got an answer`
        : `no probe got an answer (${observations.length} probes: silent, unreachable, unresolved or not probed); blocked results cannot be trusted`;
  }
  return run;
}
