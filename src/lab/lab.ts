import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate } from './certificate.js';
import { startHost, type RunningHost } from './host-services.js';
import type { LabOrganization } from './organization.js';
import { topologyYaml } from './topology-file.js';

export interface RunningLab {
  readonly organization: LabOrganization;
  readonly hosts: readonly RunningHost[];
  /** The topology file describing the running lab (in a temporary directory). */
  readonly topologyFile: string;
  /** The lab's root certificate (PEM), which signed every host's certificate, and its file. */
  readonly authority: string;
  readonly authorityFile: string;
  readonly topologyText: string;
  stop(): Promise<void>;
}

export interface StartLabOptions {
  /** Real port numbers (25, 443, ...) instead of free high ports; needs root except on Windows. */
  readonly standardPorts?: boolean;
  /** Writes the topology and root certificate files (the CLI's writer gives CRLF on Windows). */
  readonly writeText?: (file: string, text: string) => Promise<void>;
}

/** Starts every host of the organization and writes the matching topology file. */
export async function startLab(organization: LabOrganization, options: StartLabOptions = {}): Promise<RunningLab> {
  const directory = await mkdtemp(join(tmpdir(), 'exchange-ports-lab-'));
  const hosts: RunningHost[] = [];
  const stop = async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const root = makeCertificate({ commonName: `${organization.organization} lab root`, altNames: [], validDays: 365, authority: true });
    const authorityFile = join(directory, 'lab-ca.pem');
    const writeText = options.writeText ?? ((file: string, text: string) => writeFile(file, text));
    await writeText(authorityFile, root.cert);
    for (const host of organization.hosts) hosts.push(await startHost(organization, host, options.standardPorts ?? false, root));
    const topologyText = topologyYaml(organization, new Map(hosts.map((running) => [running.host.name, running.ports])));
    const topologyFile = join(directory, 'topology.yaml');
    await writeText(topologyFile, topologyText);
    return { organization, hosts, topologyFile, topologyText, authority: root.cert, authorityFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
