import type { Report } from './types.js';

/**
 * Characters JSON.stringify leaves raw that a terminal would act on or reorder: DEL, the C1
 * controls (U+009B is an 8-bit CSI), line/paragraph separators and the bidi controls.
 */
const INERT = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON whose text is safe on a terminal: the characters above are written as \u escapes, so
 * every value (server text included) keeps its exact meaning. Every JSON this tool prints uses it.
 */
export function safeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(INERT, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** The stable, versioned result. */
export function json(result: Report): string {
  return safeJson(result);
}
