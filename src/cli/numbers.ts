import { UsageError } from './errors.js';

/** Waits longer than this are mistakes (and past what a timer can hold: Node fires those at once). */
export const MAX_WAIT_MS = 600_000;

/** A whole-number option within [min, max], or a one-line usage error naming it. */
export function whole(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name}: expected a whole number ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A number option above 0 and at most max, or a one-line usage error naming it. */
export function positive(name: string, value: unknown, max = Number.MAX_VALUE): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    const range = max === Number.MAX_VALUE ? 'above 0' : `above 0 and at most ${max}`;
    throw new UsageError(`--${name}: expected a number ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}
