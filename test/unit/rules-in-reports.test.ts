import { formatters } from '../../src/report/index.js';
import type { Report } from '../../src/report/types.js';
import { fixText, rowRule } from '../../src/rules/check-rule.js';
import { parseTopology } from '../../src/topology/parse.js';
import { readFileSync } from 'node:fs';
import { fixture, resultSchema } from '../helpers/report-fixtures.js';

/** The rule that fixes a failing row, as each report shows it (the scan sets it; here rowRule on a saved result). */
const topology = parseTopology(readFileSync('fixtures/topologies/edge.yaml', 'utf8'), 'edge.yaml');

function withRules(report: Report): Report {
  return { ...report, checks: report.checks.map((c) => ({ ...c, ...(rowRule(c, topology) ? { rule: rowRule(c, topology) } : {}) })) };
}

describe('reports name the rule that fixes each fail and exposed row', () => {
  const report = withRules(fixture('internet.json'));
  const fixed = report.checks.filter((c) => c.rule);

  test('only fail and exposed rows carry one, and the JSON stays valid against the schema', () => {
    expect(fixed.length).toBeGreaterThan(0);
    expect(report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'exposed').length).toBe(fixed.length);
    const validate = resultSchema();
    expect(validate(JSON.parse(formatters.json(report, { color: false })))).toBe(true);
  });

  test('table: a fix line under each of those rows; markdown: the list; JUnit: the failure text', () => {
    const table = formatters.table(report, { color: false });
    const markdown = formatters.markdown(report, { color: false });
    const junit = formatters.junit(report, { color: false });
    for (const c of fixed) {
      expect(table).toContain(`fix: ${fixText(c.rule!)}`);
      expect(junit).toContain(`fix: ${fixText(c.rule!).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    }
    expect(markdown).toContain('### Firewall rules that fix it');
    expect(markdown).toMatch(/^- add: allow tcp \d+ from /m);
    expect(markdown).toMatch(/^- remove the opening: deny tcp \d+ from Internet \(any\) to /m);
    expect(table).toMatch(/^ *fix: remove the opening: deny tcp \d+ from Internet \(any\) to /m);
  });

  test('a saved result without rules renders as before (no fix lines)', () => {
    expect(formatters.table(fixture('internet.json'), { color: false })).not.toContain('fix: ');
    expect(formatters.markdown(fixture('internet.json'), { color: false })).not.toContain('Firewall rules that fix it');
  });
});
