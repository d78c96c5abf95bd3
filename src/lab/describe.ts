import type { RunningHost } from './host-services.js';
import type { Role } from '../model/types.js';

/** The vantages a lab is scanned from, in the order a reader meets them. */
export const LAB_VANTAGES: readonly Role[] = ['internet', 'client', 'edge', 'mailbox'];

/** What a running lab prints: its hosts, where they listen, and how to scan them. */
export function describeLab(hosts: readonly RunningHost[], topologyFile: string, command = 'exchange-ports'): string {
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
    'Built-in faults: POP3 is enabled but nothing listens on it; the web certificate of mbx02',
    'expires in 10 days; the client connector (587) of mbx01 offers LOGIN before TLS.',
    '',
    `Topology: ${topologyFile}`,
    'Scan it from another terminal:',
    ...LAB_VANTAGES.map((vantage) => `  ${command} scan -t ${topologyFile} --from ${vantage}`),
    '',
    'Stop it with Ctrl+C.',
    '',
  ].join('\n');
}
