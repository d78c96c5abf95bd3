import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fileURLToPath } from 'node:url';
import { parseResult } from '../../src/report/validate.js';
import type { Report } from '../../src/report/types.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RESULTS = `${ROOT}fixtures/results/`;
export const EXPECTED = `${ROOT}fixtures/expected/`;

/** A result fixture, read and checked the way the CLI reads it. */
export function fixture(name: string): Report {
  return parseResult(readFileSync(`${RESULTS}${name}`, 'utf8'), name);
}

/** The raw server greeting in internet.json: escapes, controls, `]]>`, `&`, `<`, a pipe, bidi, a lone surrogate. */
export function hostileGreeting(): string {
  const check = fixture('internet.json').checks.find((c) => c.flow === 'client.smtp-submission');
  const greeting = check?.service?.greeting;
  if (typeof greeting !== 'string') throw new Error('internet.json lost its hostile greeting');
  return greeting;
}

/** Escape and control characters that must never reach a terminal from server text. */
export const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A validator for src/report/result.schema.json (ajv, draft 2020-12, formats checked). */
export function resultSchema(options: { allErrors?: boolean } = {}): ValidateFunction {
  const ajv = new Ajv2020({ strict: true, allErrors: options.allErrors ?? false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  return ajv.compile(JSON.parse(readFileSync(`${ROOT}src/report/result.schema.json`, 'utf8')) as object);
}
