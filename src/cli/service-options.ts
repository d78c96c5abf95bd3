import type { Argv } from 'yargs';
import type { Check } from '../plan/types.js';
import type { Probers } from '../probe/engine.js';
import { serviceProbers } from '../probe/service-probers.js';
import type { Observation } from '../probe/types.js';
import { FINDING_DEFAULTS, serviceFindings } from '../verdict/findings/index.js';
import type { Finding } from '../verdict/types.js';
import { readCaFiles } from './ca.js';
import { UsageError } from './errors.js';
import { thisMachineName } from './local-identity.js';
import { MAX_WAIT_MS, whole } from './numbers.js';

/** The service-checker options of `scan`, as yargs parses them. */
export interface ServiceArgs {
  ca: string[];
  ehlo?: string;
  'cert-warn-days': number;
  'cert-crit-days': number;
  'service-timeout': number;
  'legacy-tls': boolean;
}

const GROUP = 'Service checks:';

export function serviceOptions<T>(y: Argv<T>): Argv<T & ServiceArgs> {
  return y
    .option('ca', { type: 'string', array: true, default: [] as string[], group: GROUP, describe: 'PEM file of extra trusted roots (repeatable)' })
    .option('ehlo', { type: 'string', group: GROUP, describe: "the name the SMTP checker greets with (default: this machine's full name, else its host name)" })
    .option('cert-warn-days', { type: 'number', requiresArg: true, default: FINDING_DEFAULTS.certWarnDays, group: GROUP, describe: 'a certificate with fewer days left is a warning' })
    .option('cert-crit-days', { type: 'number', requiresArg: true, default: FINDING_DEFAULTS.certCritDays, group: GROUP, describe: '... and with fewer days left, critical' })
    .option('service-timeout', { type: 'number', requiresArg: true, default: 10000, group: GROUP, describe: 'ms for each greeting, reply, TLS handshake and HTTP request' })
    .option('legacy-tls', { type: 'boolean', default: true, group: GROUP, describe: 'also try a TLS 1.0/1.1 handshake, on a second connection beside each dialogue with TLS (--no-legacy-tls)' }) as unknown as Argv<T & ServiceArgs>;
}

export interface ServiceSetup {
  readonly probers: Probers;
  /** For scanTopology's `findings`: judged at the moment it is called. */
  readonly findings: (check: Check, observation: Observation) => Finding[];
}

/** `--cert-warn-days` and `--cert-crit-days`, checked. */
export function certThresholds(args: Pick<ServiceArgs, 'cert-warn-days' | 'cert-crit-days'>): { certWarnDays: number; certCritDays: number } {
  const certWarnDays = whole('cert-warn-days', args['cert-warn-days'], 0);
  const certCritDays = whole('cert-crit-days', args['cert-crit-days'], 0);
  if (certCritDays > certWarnDays) throw new UsageError(`--cert-crit-days ${certCritDays} is above --cert-warn-days ${certWarnDays}`);
  return { certWarnDays, certCritDays };
}

/** `--ehlo`: one printable word, as it goes on the wire; by default this machine's fully qualified name. */
export function ehloName(value: string | undefined, machineName: () => string = thisMachineName): { ehloName: string } {
  if (value === undefined) return { ehloName: machineName() };
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) throw new UsageError(`--ehlo: "${value}" is not a host name`);
  return { ehloName: value };
}

/** Checks the options, reads the `--ca` files, and builds the service probers and the findings function. */
export async function toServiceSetup(args: ServiceArgs, now: () => Date = () => new Date()): Promise<ServiceSetup> {
  const { certWarnDays, certCritDays } = certThresholds(args);
  const phaseTimeoutMs = whole('service-timeout', args['service-timeout'], 1, MAX_WAIT_MS);
  const ehlo = ehloName(args.ehlo);
  const ca = await readCaFiles(args.ca ?? []);
  return {
    probers: serviceProbers({ ca, phaseTimeoutMs, legacyTls: args['legacy-tls'], ...ehlo }),
    findings: (check, observation) => serviceFindings(check, observation, { certWarnDays, certCritDays, now: now() }),
  };
}
