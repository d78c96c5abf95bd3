import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';
import {
  fallbackSystemRoots,
  nodeRootSources,
  pemCertificates,
  trustedRoots,
  uniqueCertificates,
  type FallbackInput,
  type RootSources,
} from '../../src/probe/trust-store.js';

const pem = (name: string): string => readFileSync(join(ROOT, 'fixtures/certs', `${name}.pem`), 'utf8');
const CA = pem('ca');
const SELF = pem('self-signed');
const MAIL = pem('mail');
const subject = (certificate: string): string => new X509Certificate(certificate).subject.replace(/\n/g, ', ');
const subjects = (list: readonly string[]): string[] => list.map(subject);

/** A filesystem of PEM texts, for the fallback. */
function files(map: Record<string, string>, platform: NodeJS.Platform = 'linux', env: NodeJS.ProcessEnv = {}): FallbackInput {
  return {
    platform,
    env,
    readText: (file) => map[file],
    listFiles: (directory) => Object.keys(map).filter((file) => file.startsWith(`${directory}/`)),
  };
}

describe('PEM certificates', () => {
  test('the certificates of a text, each once whatever its line ends; keys and comments left out', () => {
    const key = readFileSync(join(ROOT, 'fixtures/certs/ca.key'), 'utf8');
    const text = `# the lab root\n${CA}${key}${SELF.replace(/\n/g, '\r\n')}`;
    expect(subjects(pemCertificates(text))).toEqual([subject(CA), subject(SELF)]);
    expect(pemCertificates(text).join('')).not.toMatch(/PRIVATE KEY|\r/);
    expect(subjects(uniqueCertificates([[CA], [CA.replace(/\n/g, '\r\n'), SELF], [`${CA}${SELF}`]]))).toEqual([subject(CA), subject(SELF)]);
  });
});

describe('trusted roots: Node, NODE_EXTRA_CA_CERTS, the system store and --ca together', () => {
  const sources = (over: Partial<RootSources> = {}): RootSources => ({ bundled: () => [MAIL], extra: () => [], system: () => [], ...over });

  test('an organization root that only the system store holds is trusted, beside Node own roots and the --ca files', () => {
    const roots = trustedRoots([SELF], sources({ system: () => [CA] }));
    expect(subjects(roots)).toEqual([subject(MAIL), subject(CA), subject(SELF)]);
  });

  test('NODE_EXTRA_CA_CERTS is kept although a --ca list is given (Node drops it from an explicit list)', () => {
    expect(subjects(trustedRoots([SELF], sources({ extra: () => [CA] })))).toEqual([subject(MAIL), subject(CA), subject(SELF)]);
  });

  test('a root in several places is listed once', () => {
    expect(trustedRoots([CA], sources({ system: () => [CA, MAIL], extra: () => [CA] }))).toHaveLength(2);
  });

  test('a store that cannot be read trusts less, and fails nothing', () => {
    const broken = sources({
      system: () => {
        throw new Error('the certificate store is not available');
      },
    });
    expect(subjects(trustedRoots([CA], broken))).toEqual([subject(MAIL), subject(CA)]);
  });
});

describe("this machine's sources", () => {
  test("Node 22.15+: tls.getCACertificates for each kind", () => {
    const asked: string[] = [];
    const sources = nodeRootSources((kind) => (asked.push(kind), kind === 'system' ? [CA] : kind === 'extra' ? [SELF] : [MAIL]));
    expect(subjects(trustedRoots([], sources))).toEqual([subject(MAIL), subject(SELF), subject(CA)]);
    expect(asked).toEqual(['bundled', 'extra', 'system']);
  });

  test('an older Node: its bundled roots, the NODE_EXTRA_CA_CERTS file, and OpenSSL places for the system', () => {
    const input = files({ '/etc/ssl/certs/ca-certificates.crt': CA, '/srv/extra.pem': SELF }, 'linux', { NODE_EXTRA_CA_CERTS: '/srv/extra.pem' });
    const sources = nodeRootSources(undefined, input);
    expect(sources.bundled().length).toBeGreaterThan(50);
    expect(subjects(sources.extra())).toEqual([subject(SELF)]);
    expect(subjects(sources.system())).toEqual([subject(CA)]);
  });

  test('SSL_CERT_FILE replaces the distribution bundle; SSL_CERT_DIR adds every file of each directory', () => {
    const map = { '/etc/ssl/certs/ca-certificates.crt': MAIL, '/tmp/store/root.pem': CA, '/tmp/dir/a.pem': SELF, '/tmp/other/b.crt': CA };
    expect(subjects(fallbackSystemRoots(files(map, 'linux', { SSL_CERT_FILE: '/tmp/store/root.pem' })))).toEqual([subject(CA)]);
    expect(subjects(fallbackSystemRoots(files(map, 'linux', { SSL_CERT_FILE: '/tmp/none.pem', SSL_CERT_DIR: '/tmp/dir:/tmp/other' })))).toEqual([
      subject(SELF),
      subject(CA),
    ]);
  });

  test('the first distribution bundle that exists (RHEL when Debian has none); none at all is an empty store', () => {
    expect(subjects(fallbackSystemRoots(files({ '/etc/pki/tls/certs/ca-bundle.crt': SELF })))).toEqual([subject(SELF)]);
    expect(fallbackSystemRoots(files({}))).toEqual([]);
  });

  test('Windows and macOS stores need tls.getCACertificates: without it, nothing (the README says: Node 22.15+, or --ca)', () => {
    const map = { '/etc/ssl/certs/ca-certificates.crt': CA };
    expect(fallbackSystemRoots(files(map, 'win32'))).toEqual([]);
    expect(fallbackSystemRoots(files(map, 'darwin'))).toEqual([]);
  });
});
