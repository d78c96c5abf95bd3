// Network-namespace labs for the root-only suites and the benchmark: namespaces, veth pairs,
// addresses, routes, nftables rules and processes inside, all removed by destroy() (and, if
// the process dies first, by an exit hook). Names start with `xpe-` (or the prefix given to
// create()) plus a random suffix;
// addresses are 198.18.0.0/17 only.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const ALLOWED = /^198\.18\.(\d{1,3})\.\d{1,3}(\/\d{1,2})?$/;

function checkAddress(cidr) {
  const match = ALLOWED.exec(cidr);
  if (!match || Number(match[1]) > 127) throw new Error(`netns lab: ${cidr} is outside 198.18.0.0/17`);
}

function run(command, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

/** Every lab alive in this process, so an exit hook can remove what a crash left. */
const alive = new Set();
let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const lab of alive) lab.destroySync();
  });
}

export class Namespace {
  constructor(lab, name) {
    this.lab = lab;
    this.name = name;
  }
  /** Runs a command inside; resolves with stdout. */
  exec(command, ...args) {
    return run('ip', ['netns', 'exec', this.name, command, ...args]);
  }
  /** Runs a command inside with `input` on its stdin. */
  pipe(input, command, ...args) {
    return run('ip', ['netns', 'exec', this.name, command, ...args], input);
  }
  /** Loads an nftables ruleset (text) inside. */
  nft(rules) {
    return run('ip', ['netns', 'exec', this.name, 'nft', '-f', '-'], rules);
  }
  sysctl(key, value) {
    return this.exec('sysctl', '-qw', `${key}=${value}`);
  }
  addAddress(cidr, device) {
    checkAddress(cidr);
    return this.exec('ip', 'addr', 'add', cidr, 'dev', device);
  }
  route(...args) {
    return this.exec('ip', 'route', 'add', ...args);
  }
  /** Starts a long-running process inside; it is killed by destroy(). Resolves once it prints `ready`. */
  start(command, args, { readyLine = 'ready', timeoutMs = 15_000 } = {}) {
    const child = spawn('ip', ['netns', 'exec', this.name, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.lab.children.add(child);
    child.on('exit', () => this.lab.children.delete(child));
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`${command} in ${this.name}: not ready after ${timeoutMs} ms: ${output}`)), timeoutMs);
      const onData = (chunk) => {
        output += chunk;
        if (output.split('\n').includes(readyLine)) {
          clearTimeout(timer);
          child.stdout.off('data', onData);
          resolve(child);
        }
      };
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${command} in ${this.name} exited with ${code}: ${output}`));
      });
    });
  }
}

export class NetnsLab {
  constructor(prefix = 'xpe') {
    this.prefix = prefix;
    this.suffix = randomBytes(3).toString('hex');
    this.namespaces = [];
    this.children = new Set();
    this.links = 0;
  }

  static async create(prefix) {
    const lab = new NetnsLab(prefix);
    alive.add(lab);
    hookExit();
    return lab;
  }

  /** A namespace named `<prefix>-<role>-<suffix>` with loopback up. */
  async namespace(role) {
    const name = `${this.prefix}-${role}-${this.suffix}`;
    await run('ip', ['netns', 'add', name]);
    const namespace = new Namespace(this, name);
    this.namespaces.push(namespace);
    await namespace.exec('ip', 'link', 'set', 'lo', 'up');
    return namespace;
  }

  /** A veth pair between two namespaces, addressed and up. Returns the device names. */
  async link(left, leftCidr, right, rightCidr) {
    checkAddress(leftCidr);
    checkAddress(rightCidr);
    this.links += 1;
    const a = `${this.prefix}${this.suffix}a${this.links}`;
    const b = `${this.prefix}${this.suffix}b${this.links}`;
    await run('ip', ['link', 'add', a, 'netns', left.name, 'type', 'veth', 'peer', 'name', b, 'netns', right.name]);
    for (const [namespace, device, cidr] of [[left, a, leftCidr], [right, b, rightCidr]]) {
      await namespace.addAddress(cidr, device);
      await namespace.exec('ip', 'link', 'set', device, 'up');
    }
    return { left: a, right: b };
  }

  /** Kills the processes started inside and deletes the namespaces (their veths go with them). */
  async destroy() {
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.all([...this.children].map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)))));
    for (const namespace of this.namespaces.splice(0)) {
      await run('ip', ['netns', 'del', namespace.name]).catch(() => undefined);
    }
    alive.delete(this);
  }

  destroySync() {
    for (const child of this.children) child.kill('SIGKILL');
    for (const namespace of this.namespaces.splice(0)) {
      try {
        execFileSync('ip', ['netns', 'del', namespace.name], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    alive.delete(this);
  }
}

/** Lists namespaces of this lab still present (for tests of the cleanup itself). */
export async function listNamespaces(prefix = 'xpe-') {
  const out = await run('ip', ['netns', 'list']);
  return out.split('\n').map((line) => line.split(' ')[0]).filter((name) => name && name.startsWith(prefix));
}
