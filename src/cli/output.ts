import { randomBytes } from 'node:crypto';
import { open, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { systemErrorText } from '../topology/input-file.js';
import { UsageError } from './errors.js';

/** The system the files are written for: injected, so Windows behaviour is tested anywhere. */
export interface Platform {
  readonly os: NodeJS.Platform;
}

export const THIS_PLATFORM: Platform = { os: process.platform };

/** A file the tool could not write, named as the user gave it (never the temporary file). */
export class OutputError extends UsageError {
  constructor(
    readonly file: string,
    why: string,
  ) {
    super(`cannot write ${file}: ${why}`, 'EOUTPUT');
  }
}

/**
 * Windows' null device by the names cmd and PowerShell users give it: `NUL`, `nul:`, `\\.\NUL`;
 * Windows reads a last path component `NUL` (trailing dots and spaces ignored) as the device too.
 */
function isWindowsNull(file: string): boolean {
  const last = file.split(/[\\/]/).pop() ?? '';
  return /^nul:?[. ]*$/i.test(last);
}

/** Text for the platform's files: CRLF line ends on Windows (Notepad, PowerShell 5.1), LF elsewhere. */
export function forPlatform(text: string, platform: Platform): string {
  return platform.os === 'win32' ? text.replace(/\r?\n/g, '\r\n') : text;
}

async function existing(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OutputError(file, systemErrorText(error));
  }
}

/**
 * Throws OutputError now when `file` cannot be an output: a directory, or a new file in a
 * folder that does not exist. Called before a scan, so a typo does not cost the scan.
 */
export async function checkOutputTarget(file: string, platform: Platform = THIS_PLATFORM): Promise<void> {
  if (file === '') throw new UsageError('--out needs a file name');
  if (writeMethod(file, undefined, platform) === 'discard') return;
  const info = await existing(file);
  if (writeMethod(file, info, platform) === 'refuse: directory') throw new OutputError(file, 'is a directory');
  if (info) return;
  const folder = await existing(dirname(file));
  if (!folder) throw new OutputError(file, `no such directory: ${dirname(file)}`);
  if (!folder.isDirectory()) throw new OutputError(file, `${dirname(file)} is not a directory`);
}

/** A regular file is replaced whole: a temporary file beside it, synced, then renamed over it. */
async function replaceFile(target: string, data: string, mode: number): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(data);
    await handle.datasync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

const alreadyExists = (file: string): UsageError => new UsageError(`${file} already exists (use --force to overwrite it)`);

/** A new file only ('wx' also refuses one created since the stat); one that fails half-written is removed. */
async function createFile(file: string, data: string): Promise<void> {
  const handle = await open(file, 'wx').catch((error: NodeJS.ErrnoException) => Promise.reject(error.code === 'EEXIST' ? alreadyExists(file) : error));
  try {
    await handle.writeFile(data);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw error;
  }
}

export interface WriteOptions {
  readonly platform?: Platform;
  /** Refuse to replace an existing file (init without --force). */
  readonly exclusive?: boolean;
}

export type WriteMethod = 'discard' | 'in place' | 'create' | 'replace' | 'refuse: directory' | 'refuse: exists';

/**
 * How a file is written, from what is there now (`info` from stat, undefined when nothing is):
 * Windows' null device is written to nowhere, as /dev/null; a device, FIFO or socket in place
 * (`--out /dev/null` must not replace /dev/null, a FIFO must feed its reader), even by init,
 * which refuses only to replace a file; a file or a new path is replaced (or created) whole.
 */
export function writeMethod(file: string, info: Pick<Stats, 'isFile' | 'isDirectory'> | undefined, platform: Platform, exclusive = false): WriteMethod {
  if (platform.os === 'win32' && isWindowsNull(file)) return 'discard';
  if (info?.isDirectory()) return 'refuse: directory';
  if (info && !info.isFile()) return 'in place';
  if (exclusive) return info ? 'refuse: exists' : 'create';
  return 'replace';
}

/**
 * Writes `text` to the file the user named, as `writeMethod` decides: a reader never sees half a
 * file. Whatever fails is an OutputError naming `file`, and no temporary file is left behind.
 */
export async function writeOutput(file: string, text: string, options: WriteOptions = {}): Promise<void> {
  const platform = options.platform ?? THIS_PLATFORM;
  if (writeMethod(file, undefined, platform) === 'discard') return;
  const data = forPlatform(text, platform);
  const info = await existing(file);
  const method = writeMethod(file, info, platform, options.exclusive);
  if (method === 'refuse: directory') throw new OutputError(file, 'is a directory');
  if (method === 'refuse: exists') throw alreadyExists(file);
  try {
    if (method === 'create') return await createFile(file, data);
    if (method === 'in place') return await writeFile(file, data);
    // A symbolic link keeps pointing where it did: the file it names is replaced, not the link.
    const target = info ? await realpath(file) : file;
    return await replaceFile(target, data, info ? info.mode & 0o7777 : 0o666);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new OutputError(file, systemErrorText(error));
  }
}
