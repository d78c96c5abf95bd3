import type { CommandModule } from 'yargs';
import { describeLab } from '../../lab/describe.js';
import { startLab } from '../../lab/lab.js';
import { contoso, loopbackAddresses } from '../../lab/organization.js';
import { UsageError } from '../errors.js';

interface Args {
  scan: boolean;
  'standard-ports': boolean;
}

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

export const labCommand: CommandModule<object, Args> = {
  command: 'lab',
  describe: 'Run a simulated Exchange 2016 organization on local addresses (and scan it with --scan)',
  builder: (y) =>
    y
      .option('scan', { type: 'boolean', default: false, describe: 'scan the lab from each vantage, print the merged matrix, stop' })
      .option('standard-ports', { type: 'boolean', default: false, describe: 'listen on the real port numbers (needs root)' }) as never,
  handler: async (args) => {
    if (args['standard-ports'] && process.getuid?.() !== 0) throw new UsageError('lab: --standard-ports needs root');
    const lab = await startLab(contoso(loopbackAddresses()), { standardPorts: args['standard-ports'] });
    try {
      process.stdout.write(describeLab(lab.hosts, lab.topologyFile));
      await untilSignal();
    } finally {
      await lab.stop();
    }
  },
};
