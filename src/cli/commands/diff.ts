import type { CommandModule } from 'yargs';
import { readResultFile } from '../result-file.js';
import { emitReports, reportOptions, withBaseline, type ReportArgs } from '../report-options.js';

interface Args extends ReportArgs {
  before: string;
  after: string;
}

export const diffCommand: CommandModule<object, Args> = {
  command: 'diff <before> <after>',
  describe: 'What a change did: compare two saved results (exit 1 on a regression or new exposure)',
  builder: (y) =>
    reportOptions(
      y
        .positional('before', { type: 'string', demandOption: true, describe: 'the earlier result (JSON)' })
        .positional('after', { type: 'string', demandOption: true, describe: 'the later result (JSON)' }),
      { baseline: false },
    ).option('force', { type: 'boolean', describe: 'compare results taken from different vantages anyway' }) as never,
  handler: async (args) => {
    const [before, after] = await Promise.all([readResultFile(args.before), readResultFile(args.after)]);
    process.exitCode = await emitReports(withBaseline(after, before, args.before, { force: args.force ?? false, afterName: args.after }), args, { changesOnly: true });
  },
};
