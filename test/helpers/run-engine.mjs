// Runs the built engine (dist/) in this process, for namespaces and low ulimits.
// stdin: JSON {"targets":[[host, port, transport, probe?, lookup?]...], "options":{...EngineOptions}},
// or {"checks":[...planned checks, as `plan --format json` prints them], "options":{...}}.
// stdout: one JSON line {"observations":[{id,host,address,port,transport,state,attempts,rttMs,error}], partial, control, couldNotScan, engineMs, peakRssBytes}.
import { defaultProbers, runEngine } from '../../dist/probe/engine.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { targets = [], options, checks: planned } = JSON.parse(input);
const checks = planned ?? targets.map(([host, port, transport, probe = transport, lookup = 'address'], index) => ({
  id: `lab:${index}:${host}:${port}/${transport}`, flow: 'lab', flows: ['lab'], table: 'ground-rules',
  source: { role: 'mailbox' }, destination: { role: 'edge', host, lookup },
  port, transport, expectation: 'required', probe, implicitTls: false, purpose: 'lab', component: 'lab', needsListener: true, why: 'lab',
}));
const started = performance.now();
const run = await runEngine(checks, options, defaultProbers(options));
const engineMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    observations: run.observations.map(({ check, observation }) => ({
      id: check.id,
      host: check.destination.host,
      address: observation.address,
      port: check.port,
      transport: check.transport,
      state: observation.state,
      attempts: observation.attempts,
      rttMs: observation.rttMs,
      error: observation.error,
    })),
    partial: run.partial,
    control: run.control.length,
    couldNotScan: run.couldNotScan,
    engineMs,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
