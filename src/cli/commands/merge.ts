import type { CommandModule } from 'yargs';
import { mergeResults } from '../../report/merge.js';
import { UsageError } from '../errors.js';
import { readResultFile } from '../result-file.js';
import { emitReports, reportOptions, type ReportArgs } from '../report-options.js';
import { TOOL } from '../version.js';

interface Args extends ReportArgs {
  results: string[];
}

export const mergeCommand: CommandModule<object, Args> = {
  command: 'merge <results..>',
  describe: 'One organization-wide matrix from results taken at several vantages',
  builder: (y) =>
    reportOptions(
      y
        .positional('results', { type: 'string', array: true, demandOption: true, describe: 'results saved with --format json, one per vantage' })
        .option('force', { type: 'boolean', describe: 'merge results from different topologies anyway (with --baseline: from other vantages too)' }),
    ) as never,
  handler: async (args) => {
    if (args.results.length < 2) throw new UsageError('merge needs at least two result files');
    const inputs = await Promise.all(args.results.map(async (file) => ({ file, result: await readResultFile(file) })));
    const merged = mergeResults(inputs, { force: args.force ?? false, tool: TOOL });
    process.exitCode = await emitReports(merged, args);
  },
};
