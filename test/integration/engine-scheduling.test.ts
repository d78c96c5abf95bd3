import { performance } from 'node:perf_hooks';
import { runEngine, type EngineOptions } from '../../src/probe/engine.js';
import type { Progress } from '../../src/probe/progress.js';
import type { Prober } from '../../src/probe/types.js';
import { FAST_OPTIONS, makeCheck } from '../helpers/checks.js';
import { recordingProber, silentProber } from '../helpers/probers.js';

const hosts = (count: number): string[] => Array.from({ length: count }, (_, index) => `198.18.0.${index + 1}`);
const checksFor = (addresses: string[], ports: number[], transport: 'tcp' | 'udp' = 'tcp') =>
  addresses.flatMap((address) => ports.map((port) => makeCheck(address, port, transport)));
const range = (count: number, from = 1): number[] => Array.from({ length: count }, (_, index) => from + index);

describe('engine scheduling (injected probers)', () => {
  it('keeps to the global and per-host limits', async () => {
    const recorder = recordingProber((target) => ({ state: 'closed', address: target.address, attempts: 1, rttMs: 1 }), 10);
    const options: EngineOptions = { ...FAST_OPTIONS, concurrency: 6, perHost: 2 };
    const run = await runEngine(checksFor(hosts(5), range(8)), options, { tcp: recorder.prober });
    expect(run.observations).toHaveLength(40);
    expect(recorder.maxInFlight()).toBeLessThanOrEqual(6);
    expect(Math.max(...recorder.maxPerHost.values())).toBe(2);
  });

  it('retries silence, then calls it filtered (tcp) or open|filtered (udp), with the attempts', async () => {
    const recorder = recordingProber(() => 'silent');
    const options: EngineOptions = { ...FAST_OPTIONS, retries: 2, timeoutMs: 60, minTimeoutMs: 20, maxTimeoutMs: 200 };
    const run = await runEngine([makeCheck('198.18.0.1', 1), makeCheck('198.18.0.1', 2, 'udp')], options, { tcp: recorder.prober, udp: recorder.prober });
    expect(run.observations.map(({ observation }) => [observation.state, observation.attempts, observation.error])).toEqual([
      ['filtered', 3, 'no answer within 60 ms'],
      ['open|filtered', 3, 'no answer within 60 ms'],
    ]);
    expect(recorder.starts).toHaveLength(6);
    expect(run.control).toEqual([]);
    expect(run.couldNotScan).toMatch(/^no probe got an answer/);
  });

  it("shortens the wait to what the host's own round trips call for (nmap: srtt + 4 rttvar, at least the minimum)", async () => {
    const recorder = recordingProber((target) => (target.port === 99 ? 'silent' : { state: 'open', address: target.address, attempts: 1, rttMs: 1 }), 1);
    const options: EngineOptions = { ...FAST_OPTIONS, perHost: 1, retries: 0, timeoutMs: 2000, minTimeoutMs: 40, maxTimeoutMs: 5000 };
    const run = await runEngine(checksFor(['198.18.0.1'], [...range(5), 99]), options, { tcp: recorder.prober });
    expect(run.observations.at(-1)?.observation).toMatchObject({ state: 'filtered', error: 'no answer within 40 ms' });
    expect(run.control).toHaveLength(5);
  });

  it('does not shorten the wait for resets (which a firewall near the scanner may send), nor for other hosts', async () => {
    const recorder = recordingProber((target) => {
      if (target.port === 99) return 'silent';
      return { state: target.address === '198.18.0.1' ? 'closed' : 'open', address: target.address, attempts: 1, rttMs: 1 };
    }, 1);
    const options: EngineOptions = { ...FAST_OPTIONS, perHost: 1, retries: 0, timeoutMs: 300, minTimeoutMs: 40, maxTimeoutMs: 5000 };
    const run = await runEngine([...checksFor(['198.18.0.2'], range(5)), ...checksFor(['198.18.0.1'], [...range(5), 99])], options, { tcp: recorder.prober });
    expect(run.observations.at(-1)?.observation).toMatchObject({ state: 'filtered', error: 'no answer within 300 ms' });
  });

  it('uses the initial timeout for a host with no round trips yet', async () => {
    const options: EngineOptions = { ...FAST_OPTIONS, retries: 0, timeoutMs: 150, minTimeoutMs: 40, maxTimeoutMs: 5000 };
    const run = await runEngine([makeCheck('198.18.0.1', 1)], options, { tcp: silentProber() });
    expect(run.observations[0]?.observation.error).toBe('no answer within 150 ms');
  });

  it('keeps an unanswered try listening while its retry runs: a late answer settles the probe, with the tries sent', async () => {
    let calls = 0;
    const slowFirst: Prober = (target, signal) => {
      calls += 1;
      if (calls > 1) return silentProber()(target, signal);
      return new Promise((resolve) => setTimeout(() => resolve({ state: 'open', address: target.address, attempts: 1, rttMs: 150 }), 150));
    };
    const options: EngineOptions = { ...FAST_OPTIONS, retries: 2, timeoutMs: 100, minTimeoutMs: 40, maxTimeoutMs: 1000 };
    const run = await runEngine([makeCheck('198.18.0.1', 1)], options, { tcp: slowFirst });
    expect(run.observations[0]?.observation).toMatchObject({ state: 'open', attempts: 2, rttMs: 150 });
    expect(calls).toBe(2);
  });

  it.each([
    [6, 3],
    [1, 2],
  ])('an answer that needed a retry gives the silent ports of that host one more try (--max-retries %i: %i tries)', async (maxRetries, tries) => {
    const sent = new Map<number, number>();
    const recorder = recordingProber((target) => {
      sent.set(target.port, (sent.get(target.port) ?? 0) + 1);
      return target.port === 1 && sent.get(1) === 2 ? { state: 'open', address: target.address, attempts: 1, rttMs: 1 } : 'silent';
    }, 1);
    const options: EngineOptions = { ...FAST_OPTIONS, retries: 1, maxRetries, timeoutMs: 100, minTimeoutMs: 40, maxTimeoutMs: 1000 };
    const run = await runEngine([makeCheck('198.18.0.1', 1), makeCheck('198.18.0.1', 2), makeCheck('198.18.0.2', 2)], options, { tcp: recorder.prober });
    expect(run.observations.map(({ observation }) => [observation.state, observation.attempts])).toEqual([
      ['open', 2],
      ['filtered', tries],
      ['filtered', 2],
    ]);
  });

  it('spaces starts by --rate', async () => {
    const recorder = recordingProber((target) => ({ state: 'open', address: target.address, attempts: 1, rttMs: 1 }), 0);
    await runEngine(checksFor(hosts(1), range(6)), { ...FAST_OPTIONS, rate: 20 }, { tcp: recorder.prober });
    const times = recorder.starts.map((start) => start.at);
    expect(times).toHaveLength(6);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(5 * 50 - 5);
  });

  it('honours --exclude and --ip without touching those addresses', async () => {
    const recorder = recordingProber((target) => ({ state: 'open', address: target.address, attempts: 1, rttMs: 1 }), 0);
    const checks = [makeCheck('198.18.1.7', 25), makeCheck('198.18.2.7', 25), makeCheck('2001:db8::7', 25)];
    const run = await runEngine(checks, { ...FAST_OPTIONS, exclude: ['198.18.1.0/24'], ip: '4' }, { tcp: recorder.prober });
    expect(run.observations.map(({ observation }) => [observation.state, observation.error])).toEqual([
      ['error', 'not probed: 198.18.1.7 is excluded (--exclude 198.18.1.0/24)'],
      ['open', undefined],
      ['error', 'not probed: IPv6 address, and --ip 4'],
    ]);
    expect(recorder.starts.map((start) => start.address)).toEqual(['198.18.2.7']);
  });

  it('falls back to the transport prober for kinds without one, and reports progress to the end', async () => {
    const recorder = recordingProber((target) => ({ state: 'open', address: target.address, attempts: 1, rttMs: 1 }), 0);
    const seen: Progress[] = [];
    const checks = [makeCheck('198.18.0.1', 25, 'tcp', 'smtp'), makeCheck('198.18.0.1', 443, 'tcp', 'tls')];
    const run = await runEngine(checks, { ...FAST_OPTIONS, onProgress: (progress) => seen.push(progress) }, { tcp: recorder.prober });
    expect(run.observations.map(({ observation }) => observation.state)).toEqual(['open', 'open']);
    expect(seen.at(-1)).toMatchObject({ total: 2, done: 2, open: 2, closed: 0, filtered: 0, other: 0 });
  });
});

describe('engine: deadline and cancellation', () => {
  const slow: EngineOptions = { ...FAST_OPTIONS, concurrency: 2, perHost: 2, retries: 0, timeoutMs: 5000, minTimeoutMs: 5000, maxTimeoutMs: 5000 };

  it('stops at the deadline and lists every unfinished check, dropping none', async () => {
    const checks = checksFor(hosts(3), range(4));
    const started = performance.now();
    const run = await runEngine(checks, { ...slow, deadlineMs: 300 }, { tcp: silentProber() });
    expect(performance.now() - started).toBeLessThan(300 + 1000);
    expect(run.partial).toBe(true);
    expect(run.observations).toHaveLength(12);
    expect(new Set(run.observations.map(({ check }) => check.id))).toEqual(new Set(checks.map((check) => check.id)));
    for (const { observation } of run.observations) {
      expect(observation.state).toBe('error');
      // Sent and silent so far, or never sent: unfinished either way.
      expect(observation.error).toBe(observation.attempts > 0 ? 'sent, but the scan was cut short (deadline) before an answer' : 'not probed: scan cut short (deadline)');
    }
    expect(run.couldNotScan).toBe('scan cut short (deadline) before any probe got an answer');
  });

  it('returns within the deadline plus one second even when a prober ignores its signal', async () => {
    const started = performance.now();
    const run = await runEngine(checksFor(hosts(2), range(3)), { ...slow, deadlineMs: 200 }, { tcp: silentProber(true) });
    expect(performance.now() - started).toBeLessThan(200 + 1000);
    expect(run.partial).toBe(true);
    expect(run.observations).toHaveLength(6);
  });

  it('keeps what finished and marks the rest when SIGINT aborts the scan', async () => {
    const controller = new AbortController();
    const recorder = recordingProber((target) => (target.port === 1 ? { state: 'open', address: target.address, attempts: 1, rttMs: 1 } : 'silent'), 0);
    const pending = runEngine(checksFor(hosts(1), range(4)), { ...slow, concurrency: 1, perHost: 1 }, { tcp: recorder.prober }, controller.signal);
    setTimeout(() => controller.abort('SIGINT'), 100);
    const run = await pending;
    expect(run.partial).toBe(true);
    expect(run.observations.map(({ observation }) => [observation.state, observation.error])).toEqual([
      ['open', undefined],
      ['error', 'sent, but the scan was cut short (SIGINT) before an answer'],
      ['error', 'not probed: scan cut short (SIGINT)'],
      ['error', 'not probed: scan cut short (SIGINT)'],
    ]);
    expect(run.control).toEqual([run.observations[0]!.check.id]);
    expect(run.couldNotScan).toBeUndefined();
  });

  it('keeps an answer that arrives while the scan winds down after a cut', async () => {
    const controller = new AbortController();
    const late: Prober = (target) => new Promise((resolve) => setTimeout(() => resolve({ state: 'closed', address: target.address, attempts: 1, rttMs: 150 }), 150));
    const pending = runEngine([makeCheck('198.18.0.1', 25, 'tcp', 'smtp')], slow, { smtp: late }, controller.signal);
    setTimeout(() => controller.abort('SIGINT'), 50);
    const run = await pending;
    expect(run.partial).toBe(true);
    expect(run.observations[0]?.observation).toMatchObject({ state: 'closed', attempts: 1 });
  });

  it('probes nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const recorder = recordingProber(() => 'silent');
    const run = await runEngine(checksFor(hosts(1), range(2)), slow, { tcp: recorder.prober }, controller.signal);
    expect(recorder.starts).toEqual([]);
    expect(run.observations.map(({ observation }) => observation.error)).toEqual(['not probed: scan cut short (SIGTERM)', 'not probed: scan cut short (SIGTERM)']);
  });
});
