import type { TlsFacts } from '../../probe/tls-facts.js';
import type { Finding } from '../types.js';
import { finding, type FindingOptions } from './finding.js';

const DAY_MS = 86_400_000;
const LEGACY_VERSIONS = new Set(['SSLv3', 'TLSv1', 'TLSv1.1']);

/** Findings on a TLS handshake. `where` names it in messages ("STARTTLS on 25", "443"). */
export function tlsFindings(tls: TlsFacts, options: FindingOptions, where: string): Finding[] {
  if (tls.handshake === 'failed') {
    return [finding('tls.handshake-failed', 'critical', `${where}: ${tls.failure?.message ?? 'TLS handshake failed'}`)];
  }
  const found: Finding[] = [];
  const cert = tls.certificate;
  if (cert) {
    const now = options.now.getTime();
    const notAfter = Date.parse(cert.notAfter);
    const daysLeft = Math.floor((notAfter - now) / DAY_MS);
    if (Date.parse(cert.notBefore) > now) {
      found.push(finding('tls.not-yet-valid', 'critical', `${where}: the certificate is not valid before ${cert.notBefore}`));
    }
    if (notAfter <= now) {
      found.push(finding('tls.expired', 'critical', `${where}: the certificate expired on ${cert.notAfter}`));
    } else if (daysLeft < options.certCritDays) {
      found.push(finding('tls.expiring', 'critical', `${where}: the certificate expires in ${daysLeft} days (${cert.notAfter})`));
    } else if (daysLeft < options.certWarnDays) {
      found.push(finding('tls.expiring', 'warning', `${where}: the certificate expires in ${daysLeft} days (${cert.notAfter})`));
    }
  }
  if (tls.hostNameMatch === false) {
    const names = cert?.names.length ? cert.names.join(', ') : (cert?.subject ?? 'none');
    found.push(finding('tls.name-mismatch', 'warning', `${where}: the certificate does not name ${tls.hostName} (it names ${names})`));
  }
  if (tls.trusted === false && tls.trustError !== 'CERT_HAS_EXPIRED' && tls.trustError !== 'CERT_NOT_YET_VALID') {
    found.push(
      cert?.selfSigned
        ? finding('tls.self-signed', 'warning', `${where}: the certificate is self-signed (${cert.subject})`)
        : finding('tls.untrusted', 'warning', `${where}: the certificate chain is not trusted (${tls.trustError ?? 'unknown reason'}); add the root with --ca if it is your own CA`),
    );
  }
  const legacyVersion = tls.version && LEGACY_VERSIONS.has(tls.version) ? tls.version : tls.legacy?.accepted ? tls.legacy.version : undefined;
  if (legacyVersion) {
    found.push(finding('tls.legacy-protocol', 'warning', `${where}: the server accepts ${legacyVersion}`));
  } else if (tls.legacy && !tls.legacy.tested) {
    found.push(finding('tls.legacy-not-tested', 'info', `${where}: TLS 1.0/1.1 acceptance ${tls.legacy.note ?? 'could not be tested'}`));
  }
  return found;
}
