import type { Check } from '../../src/plan/types.js';
import type { SmtpFacts } from '../../src/probe/smtp.js';
import type { TlsFacts } from '../../src/probe/tls-facts.js';
import type { Observation } from '../../src/probe/types.js';
import { serviceFindings, type FindingOptions } from '../../src/verdict/findings/index.js';
import { nameCovered } from '../../src/verdict/findings/smtp.js';
import { tlsFindings } from '../../src/verdict/findings/tls.js';

const TLS: TlsFacts = {
  handshake: 'ok',
  hostName: 'mail.contoso.test',
  version: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  certificate: {
    subject: 'CN=mail.contoso.test',
    names: ['DNS:mail.contoso.test', 'DNS:*.contoso.test'],
    issuer: 'CN=CA',
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2027-01-31T00:00:00.000Z',
    daysLeft: 400,
    selfSigned: false,
    serialNumber: '01',
    fingerprint256: 'AA',
  },
  trusted: true,
  hostNameMatch: true,
};

const at = (iso: string): FindingOptions => ({ certWarnDays: 30, certCritDays: 14, now: new Date(iso) });
const ids = (found: { id: string; severity: string }[]) => found.map((f) => `${f.severity}:${f.id}`);

describe('TLS findings', () => {
  test.each([
    ['2026-12-01T00:00:00Z', []],
    ['2027-01-01T00:00:01Z', ['warning:tls.expiring']],
    ['2027-01-17T00:00:01Z', ['critical:tls.expiring']],
    ['2027-01-31T00:00:00Z', ['critical:tls.expired']],
    ['2024-06-01T00:00:00Z', ['critical:tls.not-yet-valid']],
  ])('days left are judged at the given time: %s', (now, expected) => {
    expect(ids(tlsFindings(TLS, at(now), '443'))).toEqual(expected);
  });

  test('the thresholds come from the options', () => {
    expect(ids(tlsFindings(TLS, { certWarnDays: 60, certCritDays: 5, now: new Date('2026-12-15T00:00:00Z') }, '443'))).toEqual(['warning:tls.expiring']);
  });

  test('untrusted, self-signed, name mismatch, legacy protocols', () => {
    const now = at('2026-01-01T00:00:00Z');
    expect(ids(tlsFindings({ ...TLS, trusted: false, trustError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, now, '443'))).toEqual(['warning:tls.untrusted']);
    const self = { ...TLS, trusted: false, certificate: { ...TLS.certificate!, selfSigned: true } };
    expect(ids(tlsFindings(self, now, '443'))).toEqual(['warning:tls.self-signed']);
    expect(ids(tlsFindings({ ...TLS, hostNameMatch: false }, now, '443'))).toEqual(['warning:tls.name-mismatch']);
    expect(ids(tlsFindings({ ...TLS, version: 'TLSv1' }, now, '443'))).toEqual(['warning:tls.legacy-protocol']);
    expect(ids(tlsFindings({ ...TLS, legacy: { tested: true, accepted: true, version: 'TLSv1.1' } }, now, '443'))).toEqual(['warning:tls.legacy-protocol']);
    expect(ids(tlsFindings({ ...TLS, legacy: { tested: false, note: 'could not test: x' } }, now, '443'))).toEqual(['info:tls.legacy-not-tested']);
  });

  test('an expired chain is reported once, as expired', () => {
    const expired = { ...TLS, trusted: false, trustError: 'CERT_HAS_EXPIRED' };
    expect(ids(tlsFindings(expired, at('2028-01-01T00:00:00Z'), '443'))).toEqual(['critical:tls.expired']);
  });
});

describe('certificate name matching for the SMTP banner', () => {
  test.each([
    ['mail.contoso.test', true],
    ['MAIL.contoso.test.', true],
    ['edge.contoso.test', true],
    ['a.b.contoso.test', false],
    ['contoso.test', false],
    ['mail.other.test', false],
  ])('%s -> %s', (host, covered) => {
    expect(nameCovered(host, TLS.certificate!)).toBe(covered);
  });

  test('the CN counts only when there are no DNS names', () => {
    expect(nameCovered('mail.contoso.test', { ...TLS.certificate!, names: [] })).toBe(true);
    expect(nameCovered('mail.contoso.test', { ...TLS.certificate!, names: ['DNS:other.test'] })).toBe(false);
  });
});

describe('serviceFindings', () => {
  const check = { port: 587, portName: 'submission', probe: 'smtp', expectation: 'required', source: { role: 'client' } } as unknown as Check;
  const facts: SmtpFacts = {
    kind: 'smtp',
    implicitTls: false,
    greeting: { code: 220, lines: ['220 mail.contoso.test ESMTP'] },
    bannerHost: 'mail.contoso.test',
    ehlo: { command: 'EHLO', code: 250, lines: [], extensions: { AUTH: ['PLAIN'] } },
    auth: ['PLAIN'],
    starttls: { offered: false, attempted: false },
    exchange: { banner: false, markers: [], backEnd: [], legacy: [] },
    dialogue: [],
    problems: [],
    quit: { sent: true, code: 221 },
  };
  const observation: Observation = { state: 'open', attempts: 1, service: facts };

  test('is deterministic and pure', () => {
    const options = at('2026-01-01T00:00:00Z');
    const first = serviceFindings(check, observation, options);
    expect(serviceFindings(check, observation, options)).toEqual(first);
    expect(ids(first)).toEqual(['critical:smtp.basic-auth-before-tls', 'info:smtp.not-exchange', 'critical:smtp.no-starttls']);
    expect(observation.service).toBe(facts);
  });

  test('no facts, or a port that is not open: nothing to say', () => {
    expect(serviceFindings(check, { state: 'filtered', attempts: 1 }, at('2026-01-01T00:00:00Z'))).toEqual([]);
    expect(serviceFindings(check, { state: 'open', attempts: 1 }, at('2026-01-01T00:00:00Z'))).toEqual([]);
    expect(serviceFindings(check, { state: 'closed', attempts: 1 }, at('2026-01-01T00:00:00Z'))).toEqual([]);
  });

  test('port 25 without a port name is inbound mail; AUTH NTLM there is only info', () => {
    const on25 = { ...check, port: 25, portName: undefined } as unknown as Check;
    const ntlm = { ...facts, auth: ['NTLM'], starttls: { offered: true, attempted: false }, ehlo: { ...facts.ehlo!, extensions: { AUTH: ['NTLM'], STARTTLS: [] } } };
    expect(ids(serviceFindings(on25, { ...observation, service: ntlm }, at('2026-01-01T00:00:00Z')))).toEqual(['info:smtp.auth-on-25', 'info:smtp.not-exchange']);
  });
});

describe('serviceFindings: what no public transcript backs (TRANSCRIPTS.md; the transcripts are checked in transcripts.test.ts)', () => {
  const on25 = { port: 25, portName: 'smtp', probe: 'smtp', expectation: 'required', source: { role: 'internet' }, destination: { role: 'mailbox', host: 'mbx', lookup: 'name' } } as unknown as Check;
  const smtp = (greeting: string, extensions: Record<string, string[]>, exchange: SmtpFacts['exchange']): Observation => ({
    state: 'open',
    attempts: 1,
    service: {
      kind: 'smtp',
      implicitTls: false,
      greeting: { code: 220, lines: [greeting] },
      ehlo: { command: 'EHLO', code: 250, lines: [], extensions: { ...extensions, STARTTLS: [] } },
      auth: [],
      starttls: { offered: true, attempted: false },
      exchange,
      dialogue: [],
      problems: [],
      quit: { sent: true, code: 221 },
    } satisfies SmtpFacts,
  });
  const options = at('2026-01-01T00:00:00Z');

  test('the upper-case Mailbox Transport greeting on 25 from the Internet is a back-end listener', () => {
    const found = serviceFindings(on25, smtp('220 MBX01 MICROSOFT ESMTP MAIL SERVICE READY AT x', {}, { banner: true, mailboxTransport: true, markers: [], backEnd: [], legacy: [] }), options);
    expect(ids(found)).toContain('critical:smtp.backend-listener');
  });

  test('port 80: 403 (default install) is info, a 200 page is a warning, a redirect to https is nothing', () => {
    const on80 = { port: 80, portName: 'http', probe: 'http', expectation: 'optional', source: { role: 'internet' }, destination: { role: 'mailbox', host: 'mbx', lookup: 'name' } } as unknown as Check;
    const http = (status: number, headers: Record<string, string[]> = {}): Observation => ({
      state: 'open',
      attempts: 1,
      service: { kind: 'http', scheme: 'http', responses: [{ path: '/', status, statusLine: `HTTP/1.1 ${status}`, headers }] },
    });
    expect(ids(serviceFindings(on80, http(403), options))).toEqual(['info:http.no-https-redirect']);
    expect(serviceFindings(on80, http(403), options)[0]?.message).toContain('default install');
    expect(ids(serviceFindings(on80, http(200), options))).toEqual(['warning:http.no-https-redirect']);
    expect(serviceFindings(on80, http(301, { location: ['https://mail.contoso.test/owa'] }), options)).toEqual([]);
  });
});
