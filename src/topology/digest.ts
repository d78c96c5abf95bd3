import { createHash } from 'node:crypto';
import type { Topology } from './types.js';

/** Keys in a fixed order, so the same content always gives the same text. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}

/**
 * sha256 of the topology as parsed, not of its bytes: a comment, a reformatted file, YAML written
 * as JSON or keys in another order give the same digest; any change to what is checked does not.
 */
export function topologyDigest(topology: Topology): string {
  const { file: _file, sha256: _sha256, ...content } = topology;
  return createHash('sha256').update(JSON.stringify(canonical(content))).digest('hex');
}
