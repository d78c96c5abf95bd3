import type { CheckResult } from '../verdict/types.js';
import { FAILING } from '../verdict/summary.js';
import { CHANGE_TITLES, changeCounts, changeDetail, changeTarget, orderedChanges } from './changes.js';
import { keyFact } from './facts.js';
import type { ReportOptions } from './index.js';
import { repeatedVantages } from './merge.js';
import { byWorst, counts, destinationLabel, sourceLabel, VERDICT_ORDER } from './pairs.js';
import { clip } from './sanitize.js';
import type { Report } from './types.js';
import { fixText } from '../rules/check-rule.js';

/** Rows past this are counted, not listed: a PR comment stays readable (and under size limits). */
const MAX_ROWS = 50;

/**
 * Our own words, escaped for a GFM table cell. Server text goes through `code` instead: in a
 * code span nothing is markup, no HTML, no @mention, no link.
 */
function md(text: string): string {
  return clip(text, 200)
    .replace(/[\\`*_[\]<>|#~@!]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '@' ? '&#64;' : `\\${ch}`));
}

function code(text: string): string {
  const clean = clip(text, 80).replace(/`/g, "'").replace(/\|/g, '\\|');
  return clean === '' ? '' : `\`${clean}\``;
}

const NOTABLE = (c: CheckResult) => FAILING.has(c.verdict) || c.verdict === 'warn';

function rows(checks: readonly CheckResult[], at: Date): string[] {
  const shown = checks.slice(0, MAX_ROWS);
  const out = [
    '| verdict | source | destination | port | flow | expectation | observed | fact |',
    '|---|---|---|---|---|---|---|---|',
    ...shown.map(
      (c) =>
        `| **${c.verdict}** | ${md(sourceLabel(c.source))} | ${md(destinationLabel(c))} | ${c.port}/${c.transport} | ${md(c.flow)} | ${c.expectation} | ${md(c.observed.state)} | ${code(keyFact(c, at, 80))} |`,
    ),
  ];
  if (checks.length > shown.length) out.push('', `...and ${checks.length - shown.length} more (see the JSON result).`);
  return out;
}

/** The firewall rules that fix the failing rows (`exchange-ports rules --only-failing` makes the ticket). */
function fixes(checks: readonly CheckResult[]): string[] {
  const texts = [...new Set(checks.flatMap((c) => (c.rule ? [fixText(c.rule)] : [])))];
  if (texts.length === 0) return [];
  const out = ['', '### Firewall rules that fix it', '', ...texts.slice(0, MAX_ROWS).map((t) => `- ${md(t)}`)];
  if (texts.length > MAX_ROWS) out.push('', `...and ${texts.length - MAX_ROWS} more (exchange-ports rules --only-failing RESULT.json).`);
  return out;
}

function notChecked(notes: readonly string[]): string[] {
  if (notes.length === 0) return [];
  const out = ['', '### Not checked', '', 'What the plan could not check:', '', ...notes.slice(0, MAX_ROWS).map((n) => `- ${md(n)}`)];
  if (notes.length > MAX_ROWS) out.push('', `...and ${notes.length - MAX_ROWS} more (see the JSON result).`);
  return out;
}

function changes(result: Report): string[] {
  const b = result.baseline;
  if (!b) return [];
  const list = orderedChanges(b);
  const out = ['', `### Changes since ${code(b.file)}`, '', md(changeCounts(b))];
  if (list.length) {
    out.push('', '| change | check | what changed |', '|---|---|---|');
    for (const c of list.slice(0, MAX_ROWS)) out.push(`| **${CHANGE_TITLES[c.kind]}** | ${md(changeTarget(c))} | ${code(changeDetail(c))} |`);
    if (list.length > MAX_ROWS) out.push('', `...and ${list.length - MAX_ROWS} more changes.`);
  }
  return out;
}

/** A PR-comment-sized summary: the verdict counts, then the rows that need action. */
export function markdown(result: Report, options: ReportOptions): string {
  const at = new Date(result.finishedAt);
  const s = result.summary;
  const failing = s.fail + s.down + s.exposed;
  const vantage = result.merged ? `${result.merged.sources.length} vantages` : sourceLabel(result.vantage);
  const status = result.couldNotScan ? 'could not scan' : failing > 0 ? `${failing} failing` : s.warn > 0 ? `${s.warn} warning` : 'all clear';
  const out = [`## exchange-ports: ${md(status)}`, '', `${md(result.topology.organization)} from ${md(vantage)}, ${md(result.startedAt)}: ${md(counts(result.checks))}`];
  if (result.couldNotScan) out.push('', `**Could not scan:** ${code(result.couldNotScan)}`);
  if (result.partial) out.push('', '**Partial:** the scan was cut short.');
  const same = result.merged ? repeatedVantages(result.merged.sources) : [];
  if (same.length) out.push('', ...same.map((line) => `**Merged:** ${md(line)}`));
  if (!options.changesOnly) {
    out.push('', `| ${VERDICT_ORDER.join(' | ')} | total |`, `|${VERDICT_ORDER.map(() => '---:').join('|')}|---:|`, `| ${VERDICT_ORDER.map((v) => s[v]).join(' | ')} | ${s.total} |`);
    const notable = result.checks.filter(NOTABLE).sort(byWorst);
    if (notable.length) out.push('', '### Needs action', '', ...rows(notable, at));
    out.push(...fixes(notable));
    out.push(...notChecked(result.notes ?? []));
  }
  out.push(...changes(result));
  return `${out.join('\n')}\n`;
}
