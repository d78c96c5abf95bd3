// Runs the built engine (dist/) over many loopback checks; meant to run under a low `ulimit -n`.
// argv: openTcpPort closedTcpPort udpEchoPort count concurrency. Prints one JSON line.
import { defaultProbers, runEngine } from '../../dist/probe/engine.js';

const [openPort, closedPort, udpPort, count, concurrency] = process.argv.slice(2).map(Number);
const check = (port, transport, index) => ({
  id: `emfile:${index}:${port}/${transport}`, flow: 'emfile', flows: ['emfile'], table: 'ground-rules',
  source: { role: 'mailbox' }, destination: { role: 'edge', host: index % 2 ? '127.0.0.1' : '::1', lookup: 'address' },
  port, transport, expectation: 'required', probe: transport, implicitTls: false, purpose: 'emfile', component: 'emfile', needsListener: true, why: 'emfile',
});
const ports = [[openPort, 'tcp'], [closedPort, 'tcp'], [udpPort, 'udp']];
const checks = Array.from({ length: count }, (_, index) => check(...ports[index % 3], index));
const options = { concurrency, perHost: concurrency, timeoutMs: 2000, minTimeoutMs: 500, maxTimeoutMs: 5000, retries: 1, deadlineMs: 60000, ip: 'both', exclude: [], dnsServers: [] };
const run = await runEngine(checks, options, defaultProbers(options));
const states = {};
for (const { observation } of run.observations) states[observation.state] = (states[observation.state] ?? 0) + 1;
const errors = [...new Set(run.observations.map(({ observation }) => observation.error).filter((error) => error && !/refused|unreachable/.test(error)))];
process.stdout.write(`${JSON.stringify({ states, errors, partial: run.partial })}\n`);
