import type { RunningHost } from './host-services.js';
import type { LabOrganization } from './organization.js';
import { fromArgument, labVantages } from './vantages.js';

/** Words to lines of at most `width` characters, each prefixed. */
export function wrap(text: string, width = 94, prefix = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(prefix + line);
  return lines;
}

/** The organization's built-in faults in a sentence, or none. */
export function faultsSentence(organization: LabOrganization): string | undefined {
  return organization.faults.length ? `Built-in faults: ${organization.faults.join('; ')}.` : undefined;
}

/** What the loopback lab has in it that a report will show: its faults, and no firewall between its hosts. */
export function labFaults(organization: LabOrganization): string[] {
  const loopback = 'No firewall separates loopback addresses: from the Internet, the Mailbox and EdgeSync ports are exposed.';
  return wrap([faultsSentence(organization), loopback].filter(Boolean).join(' '));
}

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
    ...labFaults(organization),
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
