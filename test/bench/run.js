// npm run bench: the probe engine against `nmap -sT -Pn -T4` and `nmap -sU` on the same
// targets, in the same run, inside network namespaces (root; 198.18.0.0/17 only).
// Prints wall time, peak RSS, the floor and agreement; then the WAN lab's conditions (wan.js).
// Removes every namespace it made.
//   npm run bench -- [--runs N] [--only firewall|wan]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFirewallLab, targetAddress } from '../helpers/firewall-lab.js';
import { parseNmapXml } from '../helpers/nmap.js';
import { measured } from './measured.js';
import { wanBench } from './wan.js';

const HOSTS = 16;
const TCP_PORTS = Array.from({ length: 40 }, (_, index) => 2000 + index * 7);
const UDP_CLOSED = [5001, 5002, 5003, 5004];
const MEMORY_PORTS = Array.from({ length: 625 }, (_, index) => 30000 + index);
/** Per (host, port), in turn: a service listens; nothing listens; reset; ICMP admin-prohibited; drop. */
const TREATMENTS = ['listen', 'closed', 'reset', 'admin', 'drop'];
const ENGINE = { concurrency: 256, perHost: 64, timeoutMs: 500, minTimeoutMs: 100, maxTimeoutMs: 1250, retries: 1, deadlineMs: 120_000, ip: 'both', exclude: [], dnsServers: [] };
const runner = fileURLToPath(new URL('../helpers/run-engine.mjs', import.meta.url));

const hosts = Array.from({ length: HOSTS }, (_, index) => targetAddress(index));
const treatment = (host, port) => TREATMENTS[(hosts.indexOf(host) + TCP_PORTS.indexOf(port)) % TREATMENTS.length];
const expectedTcp = { listen: 'open', closed: 'closed', reset: 'closed', admin: 'filtered', drop: 'filtered' };

async function engine(namespace, targets, options = ENGINE) {
  const run = await measured(namespace, process.execPath, [runner], JSON.stringify({ targets, options }));
  const output = JSON.parse(run.stdout);
  const states = new Map(output.observations.map(({ address, port, transport, state }) => [`${address} ${port}/${transport}`, state]));
  return { ...run, states, output };
}

async function nmap(namespace, args) {
  const run = await measured(namespace, 'nmap', ['-n', ...args, '-oX', '-']);
  return { ...run, states: parseNmapXml(run.stdout) };
}

function agreement(ours, theirs) {
  let agree = 0;
  const differ = [];
  for (const [key, state] of ours) {
    if (theirs.get(key) === state) agree += 1;
    else differ.push(`${key}: engine ${state}, nmap ${theirs.get(key) ?? 'missing'}`);
  }
  return { agree, total: ours.size, differ };
}

const fmt = (value, digits = 2) => value.toFixed(digits);

/** The waits the engine settled on for silent probes (from "no answer within N ms"). */
function waits(output) {
  const values = output.observations.map(({ error }) => Number(/no answer within (\d+) ms/.exec(error ?? '')?.[1])).filter(Number.isFinite).sort((a, b) => a - b);
  if (values.length === 0) return 'none';
  return `last wait of silent probes: min ${values[0]} ms, median ${values[Math.floor(values.length / 2)]} ms, max ${values.at(-1)} ms`;
}

function missingTool() {
  for (const [tool, hint] of [['nmap', 'apt-get install nmap'], ['nft', 'apt-get install nftables'], ['ip', 'apt-get install iproute2']]) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `bench: needs ${tool} (${hint})`;
    }
  }
  return undefined;
}

/** `plan --format table` of an organization with `servers` Mailbox servers: seconds and bytes (rendering is linear). */
function planRow(servers) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-plan-'));
  try {
    const hosts = Array.from({ length: servers }, (_, i) => `    - { name: mbx${i}.contoso.local, address: 198.18.${Math.floor(i / 250)}.${(i % 250) + 1} }`);
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, `organization: contoso\nhosts:\n  mailbox:\n${hosts.join('\n')}\n`);
    const cli = fileURLToPath(new URL('../../bin/exchange-ports.js', import.meta.url));
    const started = process.hrtime.bigint();
    const out = execFileSync(process.execPath, [cli, 'plan', '-t', file, '--from', 'mailbox:mbx0.contoso.local', '--format', 'table'], { maxBuffer: 1 << 30 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return `  ${servers} Mailbox servers  ${fmt(seconds)} s, ${out.toString().split('\n').length - 3} checks, ${fmt(out.length / 1e6, 1)} MB`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** --runs N (WAN conditions, default 5) and --only firewall|wan; undefined and a message when they are wrong. */
function parseArgs(argv) {
  const options = { runs: 5, only: undefined };
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (flag === '--runs' && /^[1-9]\d*$/.test(value ?? '')) options.runs = Number(value);
    else if (flag === '--only' && ['firewall', 'wan'].includes(value)) options.only = value;
    else return { error: `bench: unknown or incomplete option ${flag}${value !== undefined ? ` ${value}` : ''} (--runs N, --only firewall|wan)` };
    index += 1;
  }
  return options;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const missing = args.error ?? (process.geteuid?.() !== 0 ? 'bench: needs root (network namespaces and nftables)' : missingTool());
  if (missing) {
    process.stderr.write(`${missing}\n`);
    process.exitCode = 2;
    return;
  }
  // Ctrl-C still removes the namespaces: exit runs the lab's exit hook.
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
  if (args.only !== 'wan') await firewallBench();
  if (args.only !== 'firewall') process.stdout.write(`\n${(await wanBench({ runs: args.runs })).join('\n')}\n`);
}

async function firewallBench() {
  const policy = [];
  const services = { tcp: [], udp: [], dns: [] };
  for (const host of hosts) {
    for (const port of TCP_PORTS) {
      const what = treatment(host, port);
      policy.push({ address: host, port, transport: 'tcp', action: what === 'listen' || what === 'closed' ? 'accept' : what });
      if (what === 'listen') services.tcp.push([host, port]);
    }
    services.dns.push([host, 53]);
    policy.push({ address: host, port: 53, transport: 'udp', action: 'accept' });
    for (const port of UDP_CLOSED) policy.push({ address: host, port, transport: 'udp', action: 'unreachable' });
  }
  const { lab, scanner } = await createFirewallLab({ targets: HOSTS, policy, services });
  try {
    const tcpTargets = hosts.flatMap((host) => TCP_PORTS.map((port) => [host, port, 'tcp']));
    const silent = tcpTargets.filter(([host, port]) => treatment(host, port) === 'drop').length;
    const ours = await engine(scanner, tcpTargets);
    const theirs = await nmap(scanner, ['-sT', '-Pn', '-T4', '-p', TCP_PORTS.join(','), ...hosts]);
    const tcp = agreement(ours.states, theirs.states);
    const designed = [...ours.states].filter(([key, state]) => {
      const [host, portText] = key.split(' ');
      return expectedTcp[treatment(host, Number(portText.split('/')[0]))] === state;
    }).length;
    const floor = (timeoutMs) => (Math.ceil(silent / ENGINE.concurrency) * timeoutMs * (1 + ENGINE.retries)) / 1000;

    const udpTargets = hosts.flatMap((host) => [[host, 53, 'udp', 'dns'], ...UDP_CLOSED.map((port) => [host, port, 'udp'])]);
    const oursUdp = await engine(scanner, udpTargets);
    const theirsUdp = await nmap(scanner, ['-sU', '-Pn', '-T4', '-p', [53, ...UDP_CLOSED].join(','), ...hosts]);
    const udp = agreement(oursUdp.states, theirsUdp.states);

    const memoryTargets = hosts.flatMap((host) => MEMORY_PORTS.map((port) => [host, port, 'tcp']));
    const memory = await engine(scanner, memoryTargets);
    const memoryStates = new Map();
    for (const state of memory.states.values()) memoryStates.set(state, (memoryStates.get(state) ?? 0) + 1);

    const lines = [
      `probe engine vs nmap ${(await scanner.exec('nmap', '--version')).split('\n')[0]?.replace('Nmap version ', '') ?? ''}, ${HOSTS} hosts behind an nftables router`,
      `engine options: concurrency ${ENGINE.concurrency}, per-host ${ENGINE.perHost}, timeout ${ENGINE.timeoutMs} ms (min ${ENGINE.minTimeoutMs}, max ${ENGINE.maxTimeoutMs}), retries ${ENGINE.retries}`,
      '',
      `TCP  ${tcpTargets.length} probes (${TCP_PORTS.length} ports x ${HOSTS} hosts; ${silent} dropped)`,
      `  engine            ${fmt(ours.seconds)} s wall (process; the scan itself ${fmt(ours.output.engineMs / 1000)} s)   peak RSS ${fmt(ours.rssMb, 1)} MB`,
      `  nmap -sT -Pn -T4  ${fmt(theirs.seconds)} s wall   peak RSS ${fmt(theirs.rssMb, 1)} MB`,
      `  ratio engine/nmap ${fmt(ours.seconds / theirs.seconds, 3)}   (target <= 0.25)`,
      `  floor             ceil(${silent} silent / ${ENGINE.concurrency}) x timeout x (1 + ${ENGINE.retries}): ${fmt(floor(ENGINE.timeoutMs))} s at --timeout ${ENGINE.timeoutMs}, ${fmt(floor(ENGINE.minTimeoutMs))} s at --min-timeout ${ENGINE.minTimeoutMs}`,
      `  engine/floor      ${fmt(ours.seconds / floor(ENGINE.timeoutMs))} (process) ${fmt(ours.output.engineMs / 1000 / floor(ENGINE.timeoutMs))} (scan) at --timeout; ${fmt(ours.seconds / floor(ENGINE.minTimeoutMs))} (process) ${fmt(ours.output.engineMs / 1000 / floor(ENGINE.minTimeoutMs))} (scan) at --min-timeout   (target <= 1.5)`,
      `  agreement         ${tcp.agree}/${tcp.total} port states equal to nmap's; ${designed}/${tcp.total} as the policy made them`,
      `  adaptive waits    ${waits(ours.output)}`,
      '',
      `UDP  ${udpTargets.length} probes (DNS on 53 and ${UDP_CLOSED.length} closed ports x ${HOSTS} hosts)`,
      `  engine            ${fmt(oursUdp.seconds)} s wall   peak RSS ${fmt(oursUdp.rssMb, 1)} MB`,
      `  nmap -sU -Pn -T4  ${fmt(theirsUdp.seconds)} s wall   peak RSS ${fmt(theirsUdp.rssMb, 1)} MB`,
      `  ratio engine/nmap ${fmt(oursUdp.seconds / theirsUdp.seconds, 3)}`,
      `  agreement         ${udp.agree}/${udp.total}`,
      '',
      `memory  ${memoryTargets.length} probes: engine ${fmt(memory.seconds)} s, peak RSS ${fmt(memory.rssMb, 1)} MB   (target < 150 MB); states ${JSON.stringify(Object.fromEntries(memoryStates))}`,
    ];
    lines.push('', 'plan --format table (no packets)', planRow(800), planRow(3000));
    for (const differ of [...tcp.differ, ...udp.differ].slice(0, 20)) lines.push(`  differs: ${differ}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await lab.destroy();
  }
}

await main();
