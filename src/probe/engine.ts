import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ObservedState, ProbeKind } from '../model/types.js';
import type { Check } from '../plan/types.js';
import type { Observation, Prober, ProbeTarget } from './types.js';
import { createAdaptiveTiming } from './adaptive-wait.js';
import { parseDnsServer, type DnsServer } from './dns-query.js';
import { dnsProber } from './dns.js';
import { createExcluder } from './exclude.js';
import { capConcurrency } from './limits.js';
import { createProgressTally, type Progress } from './progress.js';
import { createRateLimiter } from './rate.js';
import { createResolver, type IpChoice, type Resolution } from './resolve.js';
import { createScheduler } from './scheduler.js';
import { localized } from './local-route.js';
import { isOutOfDescriptors } from './socket-errors.js';
import { tcpProber } from './tcp.js';
import { udpProber } from './udp.js';
import { pause } from './pause.js';

export type { Progress } from './progress.js';

export interface EngineOptions {
  concurrency: number;
  perHost: number;
  timeoutMs: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /** Retries of silence on a host with no evidence of loss. */
  retries: number;
  /** The most retries loss seen on a host may raise `retries` to (nmap's --max-retries); default 6. */
  maxRetries?: number;
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
  /** Every check appears at least once: unfinished ones as "not probed: scan cut short (...)", or "sent, but ... before an answer". */
  observations: ScanObservation[];
  partial: boolean;
  /** Ids of checks that got any answer (open or closed): the positive control. */
  control: string[];
  /** Set when nothing answered at all. */
  couldNotScan?: string;
}

/** How long probes in flight get to wind down after a cut, before the run returns without them. */
const WIND_DOWN_MS = 400;
/** Connect-only probes: the engine owns their timing and shortens their wait as round trips come in. */
const ENGINE_TIMED: ReadonlySet<ProbeKind> = new Set(['tcp', 'udp']);
const OUT_OF_DESCRIPTORS_PAUSE_MS = 50;
export const DEFAULT_MAX_RETRIES = 6;
/**
 * A service check's connect is given up at its timeout, where a connect probe's try keeps
 * listening through the next one: it gets the same window, twice the initial wait.
 */
const SERVICE_WAIT_FACTOR = 2;
/** The kernel's first SYN retransmission: a TCP connect answered later may be answering it, so its time is no round trip. */
const SYN_RETRANSMIT_MS = process.platform === 'win32' ? 3000 : 1000;
/** The longest delay a Node timer holds; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function defaultProbers(options: EngineOptions): Probers {
  return { tcp: tcpProber, udp: udpProber, dns: dnsProber(options.dnsQueryDomain) };
}

interface Probe {
  readonly check: Check;
  readonly address: string;
  readonly kind: ProbeKind;
  readonly prober: Prober;
  readonly hostName?: string;
  attempts: number;
  /** Tries still listening, by retry number (0 = first). */
  readonly live: Map<number, AbortController>;
  /** When the first try was sent (performance.now()). */
  firstSentAt?: number;
  /** When the latest try was sent. */
  lastSentAt?: number;
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

/** Why a probe is not sent at all, if it is not. */
function notProbedBecause(probe: Probe, options: EngineOptions, excludedBy: (address: string) => string | undefined): string | undefined {
  const rule = excludedBy(probe.address);
  if (rule) return `${probe.address} is excluded (--exclude ${rule})`;
  const family = String(isIP(probe.address));
  if (options.ip !== 'both' && family !== options.ip) return `IPv${family} address, and --ip ${options.ip}`;
  return undefined;
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
  const deadline = options.deadlineMs > 0 ? setTimeout(() => cut('deadline'), Math.min(options.deadlineMs, MAX_TIMER_MS)) : undefined;

  const scheduler = createScheduler<string>(capConcurrency(options.concurrency), options.perHost);
  const timing = createAdaptiveTiming({
    initialMs: options.timeoutMs,
    minMs: options.minTimeoutMs,
    maxMs: options.maxTimeoutMs,
    retries: options.retries,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
  });
  /** Probes not settled yet, per address: the host's timing is retired at 0. */
  const unsettled = new Map<string, number>();
  const rate = createRateLimiter(options.rate);
  const excludedBy = createExcluder(options.exclude);
  const servers = options.dnsServers.map(parseDnsServer).filter((server): server is DnsServer => server !== undefined);
  const tally = createProgressTally(startedAt);
  const report = (): void => options.onProgress?.(tally.snapshot());
  const inFlight = new Set<Promise<void>>();

  /** Ends every try of a settled probe still listening. */
  const dropTries = (probe: Probe): void => {
    for (const controller of probe.live.values()) controller.abort('settled');
    probe.live.clear();
  };

  const settle = (probe: Probe, observation: Observation): void => {
    if (probe.result) return;
    probe.result = { ...observation, address: probe.address, attempts: probe.attempts };
    dropTries(probe);
    tally.count(probe.result.state);
    report();
    const left = (unsettled.get(probe.address) ?? 1) - 1;
    unsettled.set(probe.address, left);
    if (left === 0) timing.record({ kind: 'retired', host: probe.address });
  };

  /** One try's prober, linked to the cut; the controller stays with the probe until the probe settles. */
  const startTry = (probe: Probe, retry: number): { answer: Promise<Observation>; controller: AbortController } => {
    const controller = new AbortController();
    const onStop = (): void => controller.abort(stop.signal.reason);
    stop.signal.addEventListener('abort', onStop, { once: true });
    controller.signal.addEventListener('abort', () => stop.signal.removeEventListener('abort', onStop), { once: true });
    const engineTimed = ENGINE_TIMED.has(probe.kind);
    const target: ProbeTarget = {
      check: probe.check,
      address: probe.address,
      port: probe.check.port,
      transport: probe.check.transport,
      ...(probe.hostName ? { hostName: probe.hostName } : {}),
      timeoutMs: engineTimed ? options.maxTimeoutMs : Math.max(timing.timeoutMs(probe.address), SERVICE_WAIT_FACTOR * options.timeoutMs),
    };
    probe.live.set(retry, controller);
    if (retry === 0) probe.firstSentAt = performance.now();
    probe.lastSentAt = performance.now();
    const answer = probe.prober(target, controller.signal).catch(
      (error: unknown): Observation => ({ state: 'error', address: probe.address, attempts: 1, error: error instanceof Error ? error.message : String(error) }),
    );
    void answer.finally(() => {
      stop.signal.removeEventListener('abort', onStop);
      if (probe.live.get(retry) === controller) probe.live.delete(retry);
    });
    return { answer, controller };
  };

  /**
   * What one try's outcome does: an answer (even late, even to an earlier try) settles the probe
   * and feeds the timing model; a cancelled try is nothing. Returns whether the probe is settled.
   */
  const onOutcome = (probe: Probe, retry: number, observation: Observation, aborted: boolean, late: boolean): boolean => {
    if (probe.result) return true;
    // After a cut, what a try saw before it stopped is kept (an answer, a connected service); its cancellation is not.
    if (aborted && (observation.state === 'error' || (isSilence(observation.state) && observation.rttMs === undefined))) return false;
    if (observation.rttMs !== undefined) {
      timing.record({
        kind: 'answered',
        host: probe.address,
        source: observation.state === 'open' ? 'host' : 'path',
        retry,
        rttMs: observation.rttMs,
        late,
        ...(probe.check.transport === 'tcp' ? { retransmitsAfterMs: SYN_RETRANSMIT_MS } : {}),
      });
      settle(probe, observation);
      return true;
    }
    // A kept try that reached --max-timeout in silence, or failed late: the current try decides.
    if (late) return false;
    if (isSilence(observation.state)) return false;
    settle(probe, observation);
    return true;
  };

  const runOnce = async (probe: Probe): Promise<void> => {
    await rate.take(stop.signal);
    if (stop.signal.aborted || probe.result) return;
    const retry = probe.attempts;
    probe.attempts += 1;
    timing.record({ kind: 'sent', host: probe.address, retry });
    // Only the first try and the current one keep listening: at most two sockets per probe.
    if (retry > 1) probe.live.get(retry - 1)?.abort('superseded');
    const { answer, controller } = startTry(probe, retry);
    const engineTimed = ENGINE_TIMED.has(probe.kind);
    const wait = engineTimed ? timing.waitForSilence(probe.address, retry) : undefined;
    const outcome = await Promise.race([answer, wait?.silent.then(() => undefined) ?? new Promise<never>(() => undefined)]);
    wait?.cancel();
    const first = outcome && (await localized(outcome, probe.address));
    if (first) {
      if (first.state === 'error' && isOutOfDescriptors(first.errorCode) && !controller.signal.aborted) {
        probe.attempts -= 1;
        scheduler.limit.concurrency = Math.max(1, scheduler.limit.activeCount - 1);
        await new Promise((resolve) => setTimeout(resolve, OUT_OF_DESCRIPTORS_PAUSE_MS));
        enqueue(probe);
        return;
      }
      if (onOutcome(probe, retry, first, controller.signal.aborted, false)) return;
    } else {
      // Silence so far: the try keeps listening (until --max-timeout) while the next one is in flight.
      timing.record({ kind: 'silent', host: probe.address, retry });
      const tracked = answer.then((late) => void onOutcome(probe, retry, late, controller.signal.aborted, true));
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));
    }
    if (stop.signal.aborted || probe.result) return;
    // Another try, when the loss seen on this host's path allows one.
    const retried = (): boolean => {
      if (probe.attempts >= timing.triesAllowed(probe.address)) return false;
      enqueue(probe);
      return true;
    };
    if (retried()) return;
    if (!first && probe.check.transport === 'tcp' && probe.live.has(0) && timing.answered(probe.address)) {
      // A host that answers is not called silent on a port before the first try's SYN retransmission
      // by the kernel has had its wait: under loss that is one more chance for the port's answer.
      // Where loss was seen, the latest try's retransmission too (it listens until --max-timeout).
      const sentAt = timing.lossSeen(probe.address) ? probe.lastSentAt : probe.firstSentAt;
      const left = (sentAt ?? 0) + SYN_RETRANSMIT_MS + timing.timeoutMs(probe.address) - performance.now();
      if (left > 0) await pause(Math.min(left, MAX_TIMER_MS), stop.signal).done;
      // Loss seen while it waited may allow another try.
      if (stop.signal.aborted || probe.result || retried()) return;
    }
    const silence: Observation = first ?? { state: silentState(probe.check.transport), address: probe.address, attempts: probe.attempts, error: `no answer within ${wait?.armedMs()} ms` };
    settle(probe, silence);
  };

  function enqueue(probe: Probe): void {
    scheduler.push(probe.address, () => {
      const running = runOnce(probe);
      inFlight.add(running);
      return running.finally(() => inFlight.delete(running));
    });
  }

  // Names first: every distinct destination once.
  const resolutions = new Map<string, Resolution>();
  const distinct = new Map<string, Check['destination']>();
  for (const check of checks) distinct.set(destinationKey(check), check.destination);
  tally.setTotal(checks.length);
  report();
  const resolver = createResolver({
    servers,
    ip: options.ip,
    timeoutMs: options.timeoutMs,
    minTimeoutMs: options.minTimeoutMs,
    maxTimeoutMs: options.maxTimeoutMs,
    retries: options.retries,
    signal: stop.signal,
  });
  const resolving = Promise.all(
    [...distinct].map(([key, destination]) =>
      scheduler.limit(async () => {
        if (stop.signal.aborted) return;
        const resolution = await resolver.resolve(destination).catch(() => undefined);
        if (resolution) resolutions.set(key, resolution);
      }),
    ),
  );
  await Promise.race([resolving, cutNow]);

  const probesByCheck = new Map<Check, Probe[]>();
  if (cutBy === undefined) {
    const toSend: Probe[] = [];
    let total = 0;
    for (const check of checks) {
      const resolution = resolutions.get(destinationKey(check));
      if (!resolution || 'error' in resolution) {
        total += 1;
        tally.count('unresolved');
        continue;
      }
      const kind: ProbeKind = probers[check.probe] ? check.probe : check.transport;
      const prober = probers[kind];
      const probes: Probe[] = resolution.addresses.map((address) => {
        const hostName = resolution.names?.[address];
        return { check, address, kind, prober: prober ?? tcpProber, attempts: 0, live: new Map(), ...(hostName ? { hostName } : {}) };
      });
      probesByCheck.set(check, probes);
      total += probes.length;
      for (const probe of probes) {
        const reason = prober ? notProbedBecause(probe, options, excludedBy) : `no prober for ${check.probe}`;
        if (reason) settle(probe, { state: 'error', attempts: 0, error: `not probed: ${reason}` });
        else {
          toSend.push(probe);
          unsettled.set(probe.address, (unsettled.get(probe.address) ?? 0) + 1);
        }
      }
    }
    tally.setTotal(total);
    report();
    for (const probe of toSend) enqueue(probe);
    await Promise.race([scheduler.idle(), cutNow]);
  }

  if (cutBy !== undefined) {
    scheduler.clear();
    let windDown: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (windDown = setTimeout(resolve, WIND_DOWN_MS)))]);
    clearTimeout(windDown);
  }
  clearTimeout(deadline);
  signal?.removeEventListener('abort', onOuterAbort);
  return collect(checks, resolutions, probesByCheck, cutBy);
}

/** A probe the cut left without a result: never sent is "not probed"; sent, it is silence so far, not a state. */
function unanswered(probe: Probe, cutBy: string | undefined): Observation {
  if (probe.attempts === 0) return { state: 'error', address: probe.address, attempts: 0, error: `not probed: scan cut short (${cutBy ?? 'cancelled'})` };
  const error = `sent, but the scan was cut short (${cutBy ?? 'cancelled'}) before an answer`;
  return { state: probe.check.transport === 'udp' ? 'open|filtered' : 'error', address: probe.address, attempts: probe.attempts, error };
}

/** Every check, in plan order, with what became of it. */
function collect(checks: readonly Check[], resolutions: ReadonlyMap<string, Resolution>, probesByCheck: ReadonlyMap<Check, Probe[]>, cutBy: string | undefined): EngineRun {
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
            ...(probe.result ?? unanswered(probe, cutBy)),
            ...(probe.hostName ? { hostName: probe.hostName } : {}),
          },
        });
      }
    }
  }
  const control = [...new Set(observations.filter(({ observation }) => observation.state === 'open' || observation.state === 'closed').map(({ check }) => check.id))];
  const run: EngineRun = { observations, partial: cutBy !== undefined, control };
  if (checks.length > 0 && control.length === 0) {
    run.couldNotScan =
      cutBy !== undefined
        ? `scan cut short (${cutBy}) before any probe got an answer`
        : `no probe got an answer (${observations.length} probes: silent, unreachable, unresolved or not probed); blocked results cannot be trusted`;
  }
  return run;
}
