import type { Zone } from '../dns-service.js';

/**
 * Debian's dnsmasq (package dnsmasq-base: the program, no system service) as the lab's DNS
 * server inside its namespace: its own command line, no configuration file, no upstream, a pid
 * file in the lab's directory, logs on stderr.
 */
export function dnsmasqArgs(zone: Zone, address: string, pidFile: string): string[] {
  const domains = [...new Set([...Object.keys(zone.a), ...Object.keys(zone.mx)].map((name) => name.split('.').slice(-1)[0]))];
  return [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--bind-interfaces',
    `--listen-address=${address}`,
    '--port=53',
    `--pid-file=${pidFile}`,
    '--log-facility=-',
    '--user=nobody',
    '--group=nogroup',
    // Names under the lab's domains that have no record are NXDOMAIN, never forwarded.
    `--local=/${domains.join('/')}/`,
    ...Object.entries(zone.a).map(([name, ip]) => `--host-record=${name},${ip}`),
    ...Object.entries(zone.mx).map(([domain, exchange]) => `--mx-host=${domain},${exchange},10`),
  ];
}
