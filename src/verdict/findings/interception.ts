import type { Check } from '../../plan/types.js';
import type { TlsFacts } from '../../probe/tls-facts.js';
import type { Finding } from '../types.js';
import { finding } from './finding.js';

/**
 * Products that intercept TLS with a CA of their own, by a word their CA certificates carry in
 * the issuer name. The appliances are those Durumeric et al. fingerprinted in "The Security
 * Impact of HTTPS Interception" (NDSS 2017; the study US-CERT alert TA17-075A rests on): A10,
 * Barracuda, Blue Coat, Check Point, Cisco (IronPort), Forcepoint/Websense, Fortinet, Juniper,
 * Microsoft TMG, Sophos, Untangle, WatchGuard, WebTitan; plus the cloud proxies whose vendors
 * document the root clients must trust (Zscaler Root CA, Netskope, Cisco Umbrella, Palo Alto
 * Networks' forward-trust CA, Menlo Security, iboss). "Symantec" alone is not in it: it was a
 * public CA before Blue Coat's products carried the name.
 */
const INSPECTION_PRODUCTS: readonly (readonly [RegExp, string])[] = [
  [/\bforti(gate|net|proxy)\b/i, 'Fortinet FortiGate'],
  [/\bpalo ?alto\b/i, 'Palo Alto Networks'],
  [/\bzscaler\b/i, 'Zscaler'],
  [/\bblue ?coat\b|\bproxysg\b/i, 'Blue Coat / Symantec ProxySG'],
  [/\bsophos\b/i, 'Sophos'],
  [/\bumbrella\b/i, 'Cisco Umbrella'],
  [/\bfirepower\b|\bironport\b/i, 'Cisco Firepower / IronPort'],
  [/\bcheck ?point\b/i, 'Check Point'],
  [/\bbarracuda\b/i, 'Barracuda'],
  [/\bnetskope\b/i, 'Netskope'],
  [/\bforcepoint\b|\bwebsense\b/i, 'Forcepoint / Websense'],
  [/\bwatchguard\b/i, 'WatchGuard'],
  [/\buntangle\b/i, 'Untangle'],
  [/\bwebtitan\b/i, 'WebTitan'],
  [/\ba10 networks\b|\bvthunder\b/i, 'A10 Networks'],
  [/\bjuniper\b/i, 'Juniper SRX'],
  [/\bthreat management gateway\b|\bforefront tmg\b/i, 'Microsoft Forefront TMG'],
  [/\bmenlo security\b/i, 'Menlo Security'],
  [/\biboss\b/i, 'iboss'],
];

/** The inspection product a certificate's issuer (or a CA in its chain) names, if any. */
export function inspectionProduct(tls: TlsFacts): string | undefined {
  const names = [tls.certificate?.issuer ?? '', ...(tls.chain ?? []).slice(1)];
  for (const [pattern, product] of INSPECTION_PRODUCTS) if (names.some((name) => pattern.test(name))) return product;
  return undefined;
}

const BREAKS =
  'TLS interception breaks Exchange certificate-based authentication (Exchange-to-Exchange, hybrid OAuth, MRS) and Extended Protection (on by default from Exchange 2019 CU14); exempt Exchange from decryption';

/**
 * TLS interception seen from one vantage: a certificate from an issuer that names an inspection
 * product, or from another issuer (or with another fingerprint) than the topology's
 * `certificates:` names for the service. `where` names the handshake ("443", "STARTTLS on 25").
 */
export function interceptionFindings(check: Check, tls: TlsFacts | undefined, where: string): Finding[] {
  const cert = tls?.handshake === 'ok' ? tls.certificate : undefined;
  if (!tls || !cert) return [];
  const found: Finding[] = [];
  const product = inspectionProduct(tls);
  if (product) {
    found.push(finding('tls.intercepted', 'critical', `${where}: the certificate is issued by ${cert.issuer}, a ${product} inspection CA: something between ${check.source.role} and the server decrypts the traffic. ${BREAKS}`));
  }
  const expected = check.certificates;
  if (!expected) return found;
  const issuerKnown = expected.issuers.length === 0 || expected.issuers.some((issuer) => cert.issuer.toLowerCase().includes(issuer.toLowerCase()));
  const fingerprintKnown = expected.fingerprints.length === 0 || expected.fingerprints.includes(cert.fingerprint256.toUpperCase());
  if (!issuerKnown || !fingerprintKnown) {
    const said = [
      ...(issuerKnown ? [] : [`issuer ${cert.issuer} is not one of ${expected.issuers.join(', ')}`]),
      ...(fingerprintKnown ? [] : [`SHA-256 ${cert.fingerprint256} is not one the topology names`]),
    ].join('; ');
    found.push(
      finding(
        'tls.unexpected-certificate',
        'critical',
        `${where}: not the organization's certificate (${said}): TLS interception, or a load balancer publishing with its own certificate. ${BREAKS}`,
      ),
    );
  }
  return found;
}
