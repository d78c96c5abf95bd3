import { readFileSync } from 'node:fs';
import { MAX_RESULT_DEPTH, parseResult, ResultFileError } from '../../src/report/validate.js';
import { RESULTS, resultSchema } from '../helpers/report-fixtures.js';

const schemaValid = resultSchema();
const text = readFileSync(`${RESULTS}internet.json`, 'utf8');

function mutate(patch: (r: Record<string, any>) => void): string {
  const r = JSON.parse(text) as Record<string, any>;
  patch(r);
  return JSON.stringify(r);
}

const BROKEN: [string, string, string][] = [
  ['not JSON', '{"schemaVersion": 1,', 'r.json:1:21: not JSON: expected a member name in double quotes, found the end of the file'],
  ['not an object', '[1, 2]', 'r.json: not an exchange-ports result (expected a JSON object)'],
  ['another schema version', mutate((r) => (r.schemaVersion = 2)), 'r.json: schemaVersion 2: this version of exchange-ports reads schemaVersion 1 results'],
  ['no schema version', mutate((r) => delete r.schemaVersion), 'r.json: no schemaVersion: this version of exchange-ports reads schemaVersion 1 results'],
  ['a missing field', mutate((r) => delete r.checks), 'r.json: checks: expected a list (missing)'],
  ['a bad verdict', mutate((r) => (r.checks[3].verdict = 'maybe')), 'r.json: checks[3].verdict: expected one of pass, fail, exposed, down, warn, inconclusive, skipped (got "maybe")'],
  ['a bad port', mutate((r) => (r.checks[0].port = 70000)), 'r.json: checks[0].port: expected a port number (got 70000)'],
  ['a bad date', mutate((r) => (r.startedAt = 'yesterday')), 'r.json: startedAt: expected an ISO 8601 date (got "yesterday")'],
  ['a bad sha256', mutate((r) => (r.topology.sha256 = 'abc')), 'r.json: topology.sha256: expected a sha256 (64 hex digits) (got "abc")'],
  ['merged sources that are not a list', mutate((r) => (r.merged = { forced: false, sources: 5 })), 'r.json: merged.sources: expected a list (got 5)'],
  ['merged with no sources', mutate((r) => (r.merged = { forced: false, sources: [] })), 'r.json: merged.sources: expected at least one (got [])'],
  ['a merged source without its vantage', mutate((r) => (r.merged = { forced: false, sources: [{ file: 'a.json', startedAt: r.startedAt, finishedAt: r.finishedAt, topologySha256: r.topology.sha256, checks: 1, partial: false }] })), 'r.json: merged.sources[0].vantage: expected an object (missing)'],
  ['baseline changes that are not a list', mutate((r) => (r.baseline = { file: 'b.json', startedAt: r.startedAt, changes: 5, summary: {} })), 'r.json: baseline.changes: expected a list (got 5)'],
  ['a baseline change of an unknown kind', mutate((r) => (r.baseline = { file: 'b.json', startedAt: r.startedAt, changes: [{ kind: 'worse' }], summary: {} })), 'r.json: baseline.changes[0].kind: expected one of regression, new-exposure, '],
  ['a baseline without its summary', mutate((r) => (r.baseline = { file: 'b.json', startedAt: r.startedAt, changes: [] })), 'r.json: baseline.summary: expected an object (missing)'],
  ['a baseline that is a string', mutate((r) => (r.baseline = 'before.json')), 'r.json: baseline: expected an object (got "before.json")'],
  ['a control count that is not a number', mutate((r) => (r.control = { answered: 'x', checks: [] })), 'r.json: control.answered: expected a whole number (got "x")'],
  ['notes that are not a list', mutate((r) => (r.notes = 5)), 'r.json: notes: expected a list (got 5)'],
  ['a finding that breaks its flow with "yes"', mutate((r) => (r.checks[0].findings = [{ id: 'x', severity: 'info', message: 'm', breaksFlow: 'yes' }])), 'r.json: checks[0].findings[0].breaksFlow: expected true (or nothing) (got "yes")'],
  ['a missing observed state', mutate((r) => delete r.checks[1].observed.state), 'r.json: checks[1].observed.state: expected one of open, closed, filtered, open|filtered, unresolved, error (missing)'],
];

describe('reading a saved result', () => {
  test('every result fixture is read, and the schema agrees', () => {
    for (const name of ['internet.json', 'mbx01.json', 'before.json', 'after.json', 'after-fixed.json', 'mbx01-other-topology.json']) {
      const raw = readFileSync(`${RESULTS}${name}`, 'utf8');
      expect(parseResult(raw, name).schemaVersion).toBe(1);
      expect(schemaValid(JSON.parse(raw))).toBe(true);
    }
  });

  test.each(BROKEN)('%s: one line naming the file and the field', (_what, input, message) => {
    let error: unknown;
    try {
      parseResult(input, 'r.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResultFileError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    expect((error as Error).message).not.toContain('\n');
  });

  test('the schema refuses the same broken results (but for JSON syntax)', () => {
    for (const [, input] of BROKEN.slice(1)) expect(schemaValid(JSON.parse(input))).toBe(false);
  });

  test.each([
    ['an extra field', (deep: string) => text.replace(/}\s*$/, `, "extra": ${deep}}`)],
    ['a service fact', (deep: string) => text.replace('"kind":', `"deep": ${deep}, "kind":`)],
  ])(`%s nested ${MAX_RESULT_DEPTH + 1} to 5,000 levels deep is refused before anything recurses into it`, (_where, place) => {
    expect(text).toContain('"kind":');
    for (const depth of [MAX_RESULT_DEPTH + 1, 5000, 200_000]) {
      for (const deep of ['{"x":'.repeat(depth) + '1' + '}'.repeat(depth), '['.repeat(depth) + ']'.repeat(depth)]) {
        expect(() => parseResult(place(deep), 'r.json')).toThrow(new RegExp(`^r\\.json:\\d+:\\d+: nested deeper than ${MAX_RESULT_DEPTH} levels: not an exchange-ports result$`));
      }
    }
  });
});
