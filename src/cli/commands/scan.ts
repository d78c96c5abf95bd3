import type { CommandModule } from 'yargs';
import { resolveVantage } from '../../plan/vantage.js';
import { loadTopology } from '../../topology/load.js';
import { engineOptions, toEngineOptions, type EngineArgs } from '../engine-options.js';
import { localIdentity } from '../local-identity.js';
import { prepareReports, reportOptions, type ReportArgs } from '../report-options.js';
import { progressLine } from '../progress.js';
import { scanTopology } from '../run-scan.js';
import { serviceOptions, toServiceSetup, type ServiceArgs } from '../service-options.js';
import { leaveWithin, takeSignalTrap } from '../signals.js';
import { topologyOptions, type TopologyArgs } from '../topology-options.js';

interface Args extends TopologyArgs, EngineArgs, ServiceArgs, ReportArgs {}

export const scanCommand: CommandModule<object, Args> = {
  command: 'scan',
  describe: 'Probe every flow the topology needs from this vantage, and judge what was seen',
  builder: (y) =>
    reportOptions(serviceOptions(engineOptions(topologyOptions(y)))) as never,
  handler: async (args) => {
    // Taken first: a signal while the inputs are read still gets its (empty, partial) result.
    const trap = takeSignalTrap();
    try {
      // Every input is read and checked before the first packet: a mistake does not cost a scan.
      const topology = await loadTopology(args.topology);
      const vantage = resolveVantage(args.from, topology, localIdentity());
      const engine = toEngineOptions(args);
      const services = await toServiceSetup(args);
      const reports = await prepareReports(args, { vantage });
      const progress = progressLine(process.stderr, args.quiet);
      try {
        const result = await scanTopology(topology, vantage, {
          engine: { ...engine, ...(progress.onProgress ? { onProgress: progress.onProgress } : {}) },
          probers: services.probers,
          findings: services.findings,
          signal: trap.signal,
        });
        progress.end();
        // A result no signal cut is whole and says so (a signal while it is written cuts nothing): its exit code is its own.
        const cut = result.partial ? trap.exitCode() : undefined;
        const code = await reports.emit(result);
        process.exitCode = cut ?? code;
        // A system-resolver lookup cannot be cancelled: a cut scan must not wait for it to end.
        if (result.partial) leaveWithin(1000);
      } finally {
        progress.end();
      }
    } finally {
      trap.dispose();
    }
  },
};
