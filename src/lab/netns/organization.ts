import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL, type Model } from '../../model/index.js';
import type { Role } from '../../model/types.js';
import { healthyContoso, shortName, type LabAddresses, type LabOrganization } from '../organization.js';
import { makeCertificate } from '../certificate.js';
import { topologyYaml } from '../topology-file.js';
import { mustRun, runCommand, type CommandResult } from './command.js';
import { DAEMON_NAMES, installed, type Daemon } from './daemons.js';
import { projectRoot, startServices, stopChild, waitForReady } from './processes.js';
import { INTERCEPTOR_CA } from '../host-services.js';
import { allowRules, nftRuleset, type AllowRule } from './firewall.js';

/**
 * The lab organization in network namespaces: one namespace per host, each linked to a firewall
 * namespace that routes between them (every packet between two hosts crosses its nftables
 * forward chain). Addresses only in 198.19.0.0/16:
 *   Internet 198.19.1.0/24 (mx, and the scanner for the internet and client vantages),
 *   perimeter 198.19.2.0/24 (edge01), internal 198.19.3.0/24 (mbx01, mbx02, dns01, dc01).
 */
export const NETNS_ADDRESSES: LabAddresses = {
  mx: '198.19.1.25',
  edge01: '198.19.2.25',
  dc01: '198.19.3.10',
  mbx01: '198.19.3.11',
  mbx02: '198.19.3.12',
  dns01: '198.19.3.53',
};
const SCANNER = '198.19.1.100';
const GATEWAY = '198.19.0.1';
const INTERNET = '198.19.1.0/24';
const PREFIX = 'xpl-';
/** Where the firewall namespace's middleboxes listen (nftables redirects their paths there). */
const INSPECT_PORT = 10025;
const INTERCEPT_PORT = 10443;

export interface Vantage {
  readonly namespace: string;
  /** The topology host the scan runs on (absent for the Internet scanner). */
  readonly host?: string;
}

export interface NetnsLab {
  readonly tag: string;
  readonly organization: LabOrganization;
  readonly directory: string;
  readonly topologyFile: string;
  /** The lab root's certificate (PEM): scans given it with --ca trust every lab host. */
  readonly authorityFile: string;
  readonly firewallNamespace: string;
  /** The rules a correct firewall has, generated from the model. */
  readonly correctRules: readonly AllowRule[];
  /** The Debian daemons serving in place of the lab's own services. */
  readonly daemons: readonly Daemon[];
  vantage(role: Role): Vantage;
  setFirewall(rules: readonly AllowRule[]): Promise<void>;
  /** Runs a program inside a namespace. */
  exec(namespace: string, file: string, args: readonly string[]): Promise<CommandResult>;
  destroy(): Promise<void>;
}

export interface NetnsLabOptions {
  readonly edge: boolean;
  readonly model?: Model;
  /** Debian daemons to run instead of the lab's own services; default: every one installed. */
  readonly daemons?: readonly Daemon[];
  /**
   * The middlebox faults, in the firewall namespace: ESMTP inspection on Edge -> mbx01:25, and
   * TLS interception on Internet -> mbx02:443 (the mailbox vantage, mbx01, sees mbx02's own).
   */
  readonly middleboxes?: boolean;
  /** Namespace names start with this (default `xpl-`). */
  readonly prefix?: string;
}

/** nftables redirects of the middlebox paths to the firewall namespace's own ports. */
function middleboxRedirects(): string {
  const { edge01, mbx01, mbx02 } = NETNS_ADDRESSES;
  return [
    'table ip exchange_ports_middleboxes {',
    '  chain prerouting {',
    '    type nat hook prerouting priority dstnat;',
    `    ip saddr ${edge01} ip daddr ${mbx01} tcp dport 25 redirect to :${INSPECT_PORT} comment "ESMTP inspection"`,
    `    ip saddr ${INTERNET} ip daddr ${mbx02} tcp dport 443 redirect to :${INTERCEPT_PORT} comment "TLS interception"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

const ip = (...args: string[]) => mustRun('ip', args);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `xpl-*` (or `prefix*`) namespaces left by a lab whose process is gone (the pid is in the name). */
export async function removeStaleNamespaces(prefix = PREFIX): Promise<string[]> {
  const listing = await mustRun('ip', ['netns', 'list']);
  const removed: string[] = [];
  for (const name of listing.split('\n').map((line) => line.split(' ')[0] ?? '')) {
    if (!name.startsWith(prefix)) continue;
    const owner = /^([0-9a-z]+)-[0-9a-z]+-/.exec(name.slice(prefix.length))?.[1];
    if (!owner || alive(parseInt(owner, 36))) continue;
    await removeNamespace(name);
    removed.push(name);
  }
  return removed;
}

async function removeNamespace(name: string): Promise<void> {
  const pids = await runCommand('ip', ['netns', 'pids', name]);
  for (const pid of pids.stdout.split('\n').filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await runCommand('ip', ['netns', 'del', name]);
  await rm(join('/etc/netns', name), { recursive: true, force: true });
}

function roleAddresses(organization: LabOrganization): Partial<Record<Role, string[]>> {
  const byRole: Partial<Record<Role, string[]>> = { internet: [INTERNET], client: [INTERNET] };
  for (const host of organization.hosts) {
    if (host.role === 'internet') continue;
    (byRole[host.role] ??= []).push(host.address);
  }
  return byRole;
}

/** Builds the namespaces, starts every host's services, and loads the correct firewall. */
export async function startNetnsLab(options: NetnsLabOptions): Promise<NetnsLab> {
  const prefix = options.prefix ?? PREFIX;
  await removeStaleNamespaces(prefix);
  const tag = `${process.pid.toString(36)}-${randomBytes(2).toString('hex')}`;
  const organization = healthyContoso(NETNS_ADDRESSES, { edge: options.edge });
  const namespaces: string[] = [];
  const children: ChildProcess[] = [];
  const daemons = options.daemons ?? DAEMON_NAMES.filter(installed);
  const directory = await mkdtemp(join(tmpdir(), 'xpl-'));
  const namespaceOf = (short: string) => `${prefix}${tag}-${short}`;
  const firewallNamespace = namespaceOf('fw');
  const scannerNamespace = namespaceOf('inet');

  const stops: (readonly string[])[] = [];
  const destroy = async () => {
    for (const [namespace = '', ...command] of stops) await runCommand('ip', ['netns', 'exec', namespace, ...command]);
    await Promise.all(children.map(stopChild));
    for (const name of namespaces.reverse()) await removeNamespace(name);
    await rm(directory, { recursive: true, force: true });
  };

  const addNamespace = async (short: string) => {
    const name = namespaceOf(short);
    await ip('netns', 'add', name);
    namespaces.push(name);
    await ip('-n', name, 'link', 'set', 'lo', 'up');
    return name;
  };

  const link = async (short: string, address: string, resolver: string) => {
    const name = await addNamespace(short);
    const peer = `v-${short}`;
    await ip('-n', firewallNamespace, 'link', 'add', peer, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name);
    await ip('-n', firewallNamespace, 'addr', 'add', `${GATEWAY}/32`, 'dev', peer);
    await ip('-n', firewallNamespace, 'link', 'set', peer, 'up');
    await ip('-n', firewallNamespace, 'route', 'add', `${address}/32`, 'dev', peer);
    await ip('-n', name, 'addr', 'add', `${address}/32`, 'dev', 'eth0');
    await ip('-n', name, 'link', 'set', 'eth0', 'up');
    await ip('-n', name, 'route', 'add', `${GATEWAY}/32`, 'dev', 'eth0');
    await ip('-n', name, 'route', 'add', 'default', 'via', GATEWAY, 'dev', 'eth0');
    // Port-unreachable answers for every UDP probe: the kernel's ICMP rate limit would turn some
    // "closed" into silence from one scan to the next.
    await mustRun('ip', ['netns', 'exec', name, 'sysctl', '-qw', 'net.ipv4.icmp_ratelimit=0', 'net.ipv4.icmp_msgs_per_sec=100000']);
    // `ip netns exec` puts /etc/netns/NAME/resolv.conf in place of /etc/resolv.conf.
    await mkdir(join('/etc/netns', name), { recursive: true });
    await writeFile(join('/etc/netns', name, 'resolv.conf'), `nameserver ${resolver}\n`);
    return name;
  };

  const exec = (namespace: string, file: string, args: readonly string[]) =>
    runCommand('ip', ['netns', 'exec', namespace, file, ...args]);

  const setFirewall = async (rules: readonly AllowRule[]) => {
    const redirects = options.middleboxes ? middleboxRedirects() : '';
    await mustRun('ip', ['netns', 'exec', firewallNamespace, 'nft', '-f', '-'], nftRuleset(rules, [INTERNET]) + redirects);
  };

  const model = options.model ?? MODEL;
  const correctRules = allowRules(model, { ...organization.features, edge: organization.edge }, roleAddresses(organization));

  try {
    await addNamespace('fw');
    await mustRun('ip', ['netns', 'exec', firewallNamespace, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    await setFirewall(correctRules);
    const internalDns = NETNS_ADDRESSES.dns01;
    const hostNamespaces = new Map<string, string>();
    for (const host of organization.hosts) {
      const resolver = host.role === 'internet' ? NETNS_ADDRESSES.mx : internalDns;
      hostNamespaces.set(host.name, await link(shortName(host), host.address, resolver));
    }
    await link('inet', SCANNER, NETNS_ADDRESSES.mx);

    const authority = makeCertificate({ commonName: `${organization.organization} lab root`, altNames: [], validDays: 365, authority: true });
    const authorityFile = join(directory, 'lab-ca.pem');
    await writeFile(authorityFile, authority.cert);
    await startServices({ organization, directory, authority, daemons, namespaceOf: (host) => hostNamespaces.get(host.name) ?? '', children, stops });

    if (options.middleboxes) await startMiddleboxes(firewallNamespace, directory, children);

    const topologyFile = join(directory, 'topology.yaml');
    await writeFile(topologyFile, topologyYaml(organization, new Map()));

    const firstOf = (role: Role) => organization.hosts.find((host) => host.role === role);
    const vantage = (role: Role): Vantage => {
      if (role === 'internet' || role === 'client') return { namespace: scannerNamespace };
      const host = firstOf(role);
      const namespace = host && hostNamespaces.get(host.name);
      if (!host || !namespace) throw new Error(`netns lab: no ${role} host to scan from`);
      return { namespace, host: host.name };
    };
    return { tag, organization, directory, topologyFile, authorityFile, firewallNamespace, correctRules, daemons, vantage, setFirewall, exec, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** The two middlebox processes in the firewall namespace; resolves once both listen. */
async function startMiddleboxes(namespace: string, directory: string, children: ChildProcess[]): Promise<void> {
  const inspectionCa = makeCertificate({ commonName: INTERCEPTOR_CA, altNames: [], validDays: 365, authority: true });
  const forged = makeCertificate({ commonName: 'mbx02.contoso.lab', altNames: ['mbx02.contoso.lab', NETNS_ADDRESSES.mbx02], validDays: 365 }, inspectionCa);
  const keyPairFile = join(directory, 'interceptor.json');
  await writeFile(keyPairFile, JSON.stringify(forged), { mode: 0o600 });
  const script = join(projectRoot(), 'dist', 'lab', 'netns', 'serve-middlebox.js');
  const runs = [
    ['inspect', `${INSPECT_PORT}`, NETNS_ADDRESSES.mbx01, '25'],
    ['intercept', `${INTERCEPT_PORT}`, NETNS_ADDRESSES.mbx02, '443', keyPairFile],
  ];
  await Promise.all(
    runs.map((args) => {
      const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return waitForReady(child, `middlebox ${args[0]}`, /^ready$/m);
    }),
  );
}
