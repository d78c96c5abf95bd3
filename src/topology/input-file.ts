import { open, stat } from 'node:fs/promises';
import { getSystemErrorMap } from 'node:util';

/** `no such file or directory` for ENOENT: the system's words, without Node's code and path around them. */
export function systemErrorText(error: unknown): string {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  const known = typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined;
  if (known) return known;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

const MIB = 1024 * 1024;

/**
 * The largest file of each kind the tool reads. Parsing costs many times a file's size in
 * memory (a YAML tree, a JSON object graph), so a file far past any real one is refused by its
 * size before a byte is read.
 * - topology: a 10,000-host organization is under 1 MB of YAML; 16 MiB is sixteen times that.
 * - result: a saved result is about 1.3 KB a check; the largest plan measured (3,000 Mailbox
 *   servers, about 51,000 checks) saves to about 64 MB; 128 MiB holds twice that.
 * - ca: a PEM bundle of every public root is about 0.2 MB; 4 MiB is twenty times that.
 */
export const INPUT_LIMITS = { topology: 16 * MIB, result: 128 * MIB, ca: 4 * MIB } as const;
export type InputKind = keyof typeof INPUT_LIMITS;

const NOUNS: Readonly<Record<InputKind, string>> = { topology: 'a topology', result: 'a saved result', ca: 'a --ca file' };

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/**
 * The bytes of a file the user named (topology, saved result, --ca). Whatever goes wrong is
 * one reason in the system's words, handed to `fail` to make the caller's error; a FIFO or a
 * device is refused, since reading one could block for ever, and a file over its kind's size
 * limit is refused before it is read (and never read past the limit, should it grow meanwhile).
 */
export async function readInputFile(file: string, kind: InputKind, fail: (why: string) => Error): Promise<Buffer> {
  const failed = (error: unknown): never => {
    throw fail(systemErrorText(error));
  };
  const limit = INPUT_LIMITS[kind];
  const tooLarge = (size: number): Error => fail(`${size > limit ? mib(size) : 'more than the limit'}: larger than the ${mib(limit)} limit for ${NOUNS[kind]}, refused before reading`);
  const info = await stat(file).catch(failed);
  if (info.isDirectory()) throw fail('is a directory');
  if (!info.isFile()) throw fail('not a regular file');
  if (info.size > limit) throw tooLarge(info.size);
  const handle = await open(file, 'r').catch(failed);
  try {
    let buffer = Buffer.alloc(Math.min(limit + 1, info.size + 65_536));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) break;
        buffer = Buffer.concat([buffer, Buffer.alloc(Math.min(limit + 1, length * 2) - length)]);
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null).catch(failed);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) throw tooLarge(length);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
