import type { CommandModule } from 'yargs';
import { describeLab, LAB_FAULTS } from '../../lab/describe.js';
import { startLab, type RunningLab } from '../../lab/lab.js';
import { contoso, loopbackAddresses } from '../../lab/organization.js';
import { fromArgument, labVantages } from '../../lab/vantages.js';
import { defaultProbers } from '../../probe/engine.js';
import { exitCode, formatters, FORMATS, type Format } from '../../report/index.js';
import { mergeResults } from '../../report/merge.js';
import { loadTopology } from '../../topology/load.js';
import { FINDING_DEFAULTS } from '../../verdict/findings/index.js';
import type { ScanResult } from '../../verdict/types.js';
import { dnsServersFor } from '../dns-servers.js';
import { ENGINE_DEFAULTS, toEngineOptions } from '../engine-options.js';
import { UsageError } from '../errors.js';
import { scanTopology } from '../run-scan.js';
import { toServiceSetup } from '../service-options.js';
import { trapSignals } from '../signals.js';
import { TOOL } from '../version.js';

interface Args {
  scan: boolean;
  format: Format;
  'standard-ports': boolean;
}

/** Everything on loopback answers at once; the deadline keeps `npm start` short whatever happens. */
const LAB_DEADLINE_SECONDS = 8;
const LAB_SERVICE_TIMEOUT_MS = 3000;

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
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
  return Promise.all(
    labVantages(lab.organization).map((vantage) => {
      const engine = toEngineOptions(
        {
          concurrency: ENGINE_DEFAULTS.concurrency,
          'per-host': ENGINE_DEFAULTS.perHost,
          timeout: ENGINE_DEFAULTS.timeoutMs,
          'min-timeout': ENGINE_DEFAULTS.minTimeoutMs,
          'max-timeout': ENGINE_DEFAULTS.maxTimeoutMs,
          retries: ENGINE_DEFAULTS.retries,
          deadline: LAB_DEADLINE_SECONDS,
          ip: 'both',
          exclude: [],
          quiet: true,
        },
        { dnsServers: dnsServersFor(topology, vantage) },
      );
      return scanTopology(topology, vantage, {
        engine,
        probers: { ...defaultProbers(engine), ...services.probers },
        findings: services.findings,
        signal,
      });
    }),
  );
}

export const labCommand: CommandModule<object, Args> = {
  command: 'lab',
  describe: 'Run a simulated Exchange 2016 organization on local addresses (and scan it with --scan)',
  builder: (y) =>
    y
      .option('scan', { type: 'boolean', default: false, describe: 'scan the lab from each vantage, print the merged matrix, stop' })
      .option('format', { choices: FORMATS, default: 'table' as Format, describe: 'report format of --scan' })
      .option('standard-ports', { type: 'boolean', default: false, describe: 'listen on the real port numbers (needs root)' }) as never,
  handler: async (args) => {
    if (args['standard-ports'] && process.getuid?.() !== 0) throw new UsageError('lab: --standard-ports needs root');
    const lab = await startLab(contoso(loopbackAddresses()), { standardPorts: args['standard-ports'] });
    try {
      if (!args.scan) {
        process.stdout.write(describeLab(lab.organization, lab.hosts, { topology: lab.topologyFile, authority: lab.authorityFile }));
        await untilSignal();
        return;
      }
      const trap = trapSignals();
      try {
        const results = await scanLab(lab, trap.signal);
        const merged = mergeResults(
          results.map((result) => ({ file: `lab --from ${fromArgument(result.vantage)}`, result })),
          { force: false, tool: TOOL },
        );
        const color = !process.env.NO_COLOR && process.stdout.isTTY === true;
        // Table and markdown are read by people: they learn first what the lab has in it.
        const preface = args.format === 'table' || args.format === 'markdown' ? `${LAB_FAULTS.join('\n')}\n\n` : '';
        process.stdout.write(preface + formatters[args.format](merged, { color }));
        process.exitCode = trap.exitCode() ?? exitCode(merged, args.format);
      } finally {
        trap.dispose();
      }
    } finally {
      await lab.stop();
    }
  },
};
