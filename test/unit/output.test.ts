import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/cli/errors.js';
import { checkOutputTarget, OutputError, writeMethod, writeOutput } from '../../src/cli/output.js';
import { whenRoot } from '../helpers/root.js';

const WINDOWS = { os: 'win32' } as const;
const LINUX = { os: 'linux' } as const;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xs-out-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeOutput', () => {
  test('a new path and a regular file are written whole, with no temporary file left beside them', async () => {
    const file = join(dir, 'r.json');
    await writeOutput(file, 'one\n', { platform: LINUX });
    writeFileSync(join(dir, 'other'), 'x');
    await writeOutput(file, 'two\n', { platform: LINUX });
    expect(readFileSync(file, 'utf8')).toBe('two\n');
    expect(readdirSync(dir).sort()).toEqual(['other', 'r.json']);
  });

  test('replacing a file keeps its permissions, and a symbolic link keeps pointing at the file it names', async () => {
    const real = join(dir, 'real.json');
    writeFileSync(real, 'old', { mode: 0o600 });
    const link = join(dir, 'link.json');
    symlinkSync(real, link);
    await writeOutput(link, 'new', { platform: LINUX });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(statSync(real).mode & 0o777).toBe(0o600);
  });

  test('a FIFO is written in place and feeds its reader (a rename would leave the reader waiting)', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (chunk: Buffer) => (read += chunk.toString()));
    const closed = new Promise((resolve) => reader.once('close', resolve));
    await writeOutput(fifo, 'through the pipe\n', { platform: LINUX });
    await closed;
    expect(read).toBe('through the pipe\n');
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  describe('devices (a node of our own: a test that failed must not replace the system /dev/null)', () => {
    whenRoot(() => {
      test('a character device is written in place: a private /dev/null stays a device', async () => {
        const device = join(dir, 'null');
        expect(spawnSync('mknod', [device, 'c', '1', '3']).status).toBe(0);
        await writeOutput(device, 'discarded', { platform: LINUX });
        expect(statSync(device).isCharacterDevice()).toBe(true);
        expect(readdirSync(dir)).toEqual(['null']);
      });

      test('a full device (a private /dev/full): the error names the file as given, in the system words', async () => {
        const full = join(dir, 'full');
        expect(spawnSync('mknod', [full, 'c', '1', '7']).status).toBe(0);
        await expect(writeOutput(full, 'x'.repeat(10_000), { platform: LINUX })).rejects.toThrow(new OutputError(full, 'no space left on device'));
        expect(statSync(full).isCharacterDevice()).toBe(true);
      });
    });
  });

  test('a directory is a usage error naming it, before and when writing', async () => {
    await expect(checkOutputTarget(dir, LINUX)).rejects.toThrow(`cannot write ${dir}: is a directory`);
    await expect(writeOutput(dir, 'x', { platform: LINUX })).rejects.toThrow(UsageError);
    await expect(writeOutput(dir, 'x', { platform: LINUX })).rejects.toThrow(`cannot write ${dir}: is a directory`);
  });

  test('a new file in a folder that does not exist is refused before a scan', async () => {
    const file = join(dir, 'missing', 'r.json');
    await expect(checkOutputTarget(file, LINUX)).rejects.toThrow(`cannot write ${file}: no such directory: ${join(dir, 'missing')}`);
    await expect(checkOutputTarget(join(dir, 'new.json'), LINUX)).resolves.toBeUndefined();
  });

  test('a failed write names the file the user gave, not the temporary one', async () => {
    mkdirSync(join(dir, 'sub'));
    const file = join(dir, 'sub', 'r.json');
    await rm(join(dir, 'sub'), { recursive: true });
    const attempt = writeOutput(file, 'x', { platform: LINUX });
    await expect(attempt).rejects.toThrow(`cannot write ${file}: no such file or directory`);
    await expect(writeOutput(file, 'x', { platform: LINUX })).rejects.not.toThrow(/\.tmp/);
  });

  test('exclusive (init without --force) refuses an existing file and leaves it as it was', async () => {
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, 'mine');
    await expect(writeOutput(file, 'template', { exclusive: true, platform: LINUX })).rejects.toThrow(`${file} already exists (use --force to overwrite it)`);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });
});

describe('writeOutput on Windows (the platform injected)', () => {
  test('every file gets CRLF line ends, and a CRLF already there is not doubled', async () => {
    const file = join(dir, 'r.txt');
    await writeOutput(file, 'a\nb\r\nc\n', { platform: WINDOWS });
    expect(readFileSync(file, 'utf8')).toBe('a\r\nb\r\nc\r\n');
    await writeOutput(file, 'a\nb\n', { platform: LINUX });
    expect(readFileSync(file, 'utf8')).toBe('a\nb\n');
  });

  test('init without --force on Windows: CRLF too', async () => {
    const file = join(dir, 'topology.yaml');
    await writeOutput(file, 'organization: x\nhosts:\n', { exclusive: true, platform: WINDOWS });
    expect(readFileSync(file, 'utf8')).toBe('organization: x\r\nhosts:\r\n');
  });

  test.each(['NUL', 'nul', 'NUL:', '\\\\.\\NUL', 'C:\\reports\\nul'])('--out %s discards the text, as /dev/null does, and creates no file', async (name) => {
    const file = join(dir, name);
    await checkOutputTarget(file, WINDOWS);
    await writeOutput(file, 'discarded\n', { platform: WINDOWS });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('init --out NUL: nothing to refuse, nothing written', async () => {
    await writeOutput(join(dir, 'nul'), 'organization: x\n', { exclusive: true, platform: WINDOWS });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('on Linux a file named NUL is an ordinary file', async () => {
    await writeOutput(join(dir, 'NUL'), 'kept\n', { platform: LINUX });
    expect(readFileSync(join(dir, 'NUL'), 'utf8')).toBe('kept\n');
  });
});

describe('writeMethod: how each target is written (pure)', () => {
  const file = { isFile: () => true, isDirectory: () => false };
  const device = { isFile: () => false, isDirectory: () => false };
  const folder = { isFile: () => false, isDirectory: () => true };

  test.each([
    ['NUL', undefined, WINDOWS, false, 'discard'],
    ['nul:', device, WINDOWS, true, 'discard'],
    ['\\\\.\\NUL', undefined, WINDOWS, false, 'discard'],
    ['C:\\reports\\Nul. ', undefined, WINDOWS, false, 'discard'],
    ['NUL.txt', undefined, WINDOWS, false, 'replace'],
    ['null', undefined, WINDOWS, false, 'replace'],
    ['NUL', undefined, LINUX, false, 'replace'],
    ['/dev/null', device, LINUX, false, 'in place'],
    ['/dev/null', device, LINUX, true, 'in place'],
    ['r.json', file, LINUX, false, 'replace'],
    ['r.json', undefined, WINDOWS, false, 'replace'],
    ['topology.yaml', file, WINDOWS, true, 'refuse: exists'],
    ['topology.yaml', undefined, LINUX, true, 'create'],
    ['reports', folder, LINUX, false, 'refuse: directory'],
  ] as const)('%s (%o) on %o, exclusive %s: %s', (name, info, platform, exclusive, method) => {
    expect(writeMethod(name, info, platform, exclusive)).toBe(method);
  });
});
