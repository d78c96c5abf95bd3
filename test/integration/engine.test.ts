import type { Server } from 'node:net';
import { defaultProbers, runEngine } from '../../src/probe/engine.js';
import { FAST_OPTIONS, makeCheck } from '../helpers/checks.js';
import { closeServer, freeTcpPort, listenTcp } from '../helpers/servers.js';

describe('engine: TCP connect over loopback', () => {
  let server: Server;
  let openPort: number;
  let closedPort: number;
  beforeAll(async () => {
    ({ server, port: openPort } = await listenTcp());
    closedPort = await freeTcpPort();
  });
  afterAll(() => closeServer(server));

  it('classifies open, closed and unresolved, one observation per address', async () => {
    const checks = [
      makeCheck('127.0.0.1', openPort),
      makeCheck('127.0.0.1', closedPort),
      makeCheck('no-such-host.invalid', 25, 'tcp', 'tcp', 'name'),
    ];
    const run = await runEngine(checks, FAST_OPTIONS, defaultProbers(FAST_OPTIONS));
    expect(run.observations.map(({ check, observation }) => [check.port, observation.state, observation.address])).toEqual([
      [openPort, 'open', '127.0.0.1'],
      [closedPort, 'closed', '127.0.0.1'],
      [25, 'unresolved', undefined],
    ]);
    expect(run.partial).toBe(false);
    expect(run.control).toEqual([checks[0]!.id, checks[1]!.id]);
    expect(run.couldNotScan).toBeUndefined();
  });
});
