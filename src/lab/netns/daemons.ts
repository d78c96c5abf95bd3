import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeCertificate } from '../certificate.js';
import { shortName, type LabHost, type LabOrganization, type LabService } from '../organization.js';
import { labZone } from '../zone.js';
import { dnsmasqArgs } from './dnsmasq.js';
import { dovecotConfig } from './dovecot.js';
import { nginxConfig } from './nginx.js';

/** Debian daemons the namespace lab runs in place of its own services, and what each replaces. */
export const DAEMONS = {
  dnsmasq: { role: 'dns', services: ['dns'] },
  nginx: { role: 'mailbox', services: ['https', 'http'] },
  dovecot: { role: 'mailbox', services: ['imap', 'imaps', 'pop3', 'pop3s'] },
} as const satisfies Record<string, { role: LabHost['role']; services: readonly LabService[] }>;
export type Daemon = keyof typeof DAEMONS;
export const DAEMON_NAMES = Object.keys(DAEMONS) as Daemon[];

/** How to start one daemon in a host's namespace, and the line it prints once it serves. */
export interface Launch {
  readonly command: readonly string[];
  readonly ready: RegExp;
}

/** True when a Debian program is installed. */
export function installed(daemon: Daemon): boolean {
  return ['/usr/sbin', '/usr/bin'].some((directory) => existsSync(join(directory, daemon)));
}

export function replaces(daemon: Daemon, host: LabHost): readonly LabService[] {
  const { role, services } = DAEMONS[daemon];
  return host.role === role ? services.filter((service) => host.services.includes(service)) : [];
}

async function siteWithKeyPair(directory: string, daemon: Daemon, host: LabHost) {
  const site = join(directory, `${daemon}-${shortName(host)}`);
  await mkdir(site, { recursive: true });
  const { cert, key } = makeCertificate({ commonName: host.name, altNames: [host.name, host.address], validDays: 365 });
  const certificateFile = join(site, 'cert.pem');
  const keyFile = join(site, 'key.pem');
  await writeFile(certificateFile, cert);
  await writeFile(keyFile, key, { mode: 0o600 });
  return { site, certificateFile, keyFile };
}

/** Writes the daemon's files for this host under `directory` and says how to start it. */
export async function prepare(daemon: Daemon, organization: LabOrganization, host: LabHost, directory: string): Promise<Launch> {
  switch (daemon) {
    case 'dnsmasq':
      return {
        command: ['dnsmasq', ...dnsmasqArgs(labZone(organization), host.address, join(directory, `dnsmasq-${shortName(host)}.pid`))],
        ready: /started, version/,
      };
    case 'nginx': {
      const { site, certificateFile, keyFile } = await siteWithKeyPair(directory, daemon, host);
      const config = join(site, 'nginx.conf');
      const publicName = host.external ?? host.name;
      await writeFile(config, nginxConfig({ address: host.address, server: shortName(host).toUpperCase(), publicName, certificateFile, keyFile, directory: site }));
      return { command: ['nginx', '-e', 'stderr', '-p', site, '-c', config], ready: /start worker process/ };
    }
    case 'dovecot': {
      const { site, certificateFile, keyFile } = await siteWithKeyPair(directory, daemon, host);
      const config = join(site, 'dovecot.conf');
      await writeFile(join(site, 'users'), '');
      await writeFile(config, dovecotConfig({ address: host.address, certificateFile, keyFile, directory: site }));
      return { command: ['dovecot', '-F', '-c', config], ready: /starting up for/ };
    }
  }
}
