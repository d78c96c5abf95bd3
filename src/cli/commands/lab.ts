import { once } from 'node:events';
import type { CommandModule } from 'yargs';
import { describeLab, labFaults } from '../../lab/describe.js';
import { startLab, type RunningLab } from '../../lab/lab.js';
import { contoso, loopbackAddresses } from '../../lab/organization.js';
import { fromArgument, labVantages } from '../../lab/vantages.js';
import { mergeResults } from '../../report/merge.js';
import { loadTopology } from '../../topology/load.js';
import { FINDING_DEFAULTS } from '../../verdict/findings/index.js';
import type { ScanResult } from '../../verdict/types.js';
import { ENGINE_ARG_DEFAULTS, toEngineOptions } from '../engine-options.js';
import { UsageError } from '../errors.js';
import { lowPortsRefusal } from '../low-ports.js';
import { writeOutput } from '../output.js';
import { prepareReports, reportOptions, screenFormat, type ReportArgs } from '../report-options.js';
import { scanTopology } from '../run-scan.js';
import { toServiceSetup } from '../service-options.js';
import { takeSignalTrap } from '../signals.js';
import { TOOL } from '../version.js';

interface Args extends ReportArgs {
  scan: boolean;
  'standard-ports': boolean;
}

/** Everything on loopback answers at once; the deadline keeps `npm start` short whatever happens. */
const LAB_DEADLINE_SECONDS = 8;
const LAB_SERVICE_TIMEOUT_MS = 3000;

async function untilSignal(): Promise<void> {
  const trap = takeSignalTrap();
  if (!trap.signal.aborted) await once(trap.signal, 'abort');
  trap.dispose();
}

async function scanLab(lab: RunningLab, signal: AbortSignal): Promise<ScanResult[]> {
  const topology = await loadTopology(lab.topologyFile);
  const services = await toServiceSetup({
    ca: [lab.authorityFile],
    'cert-warn-days': FINDING_DEFAULTS.certWarnDays,
    'cert-crit-days': FINDING_DEFAULTS.certCritDays,
    'service-timeout': LAB_SERVICE_TIMEOUT_MS,
    'legacy-tls': true,
  });
  const engine = toEngineOptions({ ...ENGINE_ARG_DEFAULTS, deadline: LAB_DEADLINE_SECONDS, quiet: true });
  return Promise.all(
    labVantages(lab.organization).map((vantage) =>
      scanTopology(topology, vantage, { engine, probers: services.probers, findings: services.findings, signal }),
    ),
  );
}

export const labCommand: CommandModule<object, Args> = {
  command: 'lab',
  describe: 'Run a simulated Exchange 2016 organization on local addresses (and scan it with --scan)',
  builder: (y) =>
    reportOptions(y, { baseline: false })
      .option('scan', { type: 'boolean', default: false, describe: 'scan the lab from each vantage, print the merged matrix, stop' })
      .option('standard-ports', { type: 'boolean', default: false, describe: 'listen on the real port numbers (needs root, except on Windows)' }) as never,
  handler: async (args) => {
    const refusal = args['standard-ports'] ? lowPortsRefusal(process.platform, process.getuid?.()) : undefined;
    if (refusal) throw new UsageError(refusal);
    const onScreen = screenFormat(args);
    const reports = await prepareReports(args);
    const lab = await startLab(contoso(loopbackAddresses()), { standardPorts: args['standard-ports'], writeText: (file, text) => writeOutput(file, text) });
    try {
      if (!args.scan) {
        process.stdout.write(describeLab(lab.organization, lab.hosts, { topology: lab.topologyFile, authority: lab.authorityFile }));
        await untilSignal();
        return;
      }
      const trap = takeSignalTrap();
      try {
        const results = await scanLab(lab, trap.signal);
        const merged = mergeResults(
          results.map((result) => ({ file: `lab --from ${fromArgument(result.vantage)}`, result })),
          { force: false, tool: TOOL },
        );
        // Table and markdown are read by people: they learn first what the lab has in it.
        if (onScreen === 'table' || onScreen === 'markdown') process.stdout.write(`${labFaults(lab.organization).join('\n')}\n\n`);
        const code = await reports.emit(merged);
        process.exitCode = trap.exitCode() ?? code;
      } finally {
        trap.dispose();
      }
    } finally {
      await lab.stop();
    }
  },
};
