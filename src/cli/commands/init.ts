import type { CommandModule } from 'yargs';
import { renderTemplate } from '../../topology/template.js';
import { UsageError } from '../errors.js';
import { writeOutput } from '../output.js';

interface Args {
  edge: boolean;
  out?: string;
  force?: boolean;
}

export const initCommand: CommandModule<object, Args> = {
  command: 'init',
  describe: 'Print a commented topology template, or write it with --out',
  builder: (y) =>
    y
      .option('edge', { type: 'boolean', default: false, describe: 'an organization with a subscribed Edge Transport server' })
      .option('out', { type: 'string', describe: 'write the template to this file instead of printing it' })
      .option('force', { type: 'boolean', implies: 'out', describe: 'with --out, overwrite an existing file' })
      .example('$0 init --edge --out topology.yaml', 'start a topology for an organization with an Edge server') as never,
  handler: async (args) => {
    const text = renderTemplate({ edge: args.edge });
    if (args.out === undefined) {
      process.stdout.write(text);
      return;
    }
    if (args.out === '') throw new UsageError('--out needs a file name');
    await writeOutput(args.out, text, { exclusive: args.force !== true });
    process.stdout.write(`wrote ${args.out}: edit it, then check it with exchange-ports plan -t ${args.out} --from ${args.edge ? 'edge' : 'mailbox'}\n`);
  },
};
