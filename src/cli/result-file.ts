import { readFile } from 'node:fs/promises';
import { parseResult, ResultFileError } from '../report/validate.js';
import type { Report } from '../report/types.js';

/** Reads and checks a saved JSON result; a bad file is one line naming it (exit 2). */
export async function readResultFile(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ResultFileError(`${file}: cannot read: ${why}`);
  }
  return parseResult(text, file);
}
