import { readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import type { LocalIdentity } from '../plan/vantage.js';

/** This machine's addresses and names, for `--from auto`. */
export function localIdentity(): LocalIdentity {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address] : []));
  const name = hostname();
  return { addresses, hostnames: name ? [name] : [] };
}

/** What the machine says of its name, without a network lookup or a shell-out. */
export interface MachineNames {
  /** os.hostname(): on Windows the short DNS host name, elsewhere whatever the kernel holds. */
  readonly hostname: string;
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  /** The hosts file (/etc/hosts), where `hostname -f` usually finds the full name; elsewhere unused. */
  readonly hosts?: string;
}

const PRINTABLE_NAME = /^[\x21-\x7e]{1,255}$/;

/** The first full name of the short one in a hosts file (comments left out; the address is not a name). */
function fromHostsFile(short: string, hosts: string): string | undefined {
  const prefix = `${short.toLowerCase()}.`;
  return hosts
    .split(/\r?\n/)
    .flatMap((line) => line.replace(/#.*/, '').trim().split(/\s+/).slice(1))
    .find((name) => name.toLowerCase().startsWith(prefix));
}

/**
 * The machine's fully qualified name where one is known, for the SMTP checker's EHLO (`--ehlo`
 * overrides it): a host name that already has a dot; on Windows the host name with the DNS
 * domain of the logged-on user (USERDNSDOMAIN: on a domain member the AD domain, usually the
 * machine's own; not set for local accounts, SYSTEM, or an Edge server in a workgroup); elsewhere
 * the full name the hosts file gives the short one. Else the short name as it is.
 */
export function fullyQualifiedName(machine: MachineNames): string {
  const short = machine.hostname.trim();
  if (!PRINTABLE_NAME.test(short)) return 'localhost';
  if (short.includes('.') || short.toLowerCase() === 'localhost') return short;
  if (machine.platform === 'win32') {
    const domain = machine.env.USERDNSDOMAIN?.trim().replace(/\.$/, '').toLowerCase();
    return domain && PRINTABLE_NAME.test(`${short}.${domain}`) ? `${short}.${domain}` : short;
  }
  return fromHostsFile(short, machine.hosts ?? '') ?? short;
}

function readHosts(): string {
  try {
    return readFileSync('/etc/hosts', 'latin1');
  } catch {
    return '';
  }
}

/** This machine's fully qualified name, or its short name. */
export function thisMachineName(): string {
  const platform = process.platform;
  return fullyQualifiedName({ hostname: hostname(), platform, env: process.env, ...(platform === 'win32' ? {} : { hosts: readHosts() }) });
}
