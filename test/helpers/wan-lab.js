// A WAN lab for the root-only suites and the benchmark: a scanner; LAN hosts one router hop
// away; a far site behind a WAN link made in user space (this kernel has no sch_netem): a
// small C forwarder (wan-link.c, compiled here with `cc`) copies packets between two TUN
// devices after a delay, with jitter, dropping a seeded fraction. The router runs nftables:
// ports dropped per host, and a resetting firewall in front of the far Edge server. A DNS
// server at the far site answers A and AAAA for the lab's names. Every address and port has
// a ground truth (truthState). Names start with `xpw`; addresses are 198.18.0.0/17 and
// 2001:2::/48 (the latter routed nowhere: the scanner has no IPv6 route).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { NetnsLab } from './netns-lab.js';

export const DOMAIN = 'wan.test';
export const SCANNER = '198.18.1.2';
export const DNS_SERVER = '198.18.3.53';

/**
 * Ports an Exchange Mailbox server answers from another Mailbox server; 135, 717 and 58982:
 * nothing listens. `services`: real dialogues (wan-services.mjs); other open ports accept and close.
 */
const MAILBOX = {
  listen: [25, 80, 443, 444, 465, 475, 476, 477, 2525, 49152, 52429, 55705, 64327, 65535],
  drop: [445, 62258],
  services: { 25: 'smtp-frontend', 443: 'https' },
};
/**
 * The Edge server behind a firewall near the scanner that resets every TCP port it does not
 * pass: 3389 and 5985 are open, and forbidden from a Mailbox server (exposed).
 */
const EDGE = { listen: [25, 3389, 5985, 50636], drop: [445], passed: [5986], resetByRouter: true, services: { 25: 'smtp-edge', 50636: 'tls' } };

/**
 * Every address of the lab: `near` (LAN), `far` (behind the WAN link), `dead` (routed to the
 * far site, where nothing owns it: silence), `unroutable` (IPv6: the scanner has no route).
 */
export const ADDRESSES = {
  '198.18.2.10': { side: 'near', ...MAILBOX },
  '198.18.3.10': { side: 'far', ...MAILBOX },
  '198.18.3.11': { side: 'far', ...MAILBOX },
  '198.18.3.12': { side: 'far', ...MAILBOX },
  '198.18.3.25': { side: 'far', ...EDGE },
  [DNS_SERVER]: { side: 'far', listen: [53], dns: true },
  '198.18.3.99': { side: 'dead' },
  '2001:2::11': { side: 'unroutable' },
};

/** The names the lab's DNS server answers, and their addresses (A and AAAA). */
export const NAMES = {
  [`mbx01.${DOMAIN}`]: ['198.18.2.10'],
  [`mbx02.${DOMAIN}`]: ['198.18.3.10'],
  /** Dual-stack: its AAAA is unroutable from the scanner. */
  [`mbx03.${DOMAIN}`]: ['198.18.3.11', '2001:2::11'],
  /** One live A record, one dead. */
  [`mbx04.${DOMAIN}`]: ['198.18.3.12', '198.18.3.99'],
  [`edge01.${DOMAIN}`]: ['198.18.3.25'],
};

/**
 * What a correct scanner observes at an address and port: `open` (a listener), `closed` (the
 * host or the router resets), `filtered` (dropped, or nobody there), `error` (not probed: this
 * machine has no route to it).
 */
export function truthState(address, port, transport) {
  const host = ADDRESSES[address];
  if (!host) return undefined;
  if (host.side === 'unroutable') return 'error';
  if (host.side === 'dead') return transport === 'udp' ? 'open|filtered' : 'filtered';
  if (transport === 'udp') return host.dns && port === 53 ? 'open' : 'closed';
  if (host.drop?.includes(port)) return 'filtered';
  return host.listen.includes(port) ? 'open' : 'closed';
}

/** A topology of the lab's names: mailbox and edge host names, the far site's DNS server. */
export function topologyYaml({ mailbox, edge = [] }) {
  const list = (names) => names.map((name) => `    - ${name}`);
  return [
    'organization: wan',
    `edge: ${edge.length > 0 ? 'subscribed' : 'none'}`,
    'hosts:',
    '  mailbox:',
    ...list(mailbox),
    ...(edge.length > 0 ? ['  edge:', ...list(edge)] : []),
    `  dns: [${DNS_SERVER}]`,
    '',
  ].join('\n');
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

const SOURCE = fileURLToPath(new URL('./wan-link.c', import.meta.url));
let compiled;
/** Compiles the forwarder once per process into a temporary directory (removed on exit); resolves with its path. */
export function forwarderBinary() {
  compiled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xpw-link-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const binary = join(dir, 'wan-link');
    await run('cc', ['-O2', '-o', binary, SOURCE]).catch((error) => {
      throw new Error(`wan lab: cannot compile the WAN forwarder (needs a C compiler: apt-get install gcc libc6-dev): ${error.message}`);
    });
    return binary;
  })();
  return compiled;
}

/** The WAN link's forwarder process: settings in on stdin, one answer line each on stdout. */
class WanLink {
  constructor(child) {
    this.child = child;
    this.waiting = [];
    this.lines = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.lines.push(line);
    });
  }

  ask(line) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`wan link: no answer to "${line}"`)), 10_000);
      this.waiting.push((answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.child.stdin.write(`${line}\n`);
    });
  }

  /**
   * rttMs: the round trip the link adds (half each way); jitterMs: each way's delay varies by
   * up to half of it either side, so the round trip by up to jitterMs; loss: the fraction of
   * packets dropped, each way; seed: the drops' random sequence; reorder: let jitter reorder.
   */
  async set({ rttMs = 0, jitterMs = 0, loss = 0, seed = 1, reorder = false } = {}) {
    const line = `${Math.round(rttMs * 500)} ${Math.round(jitterMs * 500)} ${Math.round(loss * 1e6)} ${seed} ${reorder ? 1 : 0}`;
    const answer = await this.ask(line);
    if (answer !== 'ok') throw new Error(`wan link: ${answer}`);
    this.settings = { rttMs, jitterMs, loss, seed, reorder };
  }

  /** Packets passed and dropped (both ways) since the last set(). */
  async stats() {
    const match = /^passed (\d+) dropped (\d+)$/.exec(await this.ask('stats'));
    if (!match) throw new Error('wan link: unreadable stats');
    return { passed: Number(match[1]), dropped: Number(match[2]) };
  }
}

async function startLink(lab, near, far) {
  const binary = await forwarderBinary();
  const child = spawn(binary, [near, far], { stdio: ['pipe', 'pipe', 'pipe'] });
  lab.children.add(child);
  child.on('exit', () => lab.children.delete(child));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const link = new WanLink(child);
  const ready = await new Promise((resolve, reject) => {
    link.waiting.push(resolve);
    child.once('exit', (code) => reject(new Error(`wan link exited with ${code}: ${stderr}`)));
  });
  if (ready !== 'ready') throw new Error(`wan link: ${ready}`);
  return link;
}

function routerRules() {
  const drops = Object.entries(ADDRESSES).flatMap(([address, host]) => (host.drop ?? []).map((port) => `${address} . ${port}`));
  const resetting = Object.entries(ADDRESSES).filter(([, host]) => host.resetByRouter);
  return [
    'table ip xpw {',
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
    `    ip daddr . tcp dport { ${drops.join(', ')} } drop`,
    ...resetting.map(([address, host]) => `    ip daddr ${address} tcp dport != { ${[...host.listen, ...host.drop, ...host.passed].join(', ')} } reject with tcp reset`),
    '  }',
    '}',
    '',
  ].join('\n');
}

const onSide = (side) => Object.entries(ADDRESSES).filter(([, host]) => host.side === side && !host.dns);
/** Open ports without a service: a listener that accepts and closes. */
const listening = (side) => onSide(side).flatMap(([address, host]) => host.listen.filter((port) => !host.services?.[port]).map((port) => [address, port]));
const nameOf = (address) => Object.keys(NAMES).find((name) => NAMES[name].includes(address));
/** Open ports with a service: [service, address, port, host name]. */
const serving = (side) => onSide(side).flatMap(([address, host]) => Object.entries(host.services ?? {}).map(([port, service]) => [service, address, Number(port), nameOf(address)]));

/**
 * Builds the lab; `link` as WanLink.set takes it. Returns the namespaces (scanner, router,
 * near, far), the link (to change its settings between scans) and the lab (destroy()).
 */
export async function createWanLab(link = {}) {
  const lab = await NetnsLab.create('xpw');
  try {
    const scanner = await lab.namespace('scan');
    const router = await lab.namespace('rtr');
    const near = await lab.namespace('near');
    const far = await lab.namespace('far');
    await lab.link(scanner, `${SCANNER}/24`, router, '198.18.1.1/24');
    const { left: nearDevice } = await lab.link(near, '198.18.2.2/24', router, '198.18.2.1/24');
    for (const [address] of Object.entries(ADDRESSES).filter(([, host]) => host.side === 'near')) await near.addAddress(`${address}/24`, nearDevice);
    await scanner.route('default', 'via', '198.18.1.1');
    await near.route('default', 'via', '198.18.2.1');

    const [routerEnd, farEnd] = [`xpw${lab.suffix}r`, `xpw${lab.suffix}f`];
    const wan = await startLink(lab, routerEnd, farEnd);
    await wan.set(link);
    for (const [namespace, device, address] of [[router, routerEnd, '198.18.4.1/30'], [far, farEnd, '198.18.4.2/30']]) {
      await run('ip', ['link', 'set', device, 'netns', namespace.name]);
      // No IPv6 link-local chatter on the link: the packets through it are the scan's only.
      await namespace.sysctl(`net.ipv6.conf.${device}.disable_ipv6`, 1);
      await namespace.addAddress(address, device);
      // A deep queue: a burst must wait for the forwarder on a loaded machine, not be dropped.
      await namespace.exec('ip', 'link', 'set', device, 'txqueuelen', '10000', 'up');
    }
    for (const [address] of Object.entries(ADDRESSES).filter(([, host]) => host.side === 'far')) await far.addAddress(`${address}/32`, 'lo');
    await router.route('198.18.3.0/24', 'via', '198.18.4.2', 'dev', routerEnd);
    await far.route('default', 'via', '198.18.4.1', 'dev', farEnd);
    await router.sysctl('net.ipv4.ip_forward', 1);
    await router.nft(routerRules());

    const listener = new URL('./lab-listener.mjs', import.meta.url).pathname;
    const services = new URL('./wan-services.mjs', import.meta.url).pathname;
    await Promise.all([
      near.start('node', [listener, JSON.stringify({ tcp: listening('near') })]),
      near.start('node', [services, JSON.stringify(serving('near'))]),
      far.start('node', [listener, JSON.stringify({ tcp: listening('far'), dns: [[DNS_SERVER, 53]], zone: NAMES })]),
      far.start('node', [services, JSON.stringify(serving('far'))]),
    ]);
    return { lab, scanner, router, near, far, link: wan };
  } catch (error) {
    await lab.destroy();
    throw error;
  }
}
