import { columns } from '../../report/columns.js';
import { safeJson } from '../../report/json.js';
import { sanitize } from '../../report/sanitize.js';
import type { RequestRow } from '../words.js';

/** A change request for the network team's ticket: the rows, what they come from, and notes. */
export interface ChangeRequest {
  readonly organization: string;
  /** What it was made from: the topology file, or the scan results (`--only-failing`). */
  readonly from: string;
  readonly rows: readonly RequestRow[];
  readonly notes: readonly string[];
}

const HEAD = ['#', 'action', 'service', 'source', 'destination', 'flow', 'why'];
const SAME = '(the same, both ways)';

function cells(row: RequestRow, i: number): string[] {
  return [String(i + 1), row.action, row.service, row.source.join(', '), row.bothWays ? SAME : row.destination.join(', '), row.flows.join(', '), row.why];
}

function title(request: ChangeRequest): string {
  return `Firewall change request for ${request.organization} (from ${request.from}): ${request.rows.length} rules`;
}

/** Plain aligned columns, ASCII around the cells (Windows PowerShell keeps it intact). */
export function requestTable(request: ChangeRequest): string {
  const rows = request.rows.map((row, i) => cells(row, i).map((cell) => sanitize(cell)));
  return [sanitize(title(request)), '', ...columns(HEAD, rows), ...request.notes.map((n) => `note: ${sanitize(n)}`), ''].join('\n');
}

/** A cell of a GFM table: markup characters escaped, so text from the topology stays text. */
function md(text: string): string {
  return sanitize(text).replace(/[\\`*_[\]<>|#~@!]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '@' ? '&#64;' : `\\${ch}`));
}

export function requestMarkdown(request: ChangeRequest): string {
  return [
    `### ${md(title(request))}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((h) => (h === '#' ? '---:' : '---')).join('|')}|`,
    ...request.rows.map((row, i) => `| ${cells(row, i).map(md).join(' | ')} |`),
    ...(request.notes.length ? ['', ...request.notes.map((n) => `- ${md(n)}`)] : []),
    '',
  ].join('\n');
}

/**
 * RFC 4180: every field quoted, quotes doubled, CRLF line ends. A field that a spreadsheet would
 * run as a formula (= + - @, tab, CR first) gets a leading apostrophe (OWASP's CSV injection advice).
 */
function csvField(text: string): string {
  const clean = sanitize(text);
  const safe = /^[=+\-@\t\r]/.test(clean) ? `'${clean}` : clean;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function requestCsv(request: ChangeRequest): string {
  const head = HEAD.slice(1);
  const lines = [head, ...request.rows.map((row, i) => cells(row, i).slice(1))].map((r) => r.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function requestJson(request: ChangeRequest): string {
  return safeJson({ organization: request.organization, from: request.from, rules: request.rows, notes: request.notes });
}
