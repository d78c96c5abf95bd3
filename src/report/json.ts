import type { Report } from './types.js';

/** The stable, versioned result, raw (server text kept as sent: JSON escapes control characters). */
export function json(result: Report): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
