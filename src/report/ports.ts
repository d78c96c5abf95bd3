import Table from 'cli-table3';
import { tableTitle, type Model } from '../model/index.js';
import type { Flow, FlowPort, TableName } from '../model/types.js';
import { safeJson } from './json.js';

export type ModelFormat = 'table' | 'json' | 'markdown';

function portList(ports: readonly FlowPort[]): string {
  const out: string[] = [];
  const ranges = new Set<string>();
  for (const p of ports) {
    if (p.range) {
      const key = `${p.range.from}-${p.range.to}/${p.transport}`;
      if (!ranges.has(key)) out.push(`${key} (sampled)`);
      ranges.add(key);
    } else out.push(`${p.port}/${p.transport}`);
  }
  return out.join(', ');
}

function condition(flow: Flow): string {
  const parts = Object.entries(flow.when).map(([k, v]) => (v ? k : `no ${k}`));
  return parts.length ? parts.join(', ') : 'always';
}

function selected(model: Model, only?: TableName): [TableName, readonly Flow[]][] {
  return (Object.entries(model.tables) as [TableName, readonly Flow[]][]).filter(([name]) => !only || name === only);
}

/**
 * Plain ASCII borders, as the scan's table has: Windows PowerShell 5.1 decodes a redirected or
 * piped program's output in the OEM code page, which would turn box drawing into "ΓöÇ".
 */
const ASCII_BORDERS = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '', mid: '', 'mid-mid': '', right: '|', 'right-mid': '', middle: '|',
};

/** The built-in model, grouped as the seed groups it. */
export function formatModel(model: Model, format: ModelFormat, only?: TableName): string {
  const groups = selected(model, only);
  if (format === 'json') {
    return safeJson({ tables: groups.map(([name, flows]) => ({ name, title: tableTitle(name), flows })) });
  }
  const header = ['flow', 'source', 'destination', 'ports', 'expectation', 'when', 'purpose'];
  const rows = (flows: readonly Flow[]) =>
    flows.map((f) => [f.id, f.source, f.destination, portList(f.ports), f.expectation, condition(f), f.purpose]);
  if (format === 'markdown') {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    return groups
      .map(([name, flows]) =>
        [
          `## ${tableTitle(name)}`,
          '',
          `| ${header.join(' | ')} |`,
          `|${header.map(() => '---').join('|')}|`,
          ...rows(flows).map((r) => `| ${r.map(esc).join(' | ')} |`),
          '',
        ].join('\n'),
      )
      .join('\n');
  }
  return groups
    .map(([name, flows]) => {
      const table = new Table({ head: header, style: { head: [], border: [] }, chars: ASCII_BORDERS, truncate: '...', wordWrap: true, colWidths: [26, 10, 18, 24, 13, 22, 50] });
      table.push(...rows(flows));
      return `${tableTitle(name)}\n${table.toString()}\n`;
    })
    .join('\n');
}
