import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeCertificate, type LabCertificate } from '../certificate.js';
import { shortName, type LabHost, type LabOrganization, type LabService } from '../organization.js';
import { labZone } from '../zone.js';
import { dnsmasqArgs } from './dnsmasq.js';
import { dovecotConfig } from './dovecot.js';
import { nginxConfig } from './nginx.js';
import { postfixMainCf, postfixMasterCf } from './postfix.js';

/** A system user's uid, from /etc/passwd. */
async function userIds(name: string): Promise<{ uid: number }> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((entry) => entry.startsWith(`${name}:`));
  const uid = Number(line?.split(':')[2]);
  if (!line || !Number.isInteger(uid)) throw new Error(`netns lab: no system user ${name}`);
  return { uid };
}

/** Debian daemons the namespace lab runs in place of its own services, and what each replaces. */
export const DAEMONS = {
  dnsmasq: { role: 'dns', services: ['dns'] },
  nginx: { role: 'mailbox', services: ['https', 'http'] },
  dovecot: { role: 'mailbox', services: ['imap', 'imaps', 'pop3', 'pop3s'] },
  postfix: { role: 'internet', services: ['smtp'] },
} as const satisfies Record<string, { role: LabHost['role']; services: readonly LabService[] }>;
export type Daemon = keyof typeof DAEMONS;
export const DAEMON_NAMES = Object.keys(DAEMONS) as Daemon[];

/**
 * How to start one daemon in a host's namespace, and how to tell it serves: a line it prints,
 * or (for a daemon that logs elsewhere) the TCP port it listens on.
 */
export interface Launch {
  readonly command: readonly string[];
  readonly ready: RegExp | { readonly listening: number };
  /** A daemon's own way to stop, run before any signal, so that it reaps its workers itself. */
  readonly stop?: readonly string[];
}

/** True when a Debian program is installed. */
export function installed(daemon: Daemon): boolean {
  if (daemon === 'postfix') return existsSync('/usr/sbin/postfix') && existsSync('/etc/postfix/master.cf');
  return ['/usr/sbin', '/usr/bin'].some((directory) => existsSync(join(directory, daemon)));
}

export function replaces(daemon: Daemon, host: LabHost): readonly LabService[] {
  const { role, services } = DAEMONS[daemon];
  return host.role === role ? services.filter((service) => host.services.includes(service)) : [];
}

async function siteWithKeyPair(directory: string, daemon: Daemon, host: LabHost, issuer: LabCertificate) {
  const site = join(directory, `${daemon}-${shortName(host)}`);
  await mkdir(site, { recursive: true });
  const { cert, key } = makeCertificate({ commonName: host.name, altNames: [host.name, host.address], validDays: 365 }, issuer);
  const certificateFile = join(site, 'cert.pem');
  const keyFile = join(site, 'key.pem');
  await writeFile(certificateFile, cert);
  await writeFile(keyFile, key, { mode: 0o600 });
  return { site, certificateFile, keyFile };
}

/** Writes the daemon's files for this host under `directory` (certificates signed by `issuer`) and says how to start it. */
export async function prepare(daemon: Daemon, organization: LabOrganization, host: LabHost, directory: string, issuer: LabCertificate): Promise<Launch> {
  switch (daemon) {
    case 'dnsmasq':
      return {
        command: ['dnsmasq', ...dnsmasqArgs(labZone(organization), host.address, join(directory, `dnsmasq-${shortName(host)}.pid`))],
        ready: /started, version/,
      };
    case 'nginx': {
      const { site, certificateFile, keyFile } = await siteWithKeyPair(directory, daemon, host, issuer);
      const config = join(site, 'nginx.conf');
      const publicName = host.external ?? host.name;
      await writeFile(config, nginxConfig({ address: host.address, server: shortName(host).toUpperCase(), publicName, certificateFile, keyFile, directory: site }));
      return { command: ['nginx', '-e', 'stderr', '-p', site, '-c', config], ready: /start worker process/ };
    }
    case 'dovecot': {
      const { site, certificateFile, keyFile } = await siteWithKeyPair(directory, daemon, host, issuer);
      const config = join(site, 'dovecot.conf');
      await writeFile(join(site, 'users'), '');
      await writeFile(config, dovecotConfig({ address: host.address, certificateFile, keyFile, directory: site }));
      return { command: ['dovecot', '-F', '-c', config], ready: /starting up for/ };
    }
    case 'postfix': {
      const { site, certificateFile, keyFile } = await siteWithKeyPair(directory, daemon, host, issuer);
      const conf = join(site, 'conf');
      await mkdir(conf);
      await mkdir(join(site, 'queue'));
      // The postfix user writes its data directory and must reach it through the site's.
      const data = join(site, 'data');
      await mkdir(data);
      const { uid } = await userIds('postfix');
      await chown(data, uid, 0);
      await chmod(directory, 0o755);
      await chmod(site, 0o755);
      await writeFile(join(conf, 'main.cf'), postfixMainCf({ hostName: host.name, address: host.address, certificateFile, keyFile, directory: site }));
      await writeFile(join(conf, 'master.cf'), postfixMasterCf(await readFile('/etc/postfix/master.cf', 'utf8')));
      return { command: ['postfix', '-c', conf, 'start-fg'], ready: { listening: 25 }, stop: ['postfix', '-c', conf, 'stop'] };
    }
  }
}
