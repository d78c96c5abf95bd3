import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { TopologyError } from './errors.js';
import { parseTopologyText } from './parse.js';
import { systemErrorText } from './system-error.js';
import type { Topology } from './types.js';

async function readBytes(file: string): Promise<Buffer> {
  const cannot = (why: string) => new TopologyError([`${file}: cannot read: ${why}`]);
  const failed = (error: unknown): never => {
    throw cannot(systemErrorText(error));
  };
  const info = await stat(file).catch(failed);
  if (info.isDirectory()) throw cannot('is a directory');
  // A FIFO or a device could block for ever.
  if (!info.isFile()) throw cannot('not a regular file');
  return readFile(file).catch(failed);
}

/** Reads, hashes and parses a topology file. Throws TopologyError, with `file` as given. */
export async function loadTopology(file: string): Promise<Topology> {
  const bytes = await readBytes(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TopologyError([`${file}: cannot read: not UTF-8 text`]);
  }
  return parseTopologyText(text, file, createHash('sha256').update(bytes).digest('hex'));
}
