import { spawn, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, type Run } from './cli.js';
import { NetnsLab, type Namespace } from './netns-lab.js';

export const WINDOWS_EXE = join(ROOT, 'dist/exe/exchange-ports.exe');
export const LINUX_EXE = join(ROOT, 'dist/exe/exchange-ports-linux-x64');

/** `npm run build:exe` into `directory` (dist/exe when omitted). CI builds first (.ci/run); a checkout without the files builds here. */
export function buildExecutables(directory?: string): void {
  const built = spawnSync(process.execPath, [join(ROOT, 'exe.config.mjs'), ...(directory ? [directory] : [])], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  if (built.status !== 0) throw new Error(`npm run build:exe failed: ${built.stderr}`);
}

export function ensureExecutables(): void {
  if (!existsSync(WINDOWS_EXE) || !existsSync(LINUX_EXE)) buildExecutables();
}

export interface Invocation {
  args: string[];
  cwd?: string;
  /** Sent once `afterMs` has passed and `ready` (say, a server saw the probe) has resolved. */
  signal?: NodeJS.Signals;
  afterMs?: number;
  ready?: Promise<unknown>;
  /** Environment changes for this run; undefined removes a variable. */
  env?: Record<string, string | undefined>;
}

function withChanges(env: NodeJS.ProcessEnv, changes: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const out = { ...env, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete out[name];
  return out;
}

/** One way to start the CLI: the Node build, the Linux executable, or the exe under wine, all inside one namespace. */
export type Runner = (invocation: Invocation) => Promise<Run>;

/**
 * Runs `command` inside the namespace with files, not pipes, as its standard streams (wine gives
 * a Windows program EBADF for a Unix pipe). Killed after 90 s whatever happens.
 */
function runInside(namespace: Namespace, command: string[], invocation: Invocation, env: NodeJS.ProcessEnv, scratch: string): Promise<Run> {
  const stdoutFile = join(scratch, `stdout-${process.hrtime.bigint()}`);
  const stderrFile = `${stdoutFile}.err`;
  const stdout = openSync(stdoutFile, 'w');
  const stderr = openSync(stderrFile, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', namespace.name, ...command, ...invocation.args], {
      cwd: invocation.cwd ?? ROOT,
      env: withChanges(env, invocation.env),
      stdio: ['ignore', stdout, stderr],
    });
    const ready = invocation.ready ?? Promise.resolve();
    const send = invocation.signal ? setTimeout(() => void ready.then(() => child.kill(invocation.signal)), invocation.afterMs ?? 2000) : undefined;
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(send);
      clearTimeout(guard);
      closeSync(stdout);
      closeSync(stderr);
      const run = { code, stdout: readFileSync(stdoutFile, 'utf8'), stderr: readFileSync(stderrFile, 'utf8') };
      rmSync(stdoutFile);
      rmSync(stderrFile);
      resolve(run);
    });
  });
}

/** A namespace with only loopback, a fresh wine prefix set to Windows 10 in it, and the three ways to run the CLI. */
export class ExeBox {
  private constructor(
    readonly lab: NetnsLab,
    readonly namespace: Namespace,
    readonly scratch: string,
  ) {}

  get wineEnv(): NodeJS.ProcessEnv {
    return { ...process.env, NO_COLOR: '1', WINEPREFIX: join(this.scratch, 'wine'), WINEDEBUG: '-all' };
  }

  static async create(): Promise<ExeBox> {
    const lab = await NetnsLab.create();
    const namespace = await lab.namespace('exe');
    const box = new ExeBox(lab, namespace, mkdtempSync(join(tmpdir(), 'xpe-exe-')));
    // node.exe exits 216 on wine's default Windows 7.
    for (const command of [['wineboot', '--init'], ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f']]) {
      const run = await runInside(namespace, ['wine'], { args: command }, box.wineEnv, box.scratch);
      if (run.code !== 0) throw new Error(`wine ${command.join(' ')}: exit ${run.code}: ${run.stderr}`);
    }
    // wineboot returns while the prefix's own processes (services, the registry's save) still run:
    // the tests start once that wineserver has ended, on a settled prefix.
    const settled = await runInside(namespace, ['wineserver', '-w'], { args: [] }, box.wineEnv, box.scratch);
    if (settled.code !== 0) throw new Error(`wineserver -w: exit ${settled.code}: ${settled.stderr}`);
    return box;
  }

  readonly node: Runner = (invocation) => runInside(this.namespace, [process.execPath, BIN], invocation, { ...process.env, NO_COLOR: '1' }, this.scratch);
  readonly linux: Runner = (invocation) => runInside(this.namespace, [LINUX_EXE], invocation, { ...process.env, NO_COLOR: '1' }, this.scratch);
  readonly windows: Runner = (invocation) => runInside(this.namespace, ['wine', WINDOWS_EXE], invocation, this.wineEnv, this.scratch);

  /** Puts a root certificate into the prefix's Windows store (the current user's Root, as `certutil -user -addstore Root` would), by its registry entry. */
  async trustInWindowsStore(pem: string): Promise<void> {
    const der = new X509Certificate(pem).raw;
    // A serialized certificate store element: property CERT_CERT_PROP_ID (32), flags 1, length, the DER bytes.
    const header = Buffer.alloc(12);
    header.writeUInt32LE(32, 0);
    header.writeUInt32LE(1, 4);
    header.writeUInt32LE(der.length, 8);
    const thumbprint = createHash('sha1').update(der).digest('hex').toUpperCase();
    const key = `HKCU\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates\\${thumbprint}`;
    const args = ['reg', 'add', key, '/v', 'Blob', '/t', 'REG_BINARY', '/d', Buffer.concat([header, der]).toString('hex'), '/f'];
    const run = await runInside(this.namespace, ['wine'], { args }, this.wineEnv, this.scratch);
    if (run.code !== 0) throw new Error(`wine reg add: exit ${run.code}: ${run.stderr}`);
  }

  async close(): Promise<void> {
    // Ends this prefix's wineserver and the Windows processes it started (services, wineboot), only.
    spawnSync('wineserver', ['-k'], { env: this.wineEnv, timeout: 30_000 });
    await this.lab.destroy();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
