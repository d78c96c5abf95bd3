import { stat, writeFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { systemErrorText } from '../../topology/input-file.js';
import { renderTemplate } from '../../topology/template.js';
import { UsageError } from '../errors.js';
import { writeAtomic } from '../output.js';

interface Args {
  edge: boolean;
  out?: string;
  force?: boolean;
}

async function writeTemplate(file: string, text: string, force: boolean): Promise<void> {
  const cannot = (error: unknown) => new UsageError(`cannot write ${file}: ${systemErrorText(error)}`);
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) throw new UsageError(`cannot write ${file}: is a directory`);
  if (force) return writeAtomic(file, text).catch((error: unknown) => Promise.reject(cannot(error)));
  // 'wx' fails if the file exists, even one created since the stat above.
  return writeFile(file, text, { flag: 'wx' }).catch((error: unknown) => {
    const exists = (error as { code?: unknown }).code === 'EEXIST';
    throw exists ? new UsageError(`${file} already exists (use --force to overwrite it)`) : cannot(error);
  });
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
    await writeTemplate(args.out, text, args.force === true);
    process.stdout.write(`wrote ${args.out}: edit it, then check it with exchange-ports plan -t ${args.out} --from ${args.edge ? 'edge' : 'mailbox'}\n`);
  },
};
