import { UsageError } from './errors.js';

/** Waits longer than this are mistakes (and past what a timer can hold: Node fires those at once). */
export const MAX_WAIT_MS = 600_000;

/** What the user gave, in words: yargs hands over NaN for `--timeout abc`, the raw text is kept by keepRawNumbers. */
function given(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} values (give it once)`;
  if (typeof value === 'number' && Number.isNaN(value)) return 'something that is not a number';
  return JSON.stringify(value) ?? String(value);
}

/** A number as a person writes one: `1000`, `-5`, `0.5`, `1e3`; not `0x10`, `""` or `1e999`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * For a yargs middleware: where yargs read a number the user did not plainly write (NaN for
 * `abc`, 0 for an empty value, Infinity for `1e999`, 16 for `0x10`), put back the text the user
 * wrote, so the option's check can say `got "abc"`. `argv` is the command line as given.
 */
export function keepRawNumbers(parsed: Record<string, unknown>, argv: readonly string[]): void {
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'number') continue;
    const flag = `--${key}`;
    let raw: string | undefined;
    argv.forEach((arg, i) => {
      if (arg.startsWith(`${flag}=`)) raw = arg.slice(flag.length + 1);
      else if (arg === flag && i + 1 < argv.length) raw = argv[i + 1];
    });
    if (raw !== undefined && !(DECIMAL.test(raw.trim()) && Number.isFinite(value))) parsed[key] = raw;
  }
}

/** A whole-number option within [min, max], or a one-line usage error naming it. */
export function whole(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name}: expected a whole number ${range}, got ${given(value)}`);
  }
  return value;
}

/** A number option above 0 and at most max, or a one-line usage error naming it. */
export function positive(name: string, value: unknown, max = Number.MAX_VALUE): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    const range = max === Number.MAX_VALUE ? 'above 0' : `above 0 and at most ${max}`;
    throw new UsageError(`--${name}: expected a number ${range}, got ${given(value)}`);
  }
  return value;
}
