import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabCertificate } from '../certificate.js';
import type { LabHost, LabOrganization } from '../organization.js';
import { runCommand } from './command.js';
import { prepare, replaces, type Daemon, type Launch } from './daemons.js';

export function projectRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('netns lab: cannot find the project root');
    directory = parent;
  }
  return directory;
}

/** Resolves once something listens on the TCP port inside the namespace (`ss`). */
async function waitForListening(namespace: string, address: string, port: number, child: ChildProcess, what: string): Promise<void> {
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout?.resume();
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`${what}: exited with ${child.exitCode}: ${output.trim()}`);
    const { stdout } = await runCommand('ip', ['netns', 'exec', namespace, 'ss', '-ltnH']);
    if (stdout.includes(`${address}:${port} `)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not listening on ${address}:${port} after 10 s`);
}

export function waitForReady(child: ChildProcess, what: string, ready: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${what}: not ready after 30 s: ${output}`)), 30_000);
    const done = (error?: Error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) done();
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => done(new Error(`${what}: exited with ${code}: ${output.trim()}`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export interface ServicesOptions {
  readonly organization: LabOrganization;
  readonly directory: string;
  /** The lab's root: it signs every certificate, the daemons' and the lab's own. */
  readonly authority: LabCertificate;
  /** Debian daemons that serve in place of the lab's own services. */
  readonly daemons: readonly Daemon[];
  readonly namespaceOf: (host: LabHost) => string;
  /** Every process started is added here, so that the caller can stop it even after a failure. */
  readonly children: ChildProcess[];
  /** Commands (namespace first) that stop a daemon in its own way; the caller runs them first. */
  readonly stops: (readonly string[])[];
}

/**
 * Starts every host's services in its namespace: the Debian daemons first in line, the lab's own
 * serve-host process for the rest (SMTP, EdgeSync, Windows ports, whatever no daemon took).
 * Resolves once each has said it serves.
 */
export async function startServices(options: ServicesOptions): Promise<void> {
  const { organization, directory, daemons } = options;
  const launches: { host: LabHost; launch: Promise<Launch> }[] = [];
  const nodeServed = organization.hosts.map((host) => {
    const taken = new Set(daemons.flatMap((daemon) => replaces(daemon, host)));
    for (const daemon of daemons) {
      if (replaces(daemon, host).length > 0) launches.push({ host, launch: prepare(daemon, organization, host, directory, options.authority) });
    }
    return { ...host, services: host.services.filter((service) => !taken.has(service)) };
  });
  const organizationFile = join(directory, 'organization.json');
  await writeFile(organizationFile, JSON.stringify({ ...organization, hosts: nodeServed }));
  const authorityFile = join(directory, 'lab-ca.json');
  await writeFile(authorityFile, JSON.stringify(options.authority), { mode: 0o600 });
  const serveHost = join(projectRoot(), 'dist', 'lab', 'netns', 'serve-host.js');
  for (const host of nodeServed) {
    if (host.services.length > 0 || host.windowsPorts.length > 0) {
      launches.push({ host, launch: Promise.resolve({ command: [process.execPath, serveHost, organizationFile, host.name, authorityFile], ready: /^ready$/m }) });
    }
  }
  await Promise.all(
    launches.map(async ({ host, launch }) => {
      const { command, ready, stop } = await launch;
      const child = spawn('ip', ['netns', 'exec', options.namespaceOf(host), ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
      options.children.push(child);
      if (stop) options.stops.push([options.namespaceOf(host), ...stop]);
      const what = `lab host ${host.name} (${command[0]})`;
      if (ready instanceof RegExp) await waitForReady(child, what, ready);
      else await waitForListening(options.namespaceOf(host), host.address, ready.listening, child, what);
    }),
  );
}
