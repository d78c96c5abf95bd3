import type { CommandModule } from 'yargs';
import { resolveVantage } from '../../plan/vantage.js';
import { loadTopology } from '../../topology/load.js';
import { engineOptions, toEngineOptions, type EngineArgs } from '../engine-options.js';
import { localIdentity } from '../local-identity.js';
import { emitReports, reportOptions, type ReportArgs } from '../report-options.js';
import { progressLine } from '../progress.js';
import { scanTopology } from '../run-scan.js';
import { serviceOptions, toServiceSetup, type ServiceArgs } from '../service-options.js';
import { leaveWithin, trapSignals } from '../signals.js';
import { topologyOptions, type TopologyArgs } from '../topology-options.js';

interface Args extends TopologyArgs, EngineArgs, ServiceArgs, ReportArgs {}

export const scanCommand: CommandModule<object, Args> = {
  command: 'scan',
  describe: 'Probe every flow the topology needs from this vantage, and judge what was seen',
  builder: (y) =>
    reportOptions(serviceOptions(engineOptions(topologyOptions(y)))) as never,
  handler: async (args) => {
    const topology = await loadTopology(args.topology);
    const vantage = resolveVantage(args.from, topology, localIdentity());
    const progress = progressLine(process.stderr, args.quiet);
    const engine = toEngineOptions(args, progress.onProgress ? { onProgress: progress.onProgress } : {});
    const services = await toServiceSetup(args);
    const trap = trapSignals();
    try {
      const result = await scanTopology(topology, vantage, {
        engine,
        probers: services.probers,
        findings: services.findings,
        signal: trap.signal,
      });
      progress.end();
      const code = await emitReports(result, args);
      process.exitCode = trap.exitCode() ?? code;
      // A system-resolver lookup cannot be cancelled: a cut scan must not wait for it to end.
      if (result.partial) leaveWithin(1000);
    } finally {
      progress.end();
      trap.dispose();
    }
  },
};
