import { getSystemErrorMap } from 'node:util';

/** `no such file or directory` for ENOENT: the system's words, without Node's code and path around them. */
export function systemErrorText(error: unknown): string {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  const known = typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined;
  if (known) return known;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
