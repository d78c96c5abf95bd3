import { connectTcp } from '../../src/probe/service-connect.js';
import { serviceProbers } from '../../src/probe/service-probers.js';
import type { ProbeKind } from '../../src/model/types.js';
import { probeTarget } from '../helpers/probe-target.js';
import { closeServer, listenTcp } from '../helpers/servers.js';
import { startSilentPort, type SilentPort } from '../helpers/silent-port.js';

/**
 * A service check's connect is bounded by the wait the engine gives it (`target.timeoutMs`,
 * the adaptive wait), never by the dialogue's phase limits (`--service-timeout`): a dropped
 * port costs what a TCP probe's silence costs, and no second (TLS 1.0/1.1) connection is tried.
 */

const PHASE_MS = 20_000;
const WAIT_MS = 300;
/** Generous: far below one phase limit. */
const ENDED_WITHIN_MS = 5000;

let silent: SilentPort;
beforeAll(async () => {
  silent = await startSilentPort();
});
afterAll(async () => {
  await silent.close();
});

describe('a dropped port on a service check', () => {
  const probers = serviceProbers({ phaseTimeoutMs: PHASE_MS, legacyTls: true });
  test.each([
    ['smtp', 25, false],
    ['smtp', 465, true],
    ['tls', 444, true],
    ['ldaps', 50636, true],
    ['http', 443, true],
    ['http', 80, false],
    ['imap', 143, false],
    ['pop3', 995, true],
  ] as const)('%s on %i: filtered after the engine\'s wait, not a phase limit', async (probe, modelPort, implicitTls) => {
    const prober = probers[probe as ProbeKind]!;
    const started = performance.now();
    const observation = await prober(probeTarget({ port: silent.port, modelPort, probe, implicitTls, timeoutMs: WAIT_MS }), new AbortController().signal);
    const elapsed = performance.now() - started;
    expect(observation).toEqual({ state: 'filtered', address: '127.0.0.1', attempts: 1, error: `no answer within ${WAIT_MS} ms` });
    expect(elapsed).toBeGreaterThanOrEqual(WAIT_MS - 5);
    expect(elapsed).toBeLessThan(ENDED_WITHIN_MS);
  });
});

describe('a connect answered while this process was busy', () => {
  test('counts: the wait ends with what came in, not with the timer that ran first', async () => {
    const { server, port } = await listenTcp();
    try {
      // Started, then the event loop stalls past the wait (a loaded machine, a long TLS
      // computation) in its check phase: the kernel completes the connect meanwhile, and the
      // next turn of the loop runs the due timer before it reads that I/O.
      const pending = new Promise<Awaited<ReturnType<typeof connectTcp>>>((resolve) =>
        setImmediate(() => {
          void connectTcp('127.0.0.1', port, 50, new AbortController().signal).then(resolve);
          const until = performance.now() + 200;
          while (performance.now() < until);
        }),
      );
      const connected = await pending;
      expect(connected.ok).toBe(true);
      if (connected.ok) connected.socket.destroy();
    } finally {
      await closeServer(server);
    }
  });
});
