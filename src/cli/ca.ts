import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

/** Reads `--ca` files (PEM, one or more certificates each); a missing or non-PEM file is a usage error. */
export async function readCaFiles(files: readonly string[]): Promise<string[]> {
  return Promise.all(
    files.map(async (file) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UsageError(`--ca ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read it'}`);
      }
      if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${file}: not a PEM certificate`);
      return text;
    }),
  );
}
