import { addRoundTrip, NO_ROUND_TRIPS, timeoutFor, type RoundTripState } from '../../src/probe/timing.js';
import { isRoundTrip, lossSeen, replay, triesAllowed, waitMs, type TimingEvent, type TimingLimits } from '../../src/probe/timing-model.js';

type Answered = Extract<TimingEvent, { kind: 'answered' }>;

const T3 = { initialMs: 1000, minMs: 100, maxMs: 10_000 };
const feed = (deltas: number[]): RoundTripState => deltas.reduce(addRoundTrip, NO_ROUND_TRIPS);

describe('adaptive timeout (nmap)', () => {
  it('uses the initial value, clamped, before any round trip', () => {
    expect(timeoutFor(NO_ROUND_TRIPS, T3)).toBe(1000);
    expect(timeoutFor(NO_ROUND_TRIPS, { initialMs: 50_000, minMs: 100, maxMs: 1250 })).toBe(1250);
    expect(timeoutFor(NO_ROUND_TRIPS, { initialMs: 10, minMs: 100, maxMs: 1250 })).toBe(100);
  });

  it('first sample: srtt = delta, rttvar = delta kept within 5 ms .. 2 s', () => {
    expect(feed([40])).toEqual({ srttMs: 40, rttvarMs: 40, samples: 1 });
    expect(feed([1])).toEqual({ srttMs: 1, rttvarMs: 5, samples: 1 });
    expect(feed([3000])).toEqual({ srttMs: 3000, rttvarMs: 2000, samples: 1 });
    expect(timeoutFor(feed([40]), T3)).toBe(200);
    expect(timeoutFor(feed([300]), T3)).toBe(1500);
  });

  it('later samples: srtt += err/8, rttvar += (|err| - rttvar)/4, err against the old srtt', () => {
    const state = feed([40, 80]);
    expect(state.srttMs).toBe(45);
    expect(state.rttvarMs).toBe(40);
    const third = addRoundTrip(state, 45);
    expect(third.srttMs).toBe(45);
    expect(third.rttvarMs).toBe(30);
    expect(timeoutFor(third, T3)).toBe(165);
  });

  it('converges to the floor on a fast, steady path and clamps to the bounds', () => {
    const steady = feed(Array.from({ length: 50 }, () => 0.2));
    expect(steady.srttMs).toBeCloseTo(0.2, 5);
    expect(steady.rttvarMs).toBeLessThan(0.01);
    expect(timeoutFor(steady, T3)).toBe(100);
    expect(timeoutFor(feed([5000, 5000]), T3)).toBe(10_000);
  });

  it('grows again when round trips get slower', () => {
    const fast = feed([10, 10, 10, 10]);
    const slower = feed([10, 10, 10, 10, 400]);
    expect(timeoutFor(slower, T3)).toBeGreaterThan(timeoutFor(fast, T3));
    expect(timeoutFor(slower, T3)).toBe(Math.round(slower.srttMs! + 4 * slower.rttvarMs!));
  });
});

describe('timing model (a pure function of events)', () => {
  const LIMITS: TimingLimits = { initialMs: 1000, minMs: 100, maxMs: 10_000, retries: 1, maxRetries: 6 };
  const hostAnswer = (host: string, rttMs: number, extra: Partial<Answered> = {}): TimingEvent => ({ kind: 'answered', host, source: 'host', retry: 0, rttMs, late: false, ...extra });
  const pathAnswer = (host: string, rttMs: number, extra: Partial<Answered> = {}): TimingEvent => ({ kind: 'answered', host, source: 'path', retry: 0, rttMs, late: false, ...extra });
  const wait = (events: TimingEvent[], host: string, retry = 0, limits = LIMITS): number => {
    const scan = replay(events);
    return waitMs(scan.hosts.get(host), scan.group, limits, retry);
  };
  const tries = (events: TimingEvent[], host: string, limits = LIMITS): number => {
    const scan = replay(events);
    return triesAllowed(scan.hosts.get(host), scan.group, limits);
  };
  const lan = (count: number): TimingEvent[] => Array.from({ length: count }, (_, index) => hostAnswer(`198.18.2.${index % 4}`, 0.3));

  it('a host with no answers of its own waits the initial timeout, however fast the other hosts are', () => {
    expect(wait([], 'far')).toBe(1000);
    expect(wait(lan(50), '198.18.2.0')).toBe(100);
    expect(wait(lan(50), 'far')).toBe(1000);
  });

  it('the scan-wide estimate lengthens the wait of hosts with no answers of their own', () => {
    const slow = [hostAnswer('a', 400), hostAnswer('b', 420)];
    expect(wait(slow, 'far')).toBeGreaterThan(1000);
    expect(wait(slow, 'far')).toBe(timeoutFor(replay(slow).group.rtt, LIMITS));
  });

  it("a host's own answers set its wait, shorter than the initial timeout when they are fast", () => {
    const far = Array.from({ length: 20 }, () => hostAnswer('far', 200));
    expect(wait(far, 'far')).toBeGreaterThanOrEqual(250);
    expect(wait(far, 'far')).toBeLessThan(400);
    expect(wait([...lan(50), ...far], 'far')).toBe(wait(far, 'far'));
  });

  it('resets and ICMP errors from a firewall near the scanner never shorten the wait for the host', () => {
    const resets = Array.from({ length: 40 }, () => pathAnswer('edge', 0.2));
    expect(wait(resets, 'edge')).toBe(1000);
    const withOwn = [hostAnswer('edge', 200), hostAnswer('edge', 205), ...resets];
    expect(wait(withOwn, 'edge')).toBe(wait([hostAnswer('edge', 200), hostAnswer('edge', 205)], 'edge'));
    expect(replay(withOwn).group.rtt.samples).toBe(2);
  });

  it('slow path answers lengthen the wait', () => {
    const own = Array.from({ length: 20 }, () => hostAnswer('h', 5));
    expect(wait(own, 'h')).toBe(100);
    expect(wait([...own, pathAnswer('h', 300), pathAnswer('h', 310)], 'h')).toBeGreaterThan(300);
  });

  it('never waits less than the slowest answer the host gave, with room for jitter', () => {
    const events = [...Array.from({ length: 30 }, () => hostAnswer('h', 20)), hostAnswer('h', 180), ...Array.from({ length: 30 }, () => hostAnswer('h', 20))];
    expect(timeoutFor(replay(events).hosts.get('h')!.own, LIMITS)).toBeLessThan(180);
    expect(wait(events, 'h')).toBe(225);
  });

  it('retries follow observed loss: an answer on try k gives silent probes k+1 tries, bounded by --max-retries', () => {
    expect(tries([], 'h')).toBe(2);
    expect(tries([hostAnswer('h', 10)], 'h')).toBe(2);
    expect(tries([hostAnswer('h', 10, { retry: 1 })], 'h')).toBe(3);
    expect(tries([hostAnswer('h', 10, { retry: 3 }), pathAnswer('h', 10, { retry: 1 })], 'h')).toBe(5);
    expect(tries([hostAnswer('h', 10, { retry: 9 })], 'h')).toBe(7);
    expect(tries([hostAnswer('h', 10, { retry: 9 })], 'h', { ...LIMITS, maxRetries: 2 })).toBe(3);
    // Loss seen on another host counts for a host that answered at all, not for one that never did (a dead address).
    expect(tries([hostAnswer('other', 10, { retry: 3 })], 'h')).toBe(2);
    expect(tries([hostAnswer('other', 10, { retry: 3 }), pathAnswer('h', 1)], 'h')).toBe(5);
    expect(tries([], 'h', { ...LIMITS, retries: 0, maxRetries: 0 })).toBe(1);
  });

  it('loss is seen on a host from its own retries and retransmissions, and from the scan once it answered at all', () => {
    const seen = (events: TimingEvent[], host: string): boolean => {
      const scan = replay(events);
      return lossSeen(scan.hosts.get(host), scan.group);
    };
    expect(seen([], 'h')).toBe(false);
    expect(seen([hostAnswer('h', 10), pathAnswer('h', 10)], 'h')).toBe(false);
    expect(seen([hostAnswer('h', 10, { retry: 1 })], 'h')).toBe(true);
    expect(seen([hostAnswer('h', 1150, { late: true, retransmitsAfterMs: 1000 })], 'h')).toBe(true);
    expect(seen([hostAnswer('other', 10, { retry: 1 })], 'h')).toBe(false);
    expect(seen([hostAnswer('other', 10, { retry: 1 }), hostAnswer('h', 10)], 'h')).toBe(true);
  });

  it('after loss, later tries wait longer; without loss they do not', () => {
    const steady = Array.from({ length: 10 }, () => hostAnswer('h', 100));
    expect(wait(steady, 'h', 2)).toBe(wait(steady, 'h', 0));
    const lossy = [...steady, hostAnswer('h', 100, { retry: 1 })];
    const first = wait(lossy, 'h', 0);
    expect(Math.abs(wait(lossy, 'h', 1) - first * 1.25)).toBeLessThanOrEqual(1);
    expect(Math.abs(wait(lossy, 'h', 2) - first * 1.5)).toBeLessThanOrEqual(1);
    expect(wait(lossy, 'h', 1000)).toBe(10_000);
  });

  it('a TCP answer after the kernel SYN retransmission counts as loss, not as a round trip', () => {
    const ambiguous = hostAnswer('h', 1150, { late: true, retransmitsAfterMs: 1000 });
    const scan = replay([ambiguous]);
    const host = scan.hosts.get('h')!;
    expect(host.own.samples).toBe(0);
    expect(host.slowestMs).toBe(0);
    expect(host.answeredRetry).toBe(1);
    expect(host.lateAnswers).toBe(1);
    expect(scan.group.rtt.samples).toBe(0);
    expect(tries([ambiguous], 'h')).toBe(3);
    expect(wait([ambiguous], 'h')).toBe(1000);
  });

  it('a late answer before any retransmission is a round trip and lengthens the wait', () => {
    const fast = Array.from({ length: 20 }, () => hostAnswer('h', 30));
    const late = hostAnswer('h', 700, { late: true, retransmitsAfterMs: 1000 });
    const host = replay([...fast, late]).hosts.get('h')!;
    expect(host.own.samples).toBe(21);
    expect(host.answeredRetry).toBe(0);
    expect(wait([...fast, late], 'h')).toBeGreaterThanOrEqual(875);
    expect(isRoundTrip(late as Answered)).toBe(true);
    expect(isRoundTrip({ ...(late as Answered), rttMs: 1000 })).toBe(false);
    expect(isRoundTrip({ ...(late as Answered), rttMs: 5000, retransmitsAfterMs: undefined })).toBe(true);
  });

  it('sent and silent are counted; retired forgets the host, not the scan-wide estimate', () => {
    const events: TimingEvent[] = [
      { kind: 'sent', host: 'h', retry: 0 },
      { kind: 'silent', host: 'h', retry: 0 },
      { kind: 'sent', host: 'h', retry: 1 },
      hostAnswer('h', 50, { retry: 1 }),
    ];
    expect(replay(events).hosts.get('h')).toMatchObject({ sent: 2, silences: 1, answeredRetry: 1 });
    const retired = replay([...events, { kind: 'retired', host: 'h' }]);
    expect(retired.hosts.has('h')).toBe(false);
    expect(retired.group.rtt.samples).toBe(1);
  });

  it('every wait stays within --min-timeout .. --max-timeout', () => {
    const limits = { ...LIMITS, initialMs: 500, minMs: 100, maxMs: 1250 };
    expect(wait([], 'h', 0, limits)).toBe(500);
    expect(wait(lan(20), '198.18.2.1', 0, limits)).toBe(100);
    expect(wait([hostAnswer('h', 3000)], 'h', 0, limits)).toBe(1250);
  });
});

describe('timing model: a few answers sent together', () => {
  const LIMITS: TimingLimits = { initialMs: 500, minMs: 100, maxMs: 10_000, retries: 1, maxRetries: 6 };
  const answers = (rtts: number[]): TimingEvent[] => rtts.map((rttMs) => ({ kind: 'answered', host: 'edge', source: 'host', retry: 0, rttMs, late: false }));
  const wait = (events: TimingEvent[]): number => {
    const scan = replay(events);
    return waitMs(scan.hosts.get('edge'), scan.group, LIMITS);
  };

  it('one answer: nmap\'s srtt + 4 rttvar (five round trips)', () => {
    expect(wait(answers([200]))).toBe(1000);
  });

  it('two answers or more: at most twice the slowest, however unsettled rttvar still is', () => {
    const four = answers([276, 258, 258, 258]);
    expect(timeoutFor(replay(four).hosts.get('edge')!.own, LIMITS)).toBeGreaterThan(700);
    expect(wait(four)).toBe(552);
    // The cap only shortens: a spread-out pair keeps its (shorter) estimate.
    const spread = answers([200, 800]);
    expect(wait(spread)).toBe(timeoutFor(replay(spread).hosts.get('edge')!.own, LIMITS));
    expect(wait(spread)).toBeLessThan(1600);
  });
});
