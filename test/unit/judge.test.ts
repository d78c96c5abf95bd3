import type { Expectation, ObservedState, Verdict } from '../../src/model/types.js';
import type { Check } from '../../src/plan/types.js';
import { judge } from '../../src/verdict/judge.js';
import { summarize } from '../../src/verdict/summary.js';

function check(expectation: Expectation, needsListener = true): Check {
  return {
    id: 'x:h:25/tcp',
    flow: 'x',
    flows: ['x'],
    table: 'mail-flow',
    source: { role: 'internet' },
    destination: { role: 'mailbox', host: 'h', lookup: 'name' },
    port: 25,
    transport: 'tcp',
    expectation,
    probe: 'tcp',
    implicitTls: false,
    purpose: 'p',
    component: 'c',
    needsListener,
    why: 'x: why',
  };
}

const TABLE: Array<[Expectation, ObservedState, Verdict]> = [
  ['required', 'open', 'pass'],
  ['required', 'closed', 'down'],
  ['required', 'filtered', 'fail'],
  ['required', 'open|filtered', 'inconclusive'],
  ['required', 'unresolved', 'fail'],
  ['required', 'error', 'inconclusive'],
  ['optional', 'open', 'pass'],
  ['optional', 'closed', 'warn'],
  ['optional', 'filtered', 'warn'],
  ['forbidden', 'open', 'exposed'],
  ['forbidden', 'closed', 'pass'],
  ['forbidden', 'filtered', 'pass'],
  ['forbidden', 'open|filtered', 'inconclusive'],
  ['forbidden', 'unresolved', 'inconclusive'],
  ['unrestricted', 'open', 'pass'],
  ['unrestricted', 'closed', 'pass'],
  ['unrestricted', 'filtered', 'fail'],
];

describe('judge', () => {
  test.each(TABLE)('%s + %s -> %s', (expectation, state, verdict) => {
    expect(judge(check(expectation), { state, attempts: 1 }).verdict).toBe(verdict);
  });

  test('a refused connection proves the path when nothing need listen', () => {
    expect(judge(check('required', false), { state: 'closed', attempts: 1 }).verdict).toBe('pass');
  });

  test('without a positive control, blocked-looking states are inconclusive', () => {
    const j = judge(check('required'), { state: 'filtered', attempts: 2 }, [], { control: false });
    expect(j.verdict).toBe('inconclusive');
    expect(j.why).toContain('nothing answered');
    expect(judge(check('forbidden'), { state: 'filtered', attempts: 2 }, [], { control: false }).verdict).toBe('inconclusive');
  });

  test('a serious finding on an open required port is a warn; an info finding is not', () => {
    const warning = { id: 'smtp.no-starttls', severity: 'warning' as const, message: 'no STARTTLS' };
    const info = { id: 'smtp.exchange', severity: 'info' as const, message: 'Exchange' };
    const j = judge(check('required'), { state: 'open', attempts: 1 }, [warning, info]);
    expect(j.verdict).toBe('warn');
    expect(j.why).toContain('smtp.no-starttls');
    expect(j.findings).toEqual([warning, info]);
    expect(judge(check('required'), { state: 'open', attempts: 1 }, [info]).verdict).toBe('pass');
    expect(judge(check('forbidden'), { state: 'open', attempts: 1 }, [warning]).verdict).toBe('exposed');
  });

  test('why names the flow and what was seen', () => {
    expect(judge(check('required'), { state: 'unresolved', attempts: 1, error: 'ENOTFOUND' }).why).toBe(
      'x required: name did not resolve: ENOTFOUND',
    );
  });

  test('summary counts every verdict', () => {
    const s = summarize([{ verdict: 'pass' }, { verdict: 'pass' }, { verdict: 'exposed' }]);
    expect(s).toMatchObject({ pass: 2, exposed: 1, fail: 0, down: 0, warn: 0, inconclusive: 0, skipped: 0, total: 3 });
  });
});

describe('judge: what was not probed', () => {
  test('says why once, whether the engine or a prober wrote the reason', () => {
    expect(judge(check('required'), { state: 'error', attempts: 0, error: 'not probed: scan cut short (deadline)' }).why).toBe(
      'x required: not probed: scan cut short (deadline)',
    );
    expect(judge(check('required'), { state: 'error', attempts: 1, error: 'EPERM' }).why).toBe('x required: error: EPERM');
  });

  test.each(['required', 'forbidden', 'optional'] as const)('a local error (no route from this machine) is never a pass or a fail (%s)', (expectation) => {
    for (const error of ['not probed: no route to it from this machine (ENETUNREACH)', "not probed: refused by this machine's firewall (EPERM)", 'not probed: no local address to send from (EADDRNOTAVAIL)']) {
      const judged = judge(check(expectation), { state: 'error', attempts: 1, error });
      expect(judged.verdict).toBe('inconclusive');
      expect(judged.why).toBe(`x ${expectation}: ${error}`);
    }
  });
});

describe('judge: a required service that answers but does not work is down', () => {
  const serviceCheck = (expectation: Expectation, role: Check['destination']['role'] = 'mailbox'): Check => ({
    ...check(expectation),
    probe: 'smtp',
    destination: { role, host: 'h', lookup: 'name' },
  });
  const open = { state: 'open' as const, attempts: 1 };
  const critical = (id: string) => ({ id, severity: 'critical' as const, message: id });

  test.each(['tls.handshake-failed', 'smtp.greeting-unavailable', 'smtp.greeting-refused', 'smtp.greeting-unexpected', 'smtp.connection-reset', 'smtp.timeout', 'smtp.malformed-reply', 'imap.greeting-refused', 'pop3.connection-closed'])(
    '%s on a required flow -> down, naming the finding',
    (id) => {
      const j = judge(serviceCheck('required'), open, [critical(id)]);
      expect(j.verdict).toBe('down');
      expect(j.why).toContain(`the service answers but does not work: ${id}`);
    },
  );

  test('a working service with a problem stays warn (expiring certificate, LOGIN before TLS, legacy TLS)', () => {
    for (const id of ['tls.expiring', 'smtp.basic-auth-before-tls', 'tls.legacy-protocol', 'smtp.starttls-failed']) {
      expect(judge(serviceCheck('required'), open, [critical(id)]).verdict).toBe('warn');
    }
  });

  test('an optional flow is warn, a forbidden one exposed, and an Internet host refusing us is not our service down', () => {
    expect(judge(serviceCheck('optional'), open, [critical('tls.handshake-failed')]).verdict).toBe('warn');
    expect(judge(serviceCheck('forbidden'), open, [critical('smtp.greeting-refused')]).verdict).toBe('exposed');
    expect(judge(serviceCheck('required', 'internet'), open, [critical('smtp.greeting-refused')]).verdict).toBe('warn');
  });

  test('a dialogue the scan aborted is not a broken service', () => {
    expect(judge(serviceCheck('required'), open, [{ id: 'smtp.aborted', severity: 'info', message: 'aborted' }]).verdict).toBe('pass');
  });
});

describe('judge: open proxy detection against hosts the organization does not control', () => {
  const proxyCheck = (answersEveryPort?: boolean): Check => ({
    ...check('required', false),
    destination: { role: 'internet', host: 'mx.example.org', lookup: 'name', ...(answersEveryPort ? { answersEveryPort } : {}) },
  });

  test('silence from an ordinary Internet host is inconclusive, and says how to make it conclusive', () => {
    const j = judge(proxyCheck(), { state: 'filtered', attempts: 2 });
    expect(j.verdict).toBe('inconclusive');
    expect(j.why).toContain('internet.responders');
  });

  test('silence from a declared every-port responder is a fail; a refusal or an answer passes either way', () => {
    expect(judge(proxyCheck(true), { state: 'filtered', attempts: 2 }).verdict).toBe('fail');
    expect(judge(proxyCheck(), { state: 'closed', attempts: 1 }).verdict).toBe('pass');
    expect(judge(proxyCheck(), { state: 'open', attempts: 1 }).verdict).toBe('pass');
  });

  test('outbound SMTP to an Internet MX still fails on silence: a mail host must listen', () => {
    const smtp: Check = { ...check('required'), destination: { role: 'internet', host: 'mx.example.org', lookup: 'mx' } };
    expect(judge(smtp, { state: 'filtered', attempts: 2 }).verdict).toBe('fail');
  });
});

describe('judge: a check the scan cut before its service answered', () => {
  const aborted = { phase: 'greeting', reason: 'aborted' as const, message: 'aborted during the greeting' };
  const serviceCheck = (expectation: Expectation = 'required'): Check => ({ ...check(expectation), probe: 'smtp' });

  test('SMTP connected, the greeting never came: inconclusive, not pass', () => {
    const service = { kind: 'smtp', dialogue: [], failure: aborted };
    const j = judge(serviceCheck(), { state: 'open', attempts: 1, service }, [{ id: 'smtp.aborted', severity: 'info', message: 'aborted' }]);
    expect(j.verdict).toBe('inconclusive');
    expect(j.why).toContain('cut short before the service answered');
  });

  test('LDAPS whose handshake the cut stopped: inconclusive, not warn', () => {
    const service = { kind: 'ldaps', handshake: 'failed', hostName: 'h', failure: { ...aborted, phase: 'TLS handshake' } };
    const j = judge(serviceCheck(), { state: 'open', attempts: 1, service }, [{ id: 'tls.handshake-failed', severity: 'critical', message: 'x' }]);
    expect(j.verdict).toBe('inconclusive');
  });

  test('a service that had answered before the cut is judged on what it said; a forbidden port that connected is exposed', () => {
    const service = { kind: 'smtp', dialogue: [{ from: 'server', text: '220 h ESMTP' }], failure: aborted };
    expect(judge(serviceCheck(), { state: 'open', attempts: 1, service }).verdict).toBe('pass');
    const silent = { kind: 'smtp', dialogue: [], failure: aborted };
    expect(judge(serviceCheck('forbidden'), { state: 'open', attempts: 1, service: silent }).verdict).toBe('exposed');
  });

  test('a session limit (the server too slow) is not a cut: it stays the service\'s fault', () => {
    const service = { kind: 'smtp', dialogue: [], failure: { phase: 'session', reason: 'timeout' as const, message: 'session limit' } };
    const j = judge(serviceCheck(), { state: 'open', attempts: 1, service }, [{ id: 'smtp.timeout', severity: 'critical', message: 'x' }]);
    expect(j.verdict).toBe('down');
  });

  test('a UDP probe that was sent and cut says so, never "not probed"', () => {
    const j = judge({ ...check('required'), transport: 'udp', probe: 'dns' }, { state: 'open|filtered', attempts: 1, error: 'sent, but the scan was cut short (deadline) before an answer' });
    expect(j.verdict).toBe('inconclusive');
    expect(j.why).toBe('x required: sent, but the scan was cut short (deadline) before an answer');
  });
});
