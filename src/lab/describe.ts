import type { RunningHost } from './host-services.js';
import type { LabOrganization } from './organization.js';
import { fromArgument, labVantages } from './vantages.js';

/** What the lab has in it that a report will show, whichever way it is run. */
export const LAB_FAULTS: readonly string[] = [
  'Built-in faults: POP3 is enabled but nothing listens on it; the web certificate of mbx02',
  'expires in 10 days; the client connector (587) of mbx01 offers LOGIN before TLS. No firewall',
  'separates loopback addresses: from the Internet, the Mailbox and EdgeSync ports are exposed.',
];

/** What a running lab prints: its hosts, where they listen, and how to scan them. */
export function describeLab(organization: LabOrganization, hosts: readonly RunningHost[], files: { topology: string; authority: string }, command = 'exchange-ports'): string {
  const rows = hosts.map(({ host, ports }) => [
    host.name,
    host.role,
    host.address,
    Object.entries(ports)
      .map(([service, port]) => `${service} ${port}`)
      .join(', ') || '(nothing listens)',
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const table = rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}`);
  return [
    'The exchange-ports lab is running: the simulated Exchange 2016 organization "contoso".',
    '',
    ...table,
    '',
    ...LAB_FAULTS,
    '',
    `Topology: ${files.topology}`,
    `The lab's root certificate (it signed every host's): ${files.authority}`,
    'Scan it from another terminal:',
    ...labVantages(organization).map((vantage) => `  ${command} scan -t ${files.topology} --from ${fromArgument(vantage)} --ca ${files.authority}`),
    '',
    'Stop it with Ctrl+C.',
    '',
  ].join('\n');
}
