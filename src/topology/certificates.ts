import { PORT_NAMES, type PortName } from '../model/types.js';
import type { Field, Reader } from './reader.js';

/** Who the organization's certificate for one service comes from (topology `certificates:`). */
export interface CertificateExpectation {
  /** Parts of the issuer's distinguished name (`Contoso Issuing CA`, `O=Contoso`), matched case-insensitively. */
  readonly issuers: readonly string[];
  /** SHA-256 fingerprints, upper-case hex with colons, as Node prints them. */
  readonly fingerprints: readonly string[];
}

export type CertificateExpectations = Readonly<Partial<Record<PortName, CertificateExpectation>>>;

const EXPECTATION_KEYS = ['issuers', 'fingerprints'] as const;
const SHA256 = /^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/;

/** `AB:CD:...` from any spelling of a SHA-256 fingerprint (colons or none, any case). */
export function normalFingerprint(text: string): string {
  return (text.replace(/:/g, '').toUpperCase().match(/../g) ?? []).join(':');
}

function readTexts(reader: Reader, field: Field | undefined, check: (text: string) => string | undefined): string[] {
  const items = field ? reader.list(field) : undefined;
  const texts: string[] = [];
  for (const item of items ?? []) {
    const text = reader.string(item);
    if (text === undefined) continue;
    const problem = check(text.trim());
    if (problem) reader.report(item, problem);
    else texts.push(text.trim());
  }
  return texts;
}

/** `certificates:` per service name (https, smtp, imaps, ...); absent when the file has none. */
export function readCertificates(reader: Reader, field: Field | undefined): CertificateExpectations | undefined {
  const services = field && reader.mapping(field, PORT_NAMES);
  if (!services) return undefined;
  const expectations: Partial<Record<PortName, CertificateExpectation>> = {};
  for (const name of PORT_NAMES) {
    const entry = services.get(name);
    const fields = entry && reader.mapping(entry, EXPECTATION_KEYS);
    if (!entry || !fields) continue;
    const issuers = readTexts(reader, fields.get('issuers'), (text) => (text === '' ? 'must not be empty' : undefined));
    const fingerprints = readTexts(reader, fields.get('fingerprints'), (text) =>
      SHA256.test(text) ? undefined : `expected a SHA-256 fingerprint (64 hex digits, colons optional), got "${text.slice(0, 80)}"`,
    ).map(normalFingerprint);
    if (!fields.get('issuers') && !fields.get('fingerprints')) reader.report(entry, 'name at least one of issuers or fingerprints');
    if (issuers.length > 0 || fingerprints.length > 0) expectations[name] = { issuers, fingerprints };
  }
  return expectations;
}
