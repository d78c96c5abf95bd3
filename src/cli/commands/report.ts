import type { CommandModule } from 'yargs';
import { readResultFile } from '../result-file.js';
import { emitReports, reportOptions, type ReportArgs } from '../report-options.js';

interface Args extends ReportArgs {
  result: string;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report <result>',
  describe: 'Render a saved JSON result again, in any format (no scan)',
  builder: (y) => reportOptions(y.positional('result', { type: 'string', demandOption: true, describe: 'a result saved with --format json' })) as never,
  handler: async (args) => {
    process.exitCode = await emitReports(await readResultFile(args.result), args);
  },
};
