import type { Verdict } from '../model/types.js';
import type { CheckResult } from '../verdict/types.js';
import { CHANGE_TITLES, changeCounts, changeDetail, changeTarget, orderedChanges } from './changes.js';
import { columns, width, wrap } from './columns.js';
import { certificateKey, durationSeconds, keyFact } from './facts.js';
import type { ReportOptions } from './index.js';
import { repeatedVantages } from './merge.js';
import { counts, pairs, sourceLabel } from './pairs.js';
import { clip, sanitize } from './sanitize.js';
import type { Report } from './types.js';
import { fixText } from '../rules/check-rule.js';

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

const HEAD = ['VERDICT', 'PORT', 'FLOW', 'EXPECTATION', 'OBSERVED', 'PURPOSE', 'FACT'] as const;
type Column = (typeof HEAD)[number];
/** The widest a cell gets, and how far it may shrink to fit a terminal. */
const MAX: Partial<Record<Column, number>> = { FLOW: 32, PURPOSE: 40, FACT: 50 };
const MIN: Partial<Record<Column, number>> = { FLOW: 16, FACT: 12 };
/** Left out, in this order, when a terminal is too narrow: the notes under a row say the same. */
const DROPPED_FIRST: readonly Column[] = ['PURPOSE', 'EXPECTATION'];
const INDENT = '  ';
const GAP = 2;
/** Why a row is shown to the user on a terminal even when `--all` is not given. */
const listed = (c: CheckResult) => (c.verdict !== 'pass' && c.verdict !== 'skipped') || c.findings.some((f) => f.severity !== 'info');

/** Findings about the certificate itself: said once per certificate, not once per port. */
const CERTIFICATE_FINDINGS = /^tls\.(expired|expiring|expires-soon|not-yet-valid|name-mismatch|self-signed|untrusted)$/;

interface Layout {
  readonly shown: readonly Column[];
  readonly widths: Readonly<Partial<Record<Column, number>>>;
  /** Total line width, for wrapping the notes; undefined when output is not a terminal. */
  readonly columns?: number;
}

function cells(c: CheckResult, at: Date): Record<Column, string> {
  return {
    VERDICT: c.verdict.toUpperCase(),
    PORT: `${c.port}/${c.transport}`,
    FLOW: sanitize(c.flow),
    EXPECTATION: c.expectation,
    OBSERVED: c.observed.state,
    PURPOSE: sanitize(c.purpose),
    FACT: keyFact(c, at, MAX.FACT),
  };
}

/**
 * Which columns, how wide. Natural widths (each capped by MAX) off a terminal; on one, columns
 * are left out and then shrunk until a row fits, so a line never wraps.
 */
function layout(rows: readonly Record<Column, string>[], terminal: ReportOptions['terminal']): Layout {
  const natural: Partial<Record<Column, number>> = {};
  for (const h of HEAD) natural[h] = Math.min(MAX[h] ?? Infinity, Math.max(h.length, ...rows.map((r) => width(r[h]))));
  if (!terminal) return { shown: HEAD, widths: natural };
  let shown: Column[] = [...HEAD];
  const widths = { ...natural };
  const total = () => width(INDENT) + shown.reduce((n, h) => n + (widths[h] ?? 0), 0) + GAP * (shown.length - 1);
  for (const drop of DROPPED_FIRST) if (total() > terminal.columns) shown = shown.filter((h) => h !== drop);
  for (const h of ['FACT', 'FLOW'] as const) {
    const over = total() - terminal.columns;
    if (over > 0) widths[h] = Math.max(Math.min(MIN[h] ?? 0, natural[h] ?? 0), (widths[h] ?? 0) - over);
  }
  return { shown, widths, columns: terminal.columns };
}

/** Every certificate finding's first row, and the other ports that repeat it. */
function certificateRepeats(checks: readonly CheckResult[]): { first: Map<string, CheckResult>; also: Map<string, string[]> } {
  const first = new Map<string, CheckResult>();
  const also = new Map<string, string[]>();
  for (const c of checks) {
    const cert = certificateKey(c);
    if (!cert) continue;
    for (const f of c.findings) {
      if (!CERTIFICATE_FINDINGS.test(f.id)) continue;
      const key = `${f.id}\u0000${cert}`;
      const seen = first.get(key);
      if (!seen) first.set(key, c);
      else {
        const where = seen.destination.address === c.destination.address ? `${c.port}/${c.transport}` : `${c.destination.address ?? c.destination.host} ${c.port}/${c.transport}`;
        also.set(key, [...(also.get(key) ?? []), where]);
      }
    }
  }
  return { first, also };
}

type Repeats = ReturnType<typeof certificateRepeats>;

/** Lines explaining a row that is not simply fine: the judge's why and the findings. */
function notes(c: CheckResult, repeats: Repeats): string[] {
  const out: string[] = [];
  if (c.verdict !== 'pass' && c.verdict !== 'skipped') out.push(clip(c.why, 160));
  if (c.rule) out.push(`fix: ${clip(fixText(c.rule), 300)}`);
  const cert = certificateKey(c);
  for (const f of c.findings) {
    const key = cert && CERTIFICATE_FINDINGS.test(f.id) ? `${f.id}\u0000${cert}` : undefined;
    if (key && repeats.first.get(key) !== c) continue;
    const also = key ? repeats.also.get(key) : undefined;
    const more = also?.length ? ` (same certificate on ${also.slice(0, 4).join(', ')}${also.length > 4 ? `, ${also.length - 4} more` : ''})` : '';
    out.push(`${f.severity}: ${clip(f.id, 40)}: ${clip(f.message, 140)}${more}`);
  }
  return out;
}

function notShown(hidden: readonly CheckResult[]): string {
  const pass = hidden.filter((c) => c.verdict === 'pass').length;
  const skipped = hidden.length - pass;
  const parts = [...(pass ? [`${pass} more pass`] : []), ...(skipped ? [`${skipped} more skipped`] : [])];
  return `${parts.join(', ')} (--all lists them)`;
}

function block(label: string, checks: readonly CheckResult[], at: Date, options: ReportOptions, repeats: Repeats): string[] {
  const summarise = options.terminal !== undefined && !options.all;
  const rows = summarise ? checks.filter(listed) : checks;
  const hidden = summarise ? checks.filter((c) => !listed(c)) : [];
  const all = rows.map((c) => cells(c, at));
  const fit = layout(all, options.terminal);
  const fold = (text: string, indent: string) => (fit.columns ? wrap(text, fit.columns, indent) : [`${indent}${text}`]);
  const lines = fold(sanitize(label), '').map((l) => paint(options.color, '1', l));
  if (rows.length) {
    const cut = (r: Record<Column, string>) => fit.shown.map((h) => clip(r[h], fit.widths[h] ?? 0));
    const [head, ...body] = columns(fit.shown, all.map(cut), INDENT);
    lines.push(head as string);
    const noteIndent = `${INDENT}${' '.repeat(fit.widths.VERDICT ?? 0)}${' '.repeat(GAP)}`;
    rows.forEach((c, i) => {
      const text = (body[i] as string).slice(INDENT.length);
      const verdict = c.verdict.toUpperCase();
      lines.push(`${INDENT}${paint(options.color, SGR[c.verdict], verdict)}${text.slice(verdict.length)}`);
      for (const note of notes(c, repeats)) lines.push(...fold(note, noteIndent));
    });
  }
  if (hidden.length) lines.push(...fold(notShown(hidden), INDENT));
  lines.push(...fold(counts(checks), INDENT));
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
    for (const same of repeatedVantages(result.merged.sources)) lines.push(`  ${same}`);
    if (result.merged.forced) lines.push('  merged with --force: the inputs come from different topologies');
  }
  if (result.control && !result.merged) {
    const named = result.control.checks.length ? ` (${result.control.checks.join(', ')}${result.control.answered > result.control.checks.length ? ', ...' : ''})` : '';
    lines.push(sanitize(`positive control: ${result.control.answered} of ${result.checks.length} checks got an answer${named}`));
  }
  if (result.couldNotScan) lines.push(`COULD NOT SCAN: ${clip(result.couldNotScan, 200)}`);
  if (result.partial) lines.push('PARTIAL: the scan was cut short; unfinished checks are listed as they stand');
  if (result.notes?.length) {
    lines.push(`NOT CHECKED: what the plan could not check (${result.notes.length}):`);
    for (const note of result.notes) lines.push(`  ${clip(note, 200)}`);
  }
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

/**
 * The matrix: one block per source -> destination pair, failures first, then the counts. On a
 * terminal it fits the width and counts the rows that pass instead of listing them (`--all`).
 */
export function table(result: Report, options: ReportOptions): string {
  const at = new Date(result.finishedAt);
  const fold = (line: string) => (options.terminal ? wrap(line, options.terminal.columns, line.match(/^ */)?.[0] ?? '') : [line]);
  const out = [...header(result).flatMap(fold), ''];
  if (!options.changesOnly) {
    const blocks = pairs(result.checks);
    const repeats = certificateRepeats(blocks.flatMap((p) => p.checks));
    for (const pair of blocks) out.push(...block(pair.label, pair.checks, at, options, repeats), '');
  }
  const changed = changes(result, options.color);
  if (changed.length) out.push(...changed.flatMap(fold), '');
  out.push(...fold(`summary: ${counts(result.checks)}`));
  return `${out.join('\n')}\n`;
}
