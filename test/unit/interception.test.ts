import { MODEL } from '../../src/model/index.js';
import { plan } from '../../src/plan/plan.js';
import type { Check } from '../../src/plan/types.js';
import type { TlsFacts } from '../../src/probe/tls-facts.js';
import { TopologyError } from '../../src/topology/errors.js';
import { parseTopology } from '../../src/topology/parse.js';
import { inspectionProduct, interceptionFindings } from '../../src/verdict/findings/interception.js';

const FINGERPRINT = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const TOPOLOGY = `organization: contoso
hosts:
  mailbox: [{ name: mbx01.contoso.local, address: 198.18.3.11, external: mail.contoso.com }]
certificates:
  https:
    issuers: [Contoso Issuing CA]
    fingerprints: [${FINGERPRINT.replace(/:/g, '').toLowerCase()}]
  smtp: { issuers: ["O=Contoso"] }
`;

function problems(text: string): string[] {
  try {
    parseTopology(text, 'topology.yaml');
  } catch (error) {
    if (error instanceof TopologyError) return error.problems;
    throw error;
  }
  throw new Error('the topology was accepted');
}

function tls(issuer: string, fingerprint256 = FINGERPRINT, chain?: string[]): TlsFacts {
  return {
    handshake: 'ok',
    hostName: 'mail.contoso.com',
    certificate: { subject: 'CN=mail.contoso.com', names: [], issuer, notBefore: '', notAfter: '', daysLeft: 300, selfSigned: false, serialNumber: '01', fingerprint256 },
    chain: chain ?? ['CN=mail.contoso.com', issuer],
    trusted: true,
    hostNameMatch: true,
  };
}

describe('certificates: in the topology', () => {
  test('are read per service, fingerprints in any spelling, and reach the checks of that service only', () => {
    const topology = parseTopology(TOPOLOGY, 'topology.yaml');
    expect(topology.certificates).toEqual({ https: { issuers: ['Contoso Issuing CA'], fingerprints: [FINGERPRINT] }, smtp: { issuers: ['O=Contoso'], fingerprints: [] } });
    const checks = plan(MODEL, topology, { role: 'internet' }).checks;
    expect(checks.find((c) => c.flow === 'client.https')?.certificates).toEqual(topology.certificates?.https);
    expect(checks.find((c) => c.flow === 'client.imap4')?.certificates).toBeUndefined();
    expect(checks.find((c) => c.flow === 'client.https')?.destination).toEqual({ role: 'mailbox', host: 'mail.contoso.com', lookup: 'name', server: 'mbx01.contoso.local' });
  });

  test('mistakes are named with their line and field', () => {
    const bad = `organization: contoso
hosts:
  mailbox: [mbx01.contoso.local]
certificates:
  htps: { issuers: [x] }
  smtp: { fingerprints: [abc] }
  imaps: {}
`;
    expect(problems(bad)).toEqual([
      expect.stringMatching(/^topology\.yaml:5: certificates\.htps: unknown key .*did you mean "https"/),
      expect.stringMatching(/^topology\.yaml:6: certificates\.smtp\.fingerprints\[0\]: expected a SHA-256 fingerprint/),
      expect.stringMatching(/^topology\.yaml:7: certificates\.imaps: name at least one of issuers or fingerprints/),
    ]);
  });
});

describe('TLS interception from one vantage', () => {
  const topology = parseTopology(TOPOLOGY, 'topology.yaml');
  const https = plan(MODEL, topology, { role: 'internet' }).checks.find((c) => c.flow === 'client.https') as Check;
  const { certificates: _none, ...unconfigured } = https;

  test.each([
    ['CN=FortiGate CA, O=Fortinet, C=US', 'Fortinet FortiGate'],
    ['CN=Zscaler Intermediate Root CA (zscaler.net), O=Zscaler Inc.', 'Zscaler'],
    ['CN=Palo Alto Networks Forward Trust CA', 'Palo Alto Networks'],
    ['CN=Cisco Umbrella Secondary SubCA ord-SG, O=Cisco', 'Cisco Umbrella'],
    ['CN=Sophos SSL CA_C6E4A2, O=Sophos', 'Sophos'],
    ['CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc', undefined],
    ['CN=Symantec Class 3 Secure Server CA - G4, O=Symantec Corporation', undefined],
  ])('the issuer %s names %s', (issuer, product) => {
    expect(inspectionProduct(tls(issuer))).toBe(product);
  });

  test('a product CA higher up the chain counts too', () => {
    expect(inspectionProduct(tls('CN=Inspection Sub CA', FINGERPRINT, ['CN=mail.contoso.com', 'CN=Inspection Sub CA', 'CN=Netskope Root CA']))).toBe('Netskope');
  });

  test('an inspection product is critical, naming what breaks, even without certificates: in the topology', () => {
    const found = interceptionFindings(unconfigured, tls('CN=FortiGate CA, O=Fortinet'), '443');
    expect(found.map((f) => `${f.severity}:${f.id}`)).toEqual(['critical:tls.intercepted']);
    expect(found[0]?.message).toMatch(/^443: the certificate is issued by CN=FortiGate CA, O=Fortinet, a Fortinet FortiGate inspection CA: something between internet and the server decrypts/);
    expect(found[0]?.message).toContain('Extended Protection');
  });

  test('the organization\'s own certificate passes; another issuer or fingerprint is named', () => {
    expect(interceptionFindings(https, tls('CN=Contoso Issuing CA, DC=contoso'), '443')).toEqual([]);
    const other = interceptionFindings(https, tls("CN=R11, O=Let's Encrypt"), '443');
    expect(other.map((f) => f.id)).toEqual(['tls.unexpected-certificate']);
    expect(other[0]?.message).toContain("issuer CN=R11, O=Let's Encrypt is not one of Contoso Issuing CA");
    expect(other[0]?.message).toContain('a load balancer publishing with its own certificate');
    const renewed = interceptionFindings(https, tls('CN=Contoso Issuing CA', FINGERPRINT.replace('AB', '00')), '443');
    expect(renewed[0]?.message).toMatch(/SHA-256 00:CD:.* is not one the topology names/);
    expect(interceptionFindings(https, undefined, '443')).toEqual([]);
  });
});
