import { setMaxListeners } from 'node:events';
import type { CommandModule } from 'yargs';
import { resolveVantage } from '../../plan/vantage.js';
import { defaultProbers } from '../../probe/engine.js';
import { exitCode, formatters, FORMATS, type Format } from '../../report/index.js';
import { loadTopology } from '../../topology/load.js';
import { dnsServersFor } from '../dns-servers.js';
import { engineOptions, toEngineOptions, type EngineArgs } from '../engine-options.js';
import { localIdentity } from '../local-identity.js';
import { writeAtomic } from '../output.js';
import { progressLine } from '../progress.js';
import { scanTopology } from '../run-scan.js';
import { trapSignals } from '../signals.js';
import { topologyOptions, type TopologyArgs } from '../topology-options.js';

interface Args extends TopologyArgs, EngineArgs {
  format: Format;
  out?: string;
  color: boolean;
}

export const scanCommand: CommandModule<object, Args> = {
  command: 'scan',
  describe: 'Probe every flow the topology needs from this vantage, and judge what was seen',
  builder: (y) =>
    engineOptions(topologyOptions(y))
      .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'report format' })
      .option('out', { type: 'string', describe: 'write the report to this file (atomically) instead of stdout' })
      .option('color', { type: 'boolean', default: true, describe: 'colours on a terminal (--no-color, NO_COLOR)' }) as never,
  handler: async (args) => {
    const topology = await loadTopology(args.topology);
    const vantage = resolveVantage(args.from, topology, localIdentity());
    const progress = progressLine(process.stderr, args.quiet);
    const engine = toEngineOptions(args, {
      dnsServers: dnsServersFor(topology, vantage),
      ...(topology.mxDomain ? { dnsQueryDomain: topology.mxDomain } : {}),
      ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    });
    const trap = trapSignals();
    // Every probe in flight listens on the scan's signal.
    setMaxListeners(0, trap.signal);
    try {
      const result = await scanTopology(topology, vantage, { engine, probers: defaultProbers(engine), signal: trap.signal });
      progress.end();
      const color = args.color && !process.env.NO_COLOR && process.stdout.isTTY === true;
      const text = formatters[args.format](result, { color });
      if (args.out) await writeAtomic(args.out, text);
      else process.stdout.write(text);
      process.exitCode = trap.exitCode() ?? exitCode(result);
    } finally {
      progress.end();
      trap.dispose();
    }
  },
};
