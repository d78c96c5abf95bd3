import { createHash } from 'node:crypto';
import { TopologyError } from './errors.js';
import { parseTopologyText } from './parse.js';
import { readInputFile } from './input-file.js';
import type { Topology } from './types.js';

/** Reads, hashes and parses a topology file. Throws TopologyError, with `file` as given. */
export async function loadTopology(file: string): Promise<Topology> {
  const bytes = await readInputFile(file, 'topology', (why) => new TopologyError([`${file}: cannot read: ${why}`]));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TopologyError([`${file}: cannot read: not UTF-8 text`]);
  }
  return parseTopologyText(text, file, createHash('sha256').update(bytes).digest('hex'));
}
