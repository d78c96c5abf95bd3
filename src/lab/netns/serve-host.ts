import { readFile } from 'node:fs/promises';
import { startHost } from '../host-services.js';
import type { LabOrganization } from '../organization.js';

/**
 * One lab host inside its network namespace, on the real port numbers:
 * `ip netns exec NS node serve-host.js ORGANIZATION.json HOST`. Prints "ready" once listening,
 * stops on SIGTERM or SIGINT.
 */
const [file, name] = process.argv.slice(2);
if (!file || !name) {
  process.stderr.write('usage: serve-host.js ORGANIZATION.json HOST\n');
  process.exitCode = 2;
} else {
  const organization = JSON.parse(await readFile(file, 'utf8')) as LabOrganization;
  const host = organization.hosts.find((candidate) => candidate.name === name);
  if (!host) throw new Error(`serve-host: no host ${name} in ${file}`);
  const running = await startHost(organization, host, true);
  const stop = () => void running.stop();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write('ready\n');
}
