import { readFileSync } from 'node:fs';
import { parseResult, ResultFileError } from '../../src/report/validate.js';
import { RESULTS, resultSchema } from '../helpers/report-fixtures.js';

const schemaValid = resultSchema();
const text = readFileSync(`${RESULTS}internet.json`, 'utf8');

function mutate(patch: (r: Record<string, any>) => void): string {
  const r = JSON.parse(text) as Record<string, any>;
  patch(r);
  return JSON.stringify(r);
}

const BROKEN: [string, string, string][] = [
  ['not JSON', '{"schemaVersion": 1,', 'r.json: not JSON: '],
  ['not an object', '[1, 2]', 'r.json: not an exchange-ports result (expected a JSON object)'],
  ['another schema version', mutate((r) => (r.schemaVersion = 2)), 'r.json: schemaVersion 2: this version of exchange-ports reads schemaVersion 1 results'],
  ['no schema version', mutate((r) => delete r.schemaVersion), 'r.json: no schemaVersion: this version of exchange-ports reads schemaVersion 1 results'],
  ['a missing field', mutate((r) => delete r.checks), 'r.json: checks: expected a list (missing)'],
  ['a bad verdict', mutate((r) => (r.checks[3].verdict = 'maybe')), 'r.json: checks[3].verdict: expected one of pass, fail, exposed, down, warn, inconclusive, skipped (got "maybe")'],
  ['a bad port', mutate((r) => (r.checks[0].port = 70000)), 'r.json: checks[0].port: expected a port number (got 70000)'],
  ['a bad date', mutate((r) => (r.startedAt = 'yesterday')), 'r.json: startedAt: expected an ISO 8601 date (got "yesterday")'],
  ['a bad sha256', mutate((r) => (r.topology.sha256 = 'abc')), 'r.json: topology.sha256: expected a sha256 (64 hex digits) (got "abc")'],
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
});
