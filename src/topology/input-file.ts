import { readFile, stat } from 'node:fs/promises';
import { getSystemErrorMap } from 'node:util';

/** `no such file or directory` for ENOENT: the system's words, without Node's code and path around them. */
export function systemErrorText(error: unknown): string {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  const known = typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined;
  if (known) return known;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The bytes of a file the user named (topology, saved result, --ca). Whatever goes wrong is
 * one reason in the system's words, handed to `fail` to make the caller's error; a FIFO or a
 * device is refused, since reading one could block for ever.
 */
export async function readInputFile(file: string, fail: (why: string) => Error): Promise<Buffer> {
  const failed = (error: unknown): never => {
    throw fail(systemErrorText(error));
  };
  const info = await stat(file).catch(failed);
  if (info.isDirectory()) throw fail('is a directory');
  if (!info.isFile()) throw fail('not a regular file');
  return readFile(file).catch(failed);
}
