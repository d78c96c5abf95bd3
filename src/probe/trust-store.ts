import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import tls, { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';

/**
 * Where trusted roots come from, each a list of PEM certificates. Injected, so a test gives its
 * own; `nodeRootSources()` reads this machine's.
 */
export interface RootSources {
  /** Node's bundled Mozilla roots. */
  bundled(): readonly string[];
  /** The file NODE_EXTRA_CA_CERTS names: Node adds it to its own roots, but not to an explicit list. */
  extra(): readonly string[];
  /**
   * The operating system's store: on Windows the certificate store (where Group Policy puts an
   * organization's AD CS root), on macOS the keychain, elsewhere OpenSSL's file and directory.
   */
  system(): readonly string[];
}

type CaKind = 'bundled' | 'extra' | 'system';
/** Node 22.15 and 23.10 read the system store; @types/node 20 does not know the function. */
type GetCaCertificates = (kind: CaKind) => string[];

/** The distributions' bundles, for a Node without tls.getCACertificates (Debian, RHEL, SUSE, BSD/Alpine). */
const BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/ssl/cert.pem'];

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates in a PEM text (anything else in it, a key or a comment, left out). */
export function pemCertificates(text: string): string[] {
  return (text.match(PEM_CERTIFICATE) ?? []).map((block) => `${block.replace(/\r\n?/g, '\n')}\n`);
}

/** One certificate once, whatever its line ends and wrapping: the base64 body is the key. */
function certificateKey(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
}

/** Every certificate of the lists, in order, each once. */
export function uniqueCertificates(lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const pem of lists.flat().flatMap(pemCertificates)) {
    const key = certificateKey(pem);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pem);
  }
  return out;
}

/** What the machine trusts and what `--ca` adds: Node's roots, NODE_EXTRA_CA_CERTS, the system store, the `--ca` files. */
export function trustedRoots(ca: readonly string[], sources: RootSources): string[] {
  const safely = (read: () => readonly string[]): readonly string[] => {
    try {
      return read();
    } catch {
      // An unreadable store trusts less, and a certificate it held is reported untrusted with its reason.
      return [];
    }
  };
  return uniqueCertificates([safely(() => sources.bundled()), safely(() => sources.extra()), safely(() => sources.system()), ca]);
}

export interface FallbackInput {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly readText: (file: string) => string | undefined;
  /** The regular files of a directory, full paths. */
  readonly listFiles: (directory: string) => readonly string[];
}

/**
 * A Node without tls.getCACertificates (before 22.15): OpenSSL's places, as Node 22 reads them
 * (SSL_CERT_FILE, else the distribution's bundle; and SSL_CERT_DIR when set, whose default
 * /etc/ssl/certs holds the bundle's certificates again). Windows and macOS stores cannot be read
 * without the function: nothing.
 */
export function fallbackSystemRoots(input: FallbackInput): string[] {
  if (input.platform === 'win32' || input.platform === 'darwin') return [];
  const bundle = input.env.SSL_CERT_FILE ? [input.env.SSL_CERT_FILE] : BUNDLES;
  const fromFile = bundle.map(input.readText).find((text) => text !== undefined) ?? '';
  const directories = (input.env.SSL_CERT_DIR ?? '').split(':').filter(Boolean);
  const fromDirectories = directories.flatMap(input.listFiles).map((file) => input.readText(file) ?? '');
  return uniqueCertificates([[fromFile], fromDirectories]);
}

function readText(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? readFileSync(file, 'latin1') : undefined;
  } catch {
    return undefined;
  }
}

function listFiles(directory: string): string[] {
  try {
    return readdirSync(directory).map((name) => join(directory, name));
  } catch {
    return [];
  }
}

/** This machine's sources: Node's own function where it has it, else the fallback. */
export function nodeRootSources(
  getCaCertificates: GetCaCertificates | undefined = (tls as { getCACertificates?: GetCaCertificates }).getCACertificates,
  input: FallbackInput = { platform: process.platform, env: process.env, readText, listFiles },
): RootSources {
  if (getCaCertificates) {
    return { bundled: () => getCaCertificates('bundled'), extra: () => getCaCertificates('extra'), system: () => getCaCertificates('system') };
  }
  const extraFile = input.env.NODE_EXTRA_CA_CERTS;
  return {
    bundled: () => tls.rootCertificates,
    extra: () => (extraFile ? pemCertificates(input.readText(extraFile) ?? '') : []),
    system: () => fallbackSystemRoots(input),
  };
}

let machineRoots: readonly string[] | undefined;
const contexts = new WeakMap<readonly string[], Map<string, SecureContext>>();
const NO_CA: readonly string[] = [];

/**
 * The client context for a handshake: the trusted roots and the protocol limits. Made once per
 * `--ca` list and limits (a context with ~400 roots takes tens of milliseconds to build), on the
 * first handshake, so commands that make none never read the store.
 */
export function trustContext(ca: readonly string[] | undefined, limits: Pick<SecureContextOptions, 'minVersion' | 'maxVersion' | 'ciphers'> = {}): SecureContext {
  const list = ca ?? NO_CA;
  let byLimits = contexts.get(list);
  if (!byLimits) contexts.set(list, (byLimits = new Map()));
  const key = JSON.stringify([limits.minVersion, limits.maxVersion, limits.ciphers]);
  let context = byLimits.get(key);
  if (!context) {
    machineRoots ??= trustedRoots([], nodeRootSources());
    context = createSecureContext({ ...limits, ca: list.length > 0 ? uniqueCertificates([machineRoots, list]) : [...machineRoots] });
    byLimits.set(key, context);
  }
  return context;
}
