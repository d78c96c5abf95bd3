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
});
