import { readFile } from 'node:fs/promises';
import { startHost } from '../host-services.js';
import type { LabCertificate } from '../certificate.js';
import type { LabOrganization } from '../organization.js';

/**
 * One lab host inside its network namespace, on the real port numbers:
 * `ip netns exec NS node serve-host.js ORGANIZATION.json HOST AUTHORITY.json` (the lab root's
 * certificate and key, which sign the host's certificates). Prints "ready" once listening,
 * stops on SIGTERM or SIGINT.
 */
const [file, name, authorityFile] = process.argv.slice(2);
if (!file || !name || !authorityFile) {
  process.stderr.write('usage: serve-host.js ORGANIZATION.json HOST AUTHORITY.json\n');
  process.exitCode = 2;
} else {
  const organization = JSON.parse(await readFile(file, 'utf8')) as LabOrganization;
  const host = organization.hosts.find((candidate) => candidate.name === name);
  if (!host) throw new Error(`serve-host: no host ${name} in ${file}`);
  const authority = JSON.parse(await readFile(authorityFile, 'utf8')) as LabCertificate;
  const running = await startHost(organization, host, true, authority);
  const stop = () => void running.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write('ready\n');
}
