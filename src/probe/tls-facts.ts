import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { DialogueFailure } from './deadline.js';

export interface CertificateFacts {
  readonly subject: string;
  /** Subject alternative names as written in the certificate (`DNS:mail.contoso.com`, `IP Address:198.18.0.1`). */
  readonly names: readonly string[];
  readonly issuer: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Whole days from the probe to notAfter (negative once expired). */
  readonly daysLeft: number;
  /** Issuer and subject are the same name: nobody vouches for it but itself. */
  readonly selfSigned: boolean;
  readonly serialNumber: string;
  readonly fingerprint256: string;
}

/** Whether the server still accepts TLS 1.0/1.1 (a second handshake limited to TLS 1.1). */
export interface LegacyTlsFacts {
  readonly tested: boolean;
  readonly accepted?: boolean;
  readonly version?: string;
  readonly note?: string;
}

/** What one TLS handshake showed. Shared by the TLS, SMTP STARTTLS, IMAP, POP3, HTTP and LDAPS checkers. */
export interface TlsFacts {
  readonly handshake: 'ok' | 'failed';
  readonly failure?: DialogueFailure;
  /** The name the certificate must match: the destination host, or the MX host it was found under. */
  readonly hostName: string;
  readonly version?: string;
  readonly cipher?: string;
  readonly certificate?: CertificateFacts;
  /** Subjects from the leaf up, as the server sent them. */
  readonly chain?: readonly string[];
  /** Chain verified against Node's roots, the system's store and any `--ca` roots (probe/trust-store.ts). */
  readonly trusted?: boolean;
  readonly trustError?: string;
  readonly hostNameMatch?: boolean;
  readonly hostNameError?: string;
  readonly legacy?: LegacyTlsFacts;
}

function distinguishedName(name: Record<string, string | string[]> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

const DAY_MS = 86_400_000;

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

export function certificateFacts(cert: PeerCertificate, now: Date): CertificateFacts {
  const notAfter = new Date(cert.valid_to);
  const subject = distinguishedName(cert.subject as unknown as Record<string, string>);
  const issuer = distinguishedName(cert.issuer as unknown as Record<string, string>);
  return {
    subject,
    names: cert.subjectaltname ? cert.subjectaltname.split(', ').filter(Boolean) : [],
    issuer,
    notBefore: new Date(cert.valid_from).toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: daysBetween(now, notAfter),
    selfSigned: subject === issuer,
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
  };
}

function chainSubjects(leaf: DetailedPeerCertificate): string[] {
  const subjects: string[] = [];
  const seen = new Set<string>();
  for (let cert: DetailedPeerCertificate | undefined = leaf; cert && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
    seen.add(cert.fingerprint256);
    subjects.push(distinguishedName(cert.subject as unknown as Record<string, string>));
  }
  return subjects;
}

/** Facts from a finished handshake. Trust comes from `authorized`: the socket never rejects. */
export function tlsFacts(socket: TLSSocket, hostName: string, now: Date): TlsFacts {
  const peer = socket.getPeerCertificate(true);
  const hasCert = peer && Object.keys(peer).length > 0;
  const identity = hasCert ? checkServerIdentity(hostName, peer) : new Error('the server sent no certificate');
  // Node folds the host-name check into `authorized`: an ALTNAME error means the chain itself verified.
  const reported = socket.authorizationError ? String(socket.authorizationError) : undefined;
  const trustError = reported === 'ERR_TLS_CERT_ALTNAME_INVALID' ? undefined : reported;
  return {
    handshake: 'ok',
    hostName,
    version: socket.getProtocol() ?? undefined,
    cipher: socket.getCipher()?.name,
    ...(hasCert ? { certificate: certificateFacts(peer, now), chain: chainSubjects(peer) } : {}),
    trusted: socket.authorized || (reported !== undefined && trustError === undefined),
    ...(trustError ? { trustError } : {}),
    hostNameMatch: identity === undefined,
    ...(identity ? { hostNameError: identity.message } : {}),
  };
}

export function failedTls(hostName: string, failure: DialogueFailure): TlsFacts {
  return { handshake: 'failed', hostName, failure };
}
