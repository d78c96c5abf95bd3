import { makeLdapsProber, type LdapsFacts } from '../../src/probe/ldaps.js';
import { makeTlsProber, TLS_DEFAULTS, type TlsProberOptions, type TlsServiceFacts } from '../../src/probe/tls.js';
import type { Observation } from '../../src/probe/types.js';
import { probeTarget } from '../helpers/probe-target.js';
import { certificate, startRawServer, startTlsServer, TEST_CA, type CertName, type Running } from '../helpers/servers.js';

const OPTIONS: TlsProberOptions = { ...TLS_DEFAULTS, handshakeTimeoutMs: 1000, sessionTimeoutMs: 4000, ca: [TEST_CA()] };

const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function probe(server: Running, options = OPTIONS, host = 'mail.contoso.test'): Promise<Observation> {
  servers.push(server);
  return makeTlsProber(options)(probeTarget({ port: server.port, modelPort: 443, probe: 'tls', implicitTls: true, host }), new AbortController().signal);
}

const modern = (name: CertName) => startTlsServer({ ...certificate(name), minVersion: 'TLSv1.2' });

describe('TLS checker (implicit TLS)', () => {
  test('a good certificate: version, cipher, names, issuer, dates, trusted with --ca, name matches', async () => {
    const observation = await probe(await modern('mail'));
    const facts = observation.service as TlsServiceFacts;
    expect(observation.state).toBe('open');
    expect(facts).toMatchObject({ kind: 'tls', handshake: 'ok', hostName: 'mail.contoso.test', trusted: true, hostNameMatch: true });
    expect(facts.version).toMatch(/^TLSv1\.[23]$/);
    expect(facts.cipher).toEqual(expect.any(String));
    expect(facts.certificate).toMatchObject({
      subject: 'CN=mail.contoso.test',
      issuer: 'CN=exchange-ports test CA',
      notBefore: '2025-01-01T00:00:00.000Z',
      notAfter: '2075-01-01T00:00:00.000Z',
      selfSigned: false,
    });
    expect(facts.certificate?.names).toEqual(['DNS:mail.contoso.test', 'DNS:autodiscover.contoso.test', 'DNS:localhost', 'IP Address:127.0.0.1']);
    expect(facts.legacy).toEqual({ tested: true, accepted: false });
  });

  test('without --ca the private CA is not trusted', async () => {
    const facts = (await probe(await modern('mail'), { ...OPTIONS, ca: [] })).service as TlsServiceFacts;
    expect(facts.trusted).toBe(false);
    expect(facts.trustError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  test('days left come from the clock the caller gives', async () => {
    const now = () => new Date('2074-12-02T00:00:00Z');
    const facts = (await probe(await modern('mail'), { ...OPTIONS, now })).service as TlsServiceFacts;
    expect(facts.certificate?.daysLeft).toBe(30);
  });

  test.each([
    ['expired', { trusted: false, trustError: 'CERT_HAS_EXPIRED' }],
    ['wrong-name', { trusted: true, hostNameMatch: false }],
    ['self-signed', { trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }],
  ] as const)('%s certificate', async (name, expected) => {
    const facts = (await probe(await modern(name))).service as TlsServiceFacts;
    expect(facts).toMatchObject({ handshake: 'ok', ...expected });
  });

  test('the expired certificate has negative days left; the self-signed one says so', async () => {
    const expired = (await probe(await modern('expired'))).service as TlsServiceFacts;
    expect(expired.certificate?.daysLeft).toBeLessThan(0);
    const self = (await probe(await modern('self-signed'))).service as TlsServiceFacts;
    expect(self.certificate?.selfSigned).toBe(true);
  });

  test('an IP address as the destination matches an IP SAN', async () => {
    const facts = (await probe(await modern('mail'), OPTIONS, '127.0.0.1')).service as TlsServiceFacts;
    expect(facts.hostNameMatch).toBe(true);
  });

  test('TLS 1.0/1.1 accepted is seen by the second handshake', async () => {
    const server = await startTlsServer({ ...certificate('mail'), minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    const facts = (await probe(server)).service as TlsServiceFacts;
    expect(facts.legacy).toEqual({ tested: true, accepted: true, version: 'TLSv1.1' });
  });

  test('legacy check off: not tested, no second connection', async () => {
    const facts = (await probe(await modern('mail'), { ...OPTIONS, legacyCheck: false })).service as TlsServiceFacts;
    expect(facts.legacy).toBeUndefined();
  });

  test('a server that never completes the handshake: failed within the handshake deadline', async () => {
    const observation = await probe(await startRawServer(() => undefined));
    const facts = observation.service as TlsServiceFacts;
    expect(observation.state).toBe('open');
    expect(facts).toMatchObject({ handshake: 'failed', failure: { phase: 'TLS handshake', reason: 'timeout' } });
    expect(observation.error).toBe('timed out waiting for the TLS handshake after 1000 ms');
  });

  test('a plain-text server on a TLS port: handshake fails', async () => {
    const facts = (await probe(await startRawServer((socket) => socket.end('220 not tls\r\n')))).service as TlsServiceFacts;
    expect(facts).toMatchObject({ handshake: 'failed', failure: { reason: 'tls' } });
  });
});

describe('EdgeSync LDAPS checker', () => {
  test('handshake and certificate facts, kind ldaps', async () => {
    const server = await modern('mail');
    servers.push(server);
    const observation = await makeLdapsProber(OPTIONS)(
      probeTarget({ port: server.port, modelPort: 50636, probe: 'ldaps', implicitTls: true }),
      new AbortController().signal,
    );
    expect(observation.service as LdapsFacts).toMatchObject({ kind: 'ldaps', handshake: 'ok', trusted: true, hostNameMatch: true });
  });
});
