import type { Verdict } from '../model/types.js';
import type { CheckResult } from '../verdict/types.js';
import { CHANGE_TITLES, changeCounts, changeDetail, changeTarget, orderedChanges } from './changes.js';
import { durationSeconds, keyFact } from './facts.js';
import type { ReportOptions } from './index.js';
import { counts, pairs, sourceLabel } from './pairs.js';
import { clip, sanitize } from './sanitize.js';
import type { Report } from './types.js';

const SGR: Readonly<Record<Verdict, string>> = {
  exposed: '1;31',
  fail: '1;31',
  down: '31',
  warn: '33',
  inconclusive: '35',
  pass: '32',
  skipped: '2',
};
const paint = (on: boolean, code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

const width = (text: string) => [...text].length;

const HEAD = ['VERDICT', 'PORT', 'FLOW', 'EXPECTATION', 'OBSERVED', 'PURPOSE', 'FACT'];

function row(c: CheckResult, at: Date): string[] {
  return [c.verdict.toUpperCase(), `${c.port}/${c.transport}`, clip(c.flow, 32), c.expectation, c.observed.state, clip(c.purpose, 40), keyFact(c, at, 50)];
}

/** Lines explaining a row that is not simply fine: the judge's why and the findings. */
function notes(c: CheckResult): string[] {
  const out: string[] = [];
  if (c.verdict !== 'pass' && c.verdict !== 'skipped') out.push(clip(c.why, 160));
  for (const f of c.findings) out.push(`${f.severity}: ${clip(f.id, 40)}: ${clip(f.message, 140)}`);
  return out;
}

function block(label: string, checks: readonly CheckResult[], at: Date, color: boolean): string[] {
  const rows = checks.map((c) => row(c, at));
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => width(r[i] ?? ''))));
  const pad = (cells: string[]) =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell)))).join('  ').trimEnd();
  const lines = [paint(color, '1', sanitize(label)), `  ${pad(HEAD)}`];
  checks.forEach((c, i) => {
    const cells = rows[i] as string[];
    const text = pad(cells);
    const verdict = cells[0] as string;
    lines.push(`  ${paint(color, SGR[c.verdict], verdict)}${text.slice(verdict.length)}`);
    for (const note of notes(c)) lines.push(`  ${' '.repeat(widths[0] ?? 0)}  ${note}`);
  });
  lines.push(`  ${counts(checks)}`);
  return lines;
}

function header(result: Report): string[] {
  const seconds = durationSeconds(result);
  const vantage = result.merged ? `${result.merged.sources.length} vantages` : sourceLabel(result.vantage);
  const lines = [
    sanitize(`${result.tool.name} ${result.tool.version}: ${result.topology.organization} from ${vantage}, ${result.startedAt}${seconds === undefined ? '' : ` (${seconds.toFixed(1)} s)`}`),
    sanitize(`topology: ${result.topology.file} (sha256 ${result.topology.sha256.slice(0, 12)})`),
  ];
  if (result.merged) {
    for (const s of result.merged.sources) lines.push(sanitize(`  merged: ${s.file}: ${sourceLabel(s.vantage)}, ${s.startedAt}, ${s.checks} checks`));
    if (result.merged.forced) lines.push('  merged with --force: the inputs come from different topologies');
  }
  if (result.control && !result.merged) {
    const named = result.control.checks.length ? ` (${result.control.checks.join(', ')}${result.control.answered > result.control.checks.length ? ', ...' : ''})` : '';
    lines.push(sanitize(`positive control: ${result.control.answered} of ${result.checks.length} checks got an answer${named}`));
  }
  if (result.couldNotScan) lines.push(`COULD NOT SCAN: ${clip(result.couldNotScan, 200)}`);
  if (result.partial) lines.push('PARTIAL: the scan was cut short; unfinished checks are listed as they stand');
  return lines;
}

function changes(result: Report, color: boolean): string[] {
  const b = result.baseline;
  if (!b) return [];
  const lines = [paint(color, '1', sanitize(`changes since ${b.file} (${b.startedAt})`))];
  for (const c of orderedChanges(b)) lines.push(`  ${CHANGE_TITLES[c.kind].toUpperCase()}: ${changeTarget(c)}: ${changeDetail(c)}`);
  lines.push(`  ${changeCounts(b)}`);
  return lines;
}

/** The matrix: one block per source -> destination pair, failures first, then the counts. */
export function table(result: Report, options: ReportOptions): string {
  const at = new Date(result.finishedAt);
  const out = [...header(result), ''];
  if (!options.changesOnly) {
    for (const pair of pairs(result.checks)) out.push(...block(pair.label, pair.checks, at, options.color), '');
  }
  const changed = changes(result, options.color);
  if (changed.length) out.push(...changed, '');
  out.push(`summary: ${counts(result.checks)}`);
  return `${out.join('\n')}\n`;
}
