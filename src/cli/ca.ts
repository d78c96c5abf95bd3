import { readInputFile } from '../topology/input-file.js';
import { UsageError } from './errors.js';

/** Reads `--ca` files (PEM, one or more certificates each); a missing or non-PEM file is a usage error. */
export async function readCaFiles(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map(async (file) => {
      const text = (await readInputFile(file, 'ca', (why) => new UsageError(`--ca ${file}: cannot read: ${why}`))).toString('utf8');
      if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${file}: not a PEM certificate`);
      return text;
    }),
  );
}
