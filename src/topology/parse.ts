import { createHash } from 'node:crypto';
import { isMap, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { describeNode } from './describe.js';
import { TopologyError } from './errors.js';
import { jsonSyntaxError } from './json-syntax.js';
import { Problems } from './problems.js';
import { Reader } from './reader.js';
import type { Topology } from './types.js';
import { readTopology } from './validate.js';

/** The parser's words where they speak of its own API rather than of the file. */
const SYNTAX_MESSAGES: Readonly<Record<string, string>> = {
  MULTIPLE_DOCS: 'more than one YAML document (a second "---"): a topology is one document',
};

/** One problem per line: a single slip often makes the YAML parser say several things about it. */
function addSyntaxProblems(problems: Problems, errors: readonly YAMLError[]): void {
  const lines = new Set<number>();
  for (const error of errors) {
    const line = problems.line(error.pos[0]);
    if (lines.has(line)) continue;
    lines.add(line);
    const message = SYNTAX_MESSAGES[error.code] ?? error.message.replace(/\s*\n[\s\S]*$/, '');
    problems.add(error.pos[0], '', `YAML syntax error: ${message}`);
  }
}

/**
 * A `.json` file is held to JSON: the YAML parser below would take a trailing comma or a
 * comment in stride. Line and column (1-based, in characters) point at the mistake.
 */
function checkJson(text: string, file: string): void {
  if (!/\.json$/i.test(file)) return;
  const error = jsonSyntaxError(text);
  if (error) throw new TopologyError([`${file}:${error.replace(': ', ': JSON syntax error: ')}`]);
}

/** Parses with the sha256 of the bytes the text came from. */
export function parseTopologyText(text: string, file: string, sha256: string): Topology {
  checkJson(text, file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const problems = new Problems(file, lineCounter);
  addSyntaxProblems(problems, [...doc.errors, ...doc.warnings]);
  problems.throwIfAny();
  const root = doc.contents;
  if (root === null) {
    problems.add(0, '', 'the file is empty: expected a mapping with organization and hosts (exchange-ports init writes a template)');
  } else if (!isMap(root)) {
    problems.add(root.range[0], '', `expected a mapping with organization and hosts at the top level, got ${describeNode(root)}`);
  }
  problems.throwIfAny();
  const topology = readTopology(new Reader(doc, problems), { value: root, path: '', at: 0 }, file, sha256);
  problems.throwIfAny();
  return topology as Topology;
}

/** A topology from YAML or JSON text; `file` names it in messages. Throws TopologyError. */
export function parseTopology(text: string, file: string): Topology {
  return parseTopologyText(text, file, createHash('sha256').update(text).digest('hex'));
}
