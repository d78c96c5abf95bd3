import { quote } from './describe.js';

/** Where a JSON text breaks the grammar (RFC 8259), and how, in words. */
export interface JsonSyntaxProblem {
  readonly offset: number;
  readonly message: string;
}

/**
 * A topology is five levels deep and a saved result eight; anything far deeper is a mistake,
 * refused before any recursive reading (JSON.parse, a YAML composer, a walk over facts).
 */
export const MAX_JSON_DEPTH = 64;

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;
const LITERAL = /true|false|null/y;

function found(text: string, at: number): string {
  if (at >= text.length) return 'the end of the file';
  if (text.startsWith('//', at) || text.startsWith('/*', at)) return 'a comment (JSON has none; a YAML topology may have them)';
  const char = String.fromCodePoint(text.codePointAt(at) as number);
  return quote(char);
}

/**
 * Checks `text` against the JSON grammar without building anything: iterative (a stack of
 * open brackets, at most MAX_JSON_DEPTH), linear, so no input can exhaust the call stack.
 * A YAML parser would accept a trailing comma, a comment or a single-quoted string in a
 * `.json` file; the user wrote JSON, so those are mistakes.
 */
export function jsonSyntaxProblem(text: string, maxDepth = MAX_JSON_DEPTH): JsonSyntaxProblem | undefined {
  const open: string[] = [];
  let at = text.startsWith('\ufeff') ? 1 : 0;
  const skip = (): void => {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at++;
  };
  const problem = (message: string): JsonSyntaxProblem => ({ offset: at, message });
  const string = (): JsonSyntaxProblem | undefined => {
    at++;
    STRING_BODY.lastIndex = at;
    STRING_BODY.exec(text);
    at = STRING_BODY.lastIndex;
    if (text[at] === '"') {
      at++;
      return undefined;
    }
    if (at >= text.length) return problem('a string is not closed before the end of the file');
    if (text[at] === '\\') return problem('not a JSON escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
    return problem(`${found(text, at)} inside a string: control characters must be escaped`);
  };
  /** One value; an opening bracket is pushed and left for the loop below. */
  const value = (): JsonSyntaxProblem | undefined => {
    skip();
    const char = text[at];
    if (char === '{' || char === '[') {
      if (open.length >= maxDepth) return problem(`nested deeper than ${maxDepth} levels`);
      open.push(char);
      at++;
      return undefined;
    }
    if (char === '"') return string();
    for (const pattern of [NUMBER, LITERAL]) {
      pattern.lastIndex = at;
      if (pattern.exec(text)) {
        at = pattern.lastIndex;
        return undefined;
      }
    }
    if (char === "'") return problem('a string in single quotes: JSON strings take double quotes');
    return problem(`expected a value, found ${found(text, at)}`);
  };
  /** After `{` or `,` inside an object: a member name and its colon. */
  const name = (): JsonSyntaxProblem | undefined => {
    skip();
    if (text[at] !== '"') return problem(`expected a member name in double quotes, found ${found(text, at)}`);
    const bad = string();
    if (bad) return bad;
    skip();
    if (text[at] !== ':') return problem(`expected ":" after a member name, found ${found(text, at)}`);
    at++;
    return undefined;
  };
  const first = value();
  if (first) return first;
  let justOpened = open.length > 0;
  while (open.length > 0) {
    skip();
    const inside = open[open.length - 1];
    const close = inside === '{' ? '}' : ']';
    let bad: JsonSyntaxProblem | undefined;
    if (text[at] === close) {
      open.pop();
      at++;
      justOpened = false;
      continue;
    }
    if (!justOpened) {
      if (text[at] !== ',') return problem(`expected "," or "${close}", found ${found(text, at)}`);
      at++;
      skip();
      if (text[at] === close) return problem(`a trailing comma before "${close}"`);
    }
    const depth = open.length;
    bad = inside === '{' ? (name() ?? value()) : value();
    if (bad) return bad;
    justOpened = open.length > depth;
  }
  skip();
  if (at < text.length) return problem(`${found(text, at)} after the end of the JSON value`);
  return undefined;
}

/** `12:3: a trailing comma before "}"`: where (line and column, 1-based, in characters) and what. */
export function jsonSyntaxError(text: string, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const problem = jsonSyntaxProblem(text, maxDepth);
  if (!problem) return undefined;
  const before = text.slice(0, problem.offset);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return `${line}:${column}: ${problem.message}`;
}
