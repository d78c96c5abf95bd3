import fc from 'fast-check';
import { TopologyError } from '../../src/topology/errors.js';
import { jsonSyntaxProblem, MAX_JSON_DEPTH } from '../../src/topology/json-syntax.js';
import { hostProblem, systemAddressOf } from '../../src/topology/names.js';
import { parseTopology } from '../../src/topology/parse.js';

function problemsOf(text: string, file: string): string[] {
  try {
    parseTopology(text, file);
  } catch (error) {
    if (error instanceof TopologyError) return error.problems;
    throw error;
  }
  throw new Error(`${file} was accepted`);
}

describe('a .json topology is held to JSON', () => {
  test('a trailing comma is an error with line and column', () => {
    const text = '{\n  "organization": "x",\n  "hosts": { "mailbox": ["mbx01.x.local"] },\n}\n';
    expect(problemsOf(text, 'topology.json')).toEqual(['topology.json:4:1: JSON syntax error: a trailing comma before "}"']);
    // The same text is valid YAML flow: a .yaml file with it is read.
    expect(parseTopology(text, 'topology.yaml').organization).toBe('x');
  });

  test.each([
    ['{"a": [1, 2,]}', 1, 13, 'a trailing comma before "]"'],
    ['{"a": 1 "b": 2}', 1, 9, 'expected "," or "}", found "\\""'],
    ["{'a': 1}", 1, 2, 'expected a member name in double quotes, found "\'"'],
    ['{"a": \'x\'}', 1, 7, 'a string in single quotes: JSON strings take double quotes'],
    ['{\n  /* c */ "a": 1}', 2, 3, 'expected a member name in double quotes, found a comment (JSON has none; a YAML topology may have them)'],
    ['{"a": tru}', 1, 7, 'expected a value, found "t"'],
    ['{"a": "x\ty"}', 1, 9, '"\\t" inside a string: control characters must be escaped'],
    ['{"a": "\\x41"}', 1, 8, 'not a JSON escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)'],
    ['{"a": "open', 1, 12, 'a string is not closed before the end of the file'],
    ['{"a": 1}}', 1, 9, '"}" after the end of the JSON value'],
    ['{"a": 1', 1, 8, 'expected "," or "}", found the end of the file'],
    ['', 1, 1, 'expected a value, found the end of the file'],
    ['{"é": [01]}', 1, 9, 'expected "," or "]", found "1"'],
  ])('%j: line %i, column %i: %s', (text, line, column, message) => {
    expect(problemsOf(text, 't.json')).toEqual([`t.json:${line}:${column}: JSON syntax error: ${message}`]);
  });

  test(`nesting deeper than ${MAX_JSON_DEPTH} levels is refused before anything recursive reads it`, () => {
    const deep = `{"organization": "x", "hosts": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(problemsOf(deep, 't.json')).toEqual([`t.json:1:${31 + MAX_JSON_DEPTH}: JSON syntax error: nested deeper than ${MAX_JSON_DEPTH} levels`]);
  });

  test('agrees with JSON.parse on generated JSON and on generated near-JSON', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small' }), (text) => {
        expect(jsonSyntaxProblem(text)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
    const near = fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '1', '-0.5e3', 'true', 'null', ' ', '\n', "'", '01', '"'), { maxLength: 24 });
    fc.assert(
      fc.property(near, (tokens) => {
        const text = tokens.join('');
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonSyntaxProblem(text) === undefined).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  test('a byte order mark is allowed, as the YAML reader allows it', () => {
    expect(jsonSyntaxProblem('\ufeff{"a": 1}')).toBeUndefined();
  });
});

describe('a host name the system resolver would read as an address', () => {
  // Checked against glibc's inet_aton (python3 -c 'import socket; socket.inet_aton(...)') when written.
  test.each([
    ['0x7f.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['0x7F000001', '127.0.0.1'],
    ['0377.0377.0377.0377', '255.255.255.255'],
    ['4294967295', '255.255.255.255'],
    ['198.18.775', '198.18.3.7'],
    ['198.18.3', '198.18.0.3'],
    ['00', '0.0.0.0'],
    ['12', '0.0.0.12'],
    ['0x', undefined],
    ['0x.0', undefined],
    ['1.2.3.4.5', undefined],
    ['256.1', undefined],
    ['1.2.65536', undefined],
    ['4294967296', undefined],
    ['08.1.1.1', undefined],
    ['0x1g.0.0.1', undefined],
    ['1.2.3.', undefined],
    ['0400.0.0.1', undefined],
    ['1e3', undefined],
    ['mbx01.contoso.local', undefined],
    ['3com.example', undefined],
  ])('%s: %s', (value, address) => {
    expect(systemAddressOf(value)).toBe(address);
  });

  test.each(['0x7f.0.0.1', '127.1', '2130706433', '0177.0.0.1', '127.0.1'])('%s as a name is an error naming the address it would be', (value) => {
    expect(hostProblem(value)).toBe(`${JSON.stringify(value)} is not a host name: the system resolver reads it as the address 127.0.0.1 (write it as 127.0.0.1)`);
  });

  test('the error names the field', () => {
    const text = '{"organization": "x", "hosts": {"mailbox": [{"name": "mbx01.x.local", "external": "0x7f.0.0.1"}]}}';
    expect(problemsOf(text, 't.json')).toEqual([
      't.json:1: hosts.mailbox[0].external: "0x7f.0.0.1" is not a host name: the system resolver reads it as the address 127.0.0.1 (write it as 127.0.0.1)',
    ]);
  });
});
