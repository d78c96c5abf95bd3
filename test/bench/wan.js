// The WAN lab's conditions for `npm run bench`: per condition, N runs of the engine's connect
// probes (a Mailbox server's plan, TCP checks, the CLI's default options) and of
// `nmap -n -sT -Pn -T4` on the same IPv4 addresses and ports, scored against the lab's ground
// truth; then a whole `scan` with its service checks against its protocol floor.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseNmapXml } from '../helpers/nmap.js';
import { CONDITIONS, condition } from '../helpers/wan-conditions.js';
import { createWanLab, NAMES, topologyYaml } from '../helpers/wan-lab.js';
import { asResult, CLI as cli, engineOptions, engineResults, plannedChecks, RUNNER as runner } from '../helpers/wan-probe.js';
import { scoreChecks } from '../helpers/wan-score.js';
import { measured } from './measured.js';
/** Round trips of the longest service dialogue a Mailbox server's scan holds: SMTP on the Edge server (connect, greeting, EHLO, STARTTLS, TLS 1.3, EHLO; QUIT unanswered). */
const SMTP_ROUND_TRIPS = 6;
/** Round trips before any port is probed: A and AAAA, asked together. */
const NAME_ROUND_TRIPS = 1;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value, digits = 2) => value.toFixed(digits);
const pad = (text, width) => String(text).padStart(width);

async function engineOnce(scanner, checks, options) {
  const run = await measured(scanner, process.execPath, [runner], JSON.stringify({ checks, options }));
  return { seconds: run.seconds, score: scoreChecks(engineResults(run.stdout, checks)) };
}

/** One nmap per distinct port list, all at once, on the planned checks' IPv4 addresses. */
async function nmapOnce(scanner, checks) {
  const portsOf = new Map();
  for (const check of checks) {
    for (const address of NAMES[check.destination.host] ?? [check.destination.host]) {
      if (address.includes(':')) continue;
      if (!portsOf.has(address)) portsOf.set(address, new Set());
      portsOf.get(address).add(check.port);
    }
  }
  const groups = new Map();
  for (const [address, ports] of portsOf) {
    const key = [...ports].sort((a, b) => a - b).join(',');
    groups.set(key, [...(groups.get(key) ?? []), address]);
  }
  const started = performance.now();
  const runs = await Promise.all([...groups].map(([ports, addresses]) => measured(scanner, 'nmap', ['-n', '-sT', '-Pn', '-T4', '-p', ports, ...addresses, '-oX', '-'])));
  const seconds = (performance.now() - started) / 1000;
  const states = new Map(runs.flatMap((run) => [...parseNmapXml(run.stdout)]));
  const results = checks.flatMap((check) =>
    (NAMES[check.destination.host] ?? [check.destination.host])
      .filter((address) => !address.includes(':'))
      .map((address) => asResult(check, address, states.get(`${address} ${check.port}/tcp`) ?? 'missing')),
  );
  return { seconds, score: scoreChecks(results, { ip: '4' }) };
}

function total(runs, key) {
  return runs.reduce((sum, run) => sum + run.score[key], 0);
}

const LABEL = 52;
const COUNTS = ['wrong', 'fpass', 'ffail', 'lost'];
const SIDE = `${COUNTS.map((name) => pad(name, 5)).join(' ')} ${pad('wall (max)', 13)}`;
const HEADER = `${'condition'.padEnd(LABEL)} ${pad('n', 3)} | ${pad('engine', SIDE.length)} | ${pad('nmap -T4', SIDE.length)} | floor | e/nmap e/floor`;
const FIELDS = `${''.padEnd(LABEL)} ${pad('', 3)} | ${SIDE} | ${SIDE} |`;

function row(label, probes, ours, theirs, floor) {
  const wall = (runs) => median(runs.map((run) => run.seconds));
  const side = (runs) =>
    `${COUNTS.map((_, index) => pad(total(runs, ['wrong', 'falsePasses', 'falseFails', 'namesLost'][index]), 5)).join(' ')} ${pad(`${fmt(wall(runs))} (${fmt(Math.max(...runs.map((run) => run.seconds)))})`, 13)}`;
  return `${label.padEnd(LABEL)} ${pad(probes, 3)} | ${side(ours)} | ${side(theirs)} | ${pad(fmt(floor), 5)} | ${pad(fmt(wall(ours) / wall(theirs)), 6)} ${pad(fmt(wall(ours) / floor), 7)}`;
}

/** Wall seconds of the runner with nothing to probe: node, the engine's modules, and the ip netns/time wrappers. */
async function startUp(scanner, options) {
  const times = [];
  for (let index = 0; index < 3; index += 1) times.push((await measured(scanner, process.execPath, [runner], JSON.stringify({ checks: [], options }))).seconds);
  return median(times);
}

async function wholeScans(scanner, link, dir, runs) {
  const wanted = { id: 'whole-scan', mailbox: condition('far-200').mailbox, edge: condition('resetting-firewall').edge };
  const file = join(dir, 'whole-scan.yaml');
  writeFileSync(file, topologyYaml(wanted));
  const command = (name) => [cli, name, '-t', file, '--from', 'mailbox', '--format', 'json', ...(name === 'scan' ? ['--quiet'] : [])];
  const scan = async (rttMs, seed) => {
    await link.set({ rttMs, seed });
    const run = await measured(scanner, process.execPath, command('scan'), '', { exitCodes: [0, 1] });
    return { seconds: run.seconds, score: scoreChecks(JSON.parse(run.stdout).checks) };
  };
  const lan = [];
  const far = [];
  const planned = [];
  for (let index = 0; index < runs; index += 1) {
    planned.push((await measured(scanner, process.execPath, command('plan'))).seconds);
    lan.push(await scan(0, index + 1));
    far.push(await scan(200, index + 1));
  }
  const startUp = median(planned);
  const floor = startUp + ((NAME_ROUND_TRIPS + SMTP_ROUND_TRIPS) * 200) / 1000;
  const wall = (scans) => median(scans.map((run) => run.seconds));
  const mistakes = (scans) => `wrong ${total(scans, 'wrong')}, false passes ${total(scans, 'falsePasses')}, false fails ${total(scans, 'falseFails')}, names lost ${total(scans, 'namesLost')}`;
  return [
    '',
    `whole scan (service checks included) of mbx01 (LAN), mbx02 and edge01 (far site; edge01 behind the resetting firewall), ${runs} runs, median (max) s`,
    `  start-up: \`plan\` of the same topology (no packets) ${fmt(startUp)} s; protocol floor at 200 ms: start-up + (${NAME_ROUND_TRIPS} name + ${SMTP_ROUND_TRIPS} SMTP dialogue) round trips = ${fmt(floor)} s`,
    `  far site at 0 ms:   ${fmt(wall(lan))} (${fmt(Math.max(...lan.map((run) => run.seconds)))}); ${mistakes(lan)}`,
    `  far site at 200 ms: ${fmt(wall(far))} (${fmt(Math.max(...far.map((run) => run.seconds)))}); scan/floor ${fmt(wall(far) / floor)} (target <= 1.5); ${mistakes(far)}`,
  ];
}

/** Runs every condition `runs` times; resolves with the lines to print. */
export async function wanBench({ runs }) {
  const dir = mkdtempSync(join(tmpdir(), 'xpw-bench-'));
  const { lab, scanner, link } = await createWanLab();
  try {
    const options = engineOptions();
    const started = await startUp(scanner, options);
    const lines = [
      `WAN lab (user-space WAN link; loss each way), ${runs} runs per condition, seeds 1..${runs}`,
      `engine: a Mailbox server's planned TCP checks, CLI defaults (timeout ${options.timeoutMs} ms, min ${options.minTimeoutMs}, max ${options.maxTimeoutMs}, retries ${options.retries}), names through the lab's DNS server`,
      `nmap: -n -sT -Pn -T4, one process per distinct port list, at once, on the same IPv4 addresses and ports`,
      `n: probes per run; counts are totals over the runs: wrong states, false passes, false fails, names lost; wall: median (max) s`,
      `floor: start-up ${fmt(started)} s + ${NAME_ROUND_TRIPS} name + 2 silence round trips`,
      '',
      HEADER,
      FIELDS,
    ];
    for (const wanted of CONDITIONS) {
      const checks = plannedChecks(dir, wanted, 'tcp');
      const ours = [];
      const theirs = [];
      for (let index = 0; index < runs; index += 1) {
        await link.set({ ...wanted.link, seed: index + 1 });
        ours.push(await engineOnce(scanner, checks, options));
        await link.set({ ...wanted.link, seed: index + 1 });
        theirs.push(await nmapOnce(scanner, checks));
      }
      const floor = started + ((NAME_ROUND_TRIPS + 2) * (wanted.link.rttMs ?? 0)) / 1000;
      lines.push(row(wanted.label, ours[0].score.probes, ours, theirs, floor));
      for (const mistake of [...new Set(ours.flatMap((run) => run.score.mistakes))].slice(0, 3)) lines.push(`    engine: ${mistake}`);
    }
    lines.push(...(await wholeScans(scanner, link, dir, runs)));
    return lines;
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
