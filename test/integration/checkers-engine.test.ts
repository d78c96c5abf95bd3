import type { ProbeKind } from '../../src/model/types.js';
import type { Check } from '../../src/plan/types.js';
import { defaultProbers, runEngine, type EngineOptions } from '../../src/probe/engine.js';
import { serviceProbers } from '../../src/probe/service-probers.js';
import { serviceFindings } from '../../src/verdict/findings/index.js';
import { judge } from '../../src/verdict/judge.js';
import { exchangeHttps } from '../helpers/exchange-http.js';
import { exchangeImap, exchangePop3 } from '../helpers/mail-access.js';
import { probeTarget } from '../helpers/probe-target.js';
import {
  certificate,
  smtpFixture,
  startHttpServer,
  startLineServer,
  startRawServer,
  startSmtpServer,
  startTlsServer,
  TEST_CA,
  type Running,
} from '../helpers/servers.js';

/** The service checkers in the probe engine, then findings and the verdict, as a scan runs them. */

const ENGINE: EngineOptions = {
  concurrency: 16,
  perHost: 8,
  timeoutMs: 1000,
  minTimeoutMs: 100,
  maxTimeoutMs: 2000,
  retries: 1,
  deadlineMs: 60000,
  ip: 'both',
  exclude: [],
  dnsServers: [],
};

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function check(server: Running, probe: ProbeKind, modelPort: number, implicitTls = false, host = '127.0.0.1'): Check {
  servers.push(server);
  const base = probeTarget({ port: server.port, modelPort, probe, implicitTls }).check;
  // The engine connects to check.port at each address the destination resolves to: a loopback address here.
  return { ...base, id: `${probe}:${modelPort}`, port: server.port, destination: { role: 'mailbox', host, lookup: 'address' } };
}

describe('service checkers inside the probe engine', () => {
  test('every kind reports facts; findings turn an open pass into warn', async () => {
    const tls = certificate('mail');
    const checks = [
      check(await startSmtpServer(smtpFixture('exchange2016-587')), 'smtp', 587),
      check(await startSmtpServer(smtpFixture('no-starttls')), 'smtp', 25),
      check(await startHttpServer(exchangeHttps, tls), 'http', 443, true),
      check(await startLineServer(exchangeImap()), 'imap', 143),
      check(await startLineServer(exchangePop3(), tls), 'pop3', 995, true),
      check(await startTlsServer(tls), 'ldaps', 50636, true),
      check(await startTlsServer(certificate('expired')), 'tls', 444, true),
    ];
    const probers = { ...defaultProbers(ENGINE), ...serviceProbers({ ca: [TEST_CA()], phaseTimeoutMs: 2000, ehloName: 'probe.example.test' }) };
    const run = await runEngine(checks, ENGINE, probers);
    const now = new Date('2030-01-01T00:00:00Z');
    const verdicts = Object.fromEntries(
      run.observations.map(({ check: c, observation }) => {
        const findings = serviceFindings(c, observation, { certWarnDays: 30, certCritDays: 14, now });
        const judged = judge(c, observation, findings);
        return [c.id, { state: observation.state, kind: observation.service?.kind, attempts: observation.attempts, verdict: judged.verdict, findings: findings.filter((f) => f.severity !== 'info').map((f) => f.id) }];
      }),
    );
    expect(verdicts).toEqual({
      'smtp:587': { state: 'open', kind: 'smtp', attempts: 1, verdict: 'pass', findings: [] },
      'smtp:25': { state: 'open', kind: 'smtp', attempts: 1, verdict: 'warn', findings: ['smtp.no-starttls'] },
      'http:443': { state: 'open', kind: 'http', attempts: 1, verdict: 'pass', findings: [] },
      'imap:143': { state: 'open', kind: 'imap', attempts: 1, verdict: 'pass', findings: [] },
      'pop3:995': { state: 'open', kind: 'pop3', attempts: 1, verdict: 'pass', findings: [] },
      'ldaps:50636': { state: 'open', kind: 'ldaps', attempts: 1, verdict: 'pass', findings: [] },
      'tls:444': { state: 'open', kind: 'tls', attempts: 1, verdict: 'warn', findings: ['tls.expired'] },
    });
  });

  test('a hostile server is one attempt: open, with its failure as a fact, judged down (the dialogue cannot complete)', async () => {
    const mute = check(await startRawServer((socket) => socket.write('220 mute.example.test ESMTP\r\n')), 'smtp', 25);
    const probers = { ...defaultProbers(ENGINE), ...serviceProbers({ phaseTimeoutMs: 500 }) };
    const run = await runEngine([mute], ENGINE, probers);
    const [only] = run.observations;
    expect(only?.observation).toMatchObject({ state: 'open', attempts: 1, error: 'timed out waiting for the EHLO reply after 500 ms' });
    const findings = serviceFindings(mute, only!.observation, { certWarnDays: 30, certCritDays: 14, now: new Date() });
    expect(judge(mute, only!.observation, findings).verdict).toBe('down');
  });
});
