import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toServiceSetup, type ServiceArgs } from '../../src/cli/service-options.js';
import type { Check } from '../../src/plan/types.js';
import type { Observation } from '../../src/probe/types.js';

const CA = join(fileURLToPath(new URL('../..', import.meta.url)), 'fixtures/certs/ca.pem');
const ARGS: ServiceArgs = { ca: [], 'cert-warn-days': 30, 'cert-crit-days': 14, 'service-timeout': 10000, 'legacy-tls': true };

describe('scan service options', () => {
  test('probers for every service kind', async () => {
    const setup = await toServiceSetup({ ...ARGS, ca: [CA], ehlo: 'probe.example.test' });
    expect(Object.keys(setup.probers).sort()).toEqual(['http', 'imap', 'ldaps', 'pop3', 'smtp', 'tls']);
  });

  test('findings use the thresholds and the clock given', async () => {
    const setup = await toServiceSetup({ ...ARGS, 'cert-warn-days': 60 }, () => new Date('2074-11-15T00:00:00Z'));
    const check = { port: 443, probe: 'tls', expectation: 'required' } as unknown as Check;
    const observation: Observation = {
      state: 'open',
      attempts: 1,
      service: {
        kind: 'tls',
        handshake: 'ok',
        hostName: 'mail.contoso.test',
        certificate: { subject: 'CN=x', names: [], issuer: 'CN=y', notBefore: '2025-01-01T00:00:00.000Z', notAfter: '2075-01-01T00:00:00.000Z', daysLeft: 0, selfSigned: false, serialNumber: '1', fingerprint256: 'A' },
        trusted: true,
        hostNameMatch: true,
      },
    };
    expect(setup.findings(check, observation).map((f) => `${f.severity}:${f.id}`)).toEqual(['warning:tls.expiring']);
  });

  test.each([
    [{ 'cert-warn-days': -1 }, '--cert-warn-days: expected a whole number of at least 0, got -1'],
    [{ 'cert-crit-days': 40 }, '--cert-crit-days 40 is above --cert-warn-days 30'],
    [{ 'service-timeout': 0.5 }, '--service-timeout: expected a whole number from 1 to 600000, got 0.5'],
    // Past what a timer holds, Node would fire the wait at once: a closed port would read as silent.
    [{ 'service-timeout': 3_000_000_000 }, '--service-timeout: expected a whole number from 1 to 600000, got 3000000000'],
    [{ ehlo: 'two words' }, '--ehlo: "two words" is not a host name'],
    [{ ca: ['/nonexistent.pem'] }, '--ca /nonexistent.pem: cannot read: no such file or directory'],
    // A device or a FIFO could block for ever: refused like a topology's.
    [{ ca: ['/dev/null'] }, '--ca /dev/null: cannot read: not a regular file'],
    [{ ca: [fileURLToPath(import.meta.url)] }, `--ca ${fileURLToPath(import.meta.url)}: not a PEM certificate`],
  ] as const)('%j is a usage error', async (bad, message) => {
    await expect(toServiceSetup({ ...ARGS, ...bad } as ServiceArgs)).rejects.toMatchObject({ name: 'UsageError', message });
  });
});
