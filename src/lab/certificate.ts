import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * Self-signed certificates made at run time, so that "expires in 10 days" stays true whenever
 * the lab runs. Node has no certificate builder: this writes the few DER structures X.509 needs
 * and signs them with an EC P-256 key (fast to generate).
 */
export interface LabCertificate {
  readonly key: string;
  readonly cert: string;
  readonly notAfter: Date;
  readonly commonName: string;
}

export interface CertificateRequest {
  readonly commonName: string;
  /** Host names and IP addresses for subjectAltName. */
  readonly altNames: readonly string[];
  /** Days from now until the certificate expires (negative: already expired). */
  readonly validDays: number;
  /** A certificate authority that may sign others (the lab's root). */
  readonly authority?: boolean;
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...content: Buffer[]) => tlv(0x30, ...content);

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const groups: number[] = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function integer(bytes: Buffer): Buffer {
  const positive = (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return tlv(0x02, positive);
}

/** UTCTime for 1950-2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

function name(commonName: string): Buffer {
  return sequence(tlv(0x31, sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName)))));
}

function ipBytes(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

function subjectAltName(altNames: readonly string[]): Buffer {
  const entries = altNames.map((entry) =>
    isIP(entry) === 4 ? tlv(0x87, ipBytes(entry)) : tlv(0x82, Buffer.from(entry)),
  );
  return sequence(oid('2.5.29.17'), tlv(0x04, sequence(...entries)));
}

/** basicConstraints cA=TRUE and keyUsage keyCertSign+cRLSign, both critical. */
function authorityExtensions(): Buffer[] {
  const critical = tlv(0x01, Buffer.from([0xff]));
  return [
    sequence(oid('2.5.29.19'), critical, tlv(0x04, sequence(tlv(0x01, Buffer.from([0xff]))))),
    sequence(oid('2.5.29.15'), critical, tlv(0x04, tlv(0x03, Buffer.from([0x01, 0x06])))),
  ];
}

/** A positive serial in minimal DER: a leading zero byte would make the encoding non-canonical and OpenSSL refuse it. */
function serialNumber(): Buffer {
  const bytes = randomBytes(12);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return integer(bytes);
}

/** The [3] extensions field, left out when empty (DER allows no empty extensions list). */
function extensions(request: CertificateRequest): Buffer[] {
  const list = [...(request.altNames.length > 0 ? [subjectAltName(request.altNames)] : []), ...(request.authority ? authorityExtensions() : [])];
  return list.length > 0 ? [tlv(0xa3, sequence(...list))] : [];
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const DAY_MS = 86_400_000;

/** A certificate for `request`, signed by `issuer` (or by itself when none is given). */
export function makeCertificate(request: CertificateRequest, issuer?: LabCertificate): LabCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const now = Date.now();
  const notBefore = new Date(Math.min(now - DAY_MS, now + request.validDays * DAY_MS - DAY_MS));
  const notAfter = new Date(Math.floor((now + request.validDays * DAY_MS) / 1000) * 1000);
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    serialNumber(),
    ECDSA_WITH_SHA256,
    name(issuer?.commonName ?? request.commonName),
    sequence(time(notBefore), time(notAfter)),
    name(request.commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    ...extensions(request),
  );
  const signature = sign('sha256', tbs, issuer ? createPrivateKey(issuer.key) : privateKey);
  const der = sequence(tbs, ECDSA_WITH_SHA256, tlv(0x03, Buffer.from([0]), signature));
  const cert = new X509Certificate(der).toString();
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), cert, notAfter, commonName: request.commonName };
}
