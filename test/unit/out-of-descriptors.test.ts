import { runEngine } from '../../src/probe/engine.js';
import { meaningOf } from '../../src/probe/socket-errors.js';
import type { Observation, Prober } from '../../src/probe/types.js';
import { FAST_OPTIONS, makeCheck } from '../helpers/checks.js';

describe('running out of file descriptors', () => {
  test('every socket error reading gives the code, and EMFILE is never a fact about the target', () => {
    const emfile = Object.assign(new Error('connect EMFILE 127.0.0.1:25 - Local (undefined:undefined)'), { code: 'EMFILE' });
    expect(meaningOf(emfile, 'connection refused')).toEqual({ state: 'error', error: 'EMFILE: out of file descriptors', answered: false, code: 'EMFILE' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ECONNREFUSED' });
    expect(meaningOf(refused, 'connection refused')).toMatchObject({ state: 'closed', code: 'ECONNREFUSED' });
  });

  test('a service prober that hit EMFILE is tried again by the engine, not reported (the code, not the text, tells)', async () => {
    let calls = 0;
    // A service checker's error text keeps Node's own wording ("connect EMFILE ..."): only the code is reliable.
    const smtp: Prober = async (target): Promise<Observation> => {
      calls += 1;
      return calls === 1
        ? { state: 'error', address: target.address, attempts: 1, error: 'connect EMFILE 127.0.0.1:25', errorCode: 'EMFILE' }
        : { state: 'open', address: target.address, attempts: 1, rttMs: 1 };
    };
    const run = await runEngine([makeCheck('127.0.0.1', 25, 'tcp', 'smtp')], FAST_OPTIONS, { smtp });
    expect(calls).toBe(2);
    expect(run.observations.map((o) => [o.observation.state, o.observation.attempts])).toEqual([['open', 1]]);
  });
});
