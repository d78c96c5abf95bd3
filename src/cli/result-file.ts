import { readInputFile } from '../topology/input-file.js';
import { parseResult, ResultFileError } from '../report/validate.js';
import type { Report } from '../report/types.js';

/** Reads and checks a saved JSON result; a bad file is one line naming it (exit 2). */
export async function readResultFile(file: string): Promise<Report> {
  const bytes = await readInputFile(file, 'result', (why) => new ResultFileError(`${file}: cannot read: ${why}`));
  return parseResult(bytes.toString('utf8'), file);
}
