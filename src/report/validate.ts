import { EXPECTATIONS, PROBE_KINDS, ROLES, TABLES, VERDICTS } from '../model/types.js';
import { jsonSyntaxError } from '../topology/json-syntax.js';
import { OBSERVED_STATES } from './states.js';
import { CHANGE_KINDS, type Report } from './types.js';

/**
 * A saved result is eight levels deep (checks[i].service.tls.certificate...); far deeper is no
 * result, and is refused before JSON.parse or any walk over the facts could recurse into it.
 */
export const MAX_RESULT_DEPTH = 32;

/** A saved result that cannot be read: the message names the file and the field. */
export class ResultFileError extends Error {
  override readonly name = 'ResultFileError';
  readonly code = 'ERESULT';
}

type Check = (value: unknown, path: string) => void;

class Invalid extends Error {}

const fail = (path: string, what: string, value: unknown): never => {
  const shown = typeof value === 'string' && value.length > 40 ? value.slice(0, 40) : value;
  const got = value === undefined ? 'missing' : `got ${JSON.stringify(shown)?.slice(0, 40) ?? typeof value}`;
  throw new Invalid(`${path}: ${what} (${got})`);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v, p) => void (typeof v === 'string' || fail(p, 'expected a string', v));
const yes: Check = (v, p) => void (v === true || fail(p, 'expected true (or nothing)', v));
const bool: Check = (v, p) => void (typeof v === 'boolean' || fail(p, 'expected true or false', v));
const num: Check = (v, p) => void ((typeof v === 'number' && Number.isFinite(v)) || fail(p, 'expected a number', v));
const count: Check = (v, p) => void ((Number.isInteger(v) && (v as number) >= 0) || fail(p, 'expected a whole number', v));
const port: Check = (v, p) => void ((Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535) || fail(p, 'expected a port number', v));
const date: Check = (v, p) => void ((typeof v === 'string' && Number.isFinite(Date.parse(v))) || fail(p, 'expected an ISO 8601 date', v));
const sha256: Check = (v, p) => void ((typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)) || fail(p, 'expected a sha256 (64 hex digits)', v));
const oneOf =
  (values: readonly string[]): Check =>
  (v, p) =>
    void (values.includes(v as string) || fail(p, `expected one of ${values.join(', ')}`, v));
const optional =
  (check: Check): Check =>
  (v, p) =>
    void (v === undefined || check(v, p));
const array =
  (check: Check): Check =>
  (v, p) => {
    if (!Array.isArray(v)) fail(p, 'expected a list', v);
    (v as unknown[]).forEach((item, i) => check(item, `${p}[${i}]`));
  };
const object =
  (fields: Readonly<Record<string, Check>>): Check =>
  (v, p) => {
    if (!isObject(v)) fail(p, 'expected an object', v);
    for (const [k, check] of Object.entries(fields)) check((v as Record<string, unknown>)[k], p ? `${p}.${k}` : k);
  };

const vantage = object({ role: oneOf(ROLES), host: optional(str) });

const change = object({
  kind: oneOf(CHANGE_KINDS),
  check: str,
  flow: str,
  source: vantage,
  destination: object({ role: oneOf(ROLES), host: str, address: optional(str), name: optional(str) }),
  port: port,
  transport: oneOf(['tcp', 'udp']),
  before: optional(oneOf(VERDICTS)),
  after: optional(oneOf(VERDICTS)),
  facts: array(object({ fact: str })),
});

const baseline = object({
  file: str,
  startedAt: date,
  changes: array(change),
  summary: object(Object.fromEntries([...CHANGE_KINDS, 'unchanged'].map((k) => [k, count]))),
});

const nonEmpty =
  (check: Check): Check =>
  (v, p) => {
    check(v, p);
    if ((v as unknown[]).length === 0) fail(p, 'expected at least one', v);
  };

const merged = object({
  forced: bool,
  sources: nonEmpty(
    array(
      object({
        file: str,
        vantage,
        startedAt: date,
        finishedAt: date,
        topologySha256: sha256,
        checks: count,
        partial: bool,
        couldNotScan: optional(str),
      }),
    ),
  ),
});

const checkResult = object({
  id: str,
  flow: str,
  flows: array(str),
  table: oneOf(TABLES),
  source: vantage,
  destination: object({ role: oneOf(ROLES), host: str, lookup: oneOf(['address', 'name', 'mx']), address: optional(str), name: optional(str) }),
  port: port,
  transport: oneOf(['tcp', 'udp']),
  expectation: oneOf(EXPECTATIONS),
  probe: oneOf(PROBE_KINDS),
  implicitTls: bool,
  purpose: str,
  component: str,
  needsListener: bool,
  why: str,
  observed: object({ state: oneOf(OBSERVED_STATES), rttMs: optional(num), attempts: count, error: optional(str) }),
  service: optional(object({ kind: str })),
  findings: array(object({ id: str, severity: oneOf(['critical', 'warning', 'info']), message: str, breaksFlow: optional(yes) })),
  verdict: oneOf(VERDICTS),
  rule: optional(
    object({ action: oneOf(['allow', 'deny']), service: str, source: array(str), destination: array(str), bothWays: bool, flows: array(str), why: str, text: str }),
  ),
});

const result = object({
  tool: object({ name: str, version: str }),
  startedAt: date,
  finishedAt: date,
  vantage,
  topology: object({ file: str, sha256, parsedSha256: optional(sha256), organization: str }),
  partial: bool,
  couldNotScan: optional(str),
  control: optional(object({ answered: count, checks: array(str) })),
  checks: array(checkResult),
  notes: optional(array(str)),
  summary: object(Object.fromEntries([...VERDICTS, 'total'].map((k) => [k, count]))),
  baseline: optional(baseline),
  merged: optional(merged),
});

/**
 * A saved ScanResult (`--format json`), checked field by field: the same rules as
 * src/report/result.schema.json, so a bad file gets one line naming it and the field, never a crash.
 */
export function parseResult(text: string, file: string): Report {
  // Our own syntax check first: it says where (line and column) without quoting the file's
  // bytes, as JSON.parse's message does, and bounds the nesting before anything recurses.
  const syntax = jsonSyntaxError(text, MAX_RESULT_DEPTH);
  if (syntax) {
    const why = syntax.includes(': nested deeper than ') ? `${syntax}: not an exchange-ports result` : syntax.replace(': ', ': not JSON: ');
    throw new ResultFileError(`${file}:${why}`);
  }
  const value: unknown = JSON.parse(text);
  if (!isObject(value)) throw new ResultFileError(`${file}: not an exchange-ports result (expected a JSON object)`);
  if (value.schemaVersion !== 1) {
    const got = value.schemaVersion === undefined ? 'no schemaVersion' : `schemaVersion ${JSON.stringify(value.schemaVersion)}`;
    throw new ResultFileError(`${file}: ${got}: this version of exchange-ports reads schemaVersion 1 results`);
  }
  try {
    result(value, '');
  } catch (error) {
    if (error instanceof Invalid) throw new ResultFileError(`${file}: ${error.message}`);
    throw error;
  }
  return value as unknown as Report;
}
