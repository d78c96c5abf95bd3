import { EXPECTATIONS, PROBE_KINDS, ROLES, TABLES, VERDICTS } from '../model/types.js';
import { OBSERVED_STATES } from './states.js';
import type { Report } from './types.js';

/** A saved result that cannot be read: the message names the file and the field. */
export class ResultFileError extends Error {
  override readonly name = 'ResultFileError';
  readonly code = 'ERESULT';
}

type Check = (value: unknown, path: string) => void;

class Invalid extends Error {}

const fail = (path: string, what: string, value: unknown): never => {
  const got = value === undefined ? 'missing' : `got ${JSON.stringify(value)?.slice(0, 40) ?? typeof value}`;
  throw new Invalid(`${path}: ${what} (${got})`);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str: Check = (v, p) => void (typeof v === 'string' || fail(p, 'expected a string', v));
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

const checkResult = object({
  id: str,
  flow: str,
  flows: array(str),
  table: oneOf(TABLES),
  source: vantage,
  destination: object({ role: oneOf(ROLES), host: str, lookup: oneOf(['address', 'name', 'mx']), address: optional(str) }),
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
  findings: array(object({ id: str, severity: oneOf(['critical', 'warning', 'info']), message: str })),
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
  checks: array(checkResult),
  summary: object(Object.fromEntries([...VERDICTS, 'total'].map((k) => [k, count]))),
});

/**
 * A saved ScanResult (`--format json`), checked field by field: the same rules as
 * src/report/result.schema.json, so a bad file gets one line naming it and the field, never a crash.
 */
export function parseResult(text: string, file: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ResultFileError(`${file}: not JSON: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
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
