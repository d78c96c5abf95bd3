import type { CommandModule } from 'yargs';
import { MODEL } from '../../model/index.js';
import { TABLES, type TableName } from '../../model/types.js';
import { formatModel, type ModelFormat } from '../../report/ports.js';

interface Args {
  table?: TableName;
  format: ModelFormat;
}

export const portsCommand: CommandModule<object, Args> = {
  command: 'ports',
  describe: 'Print the built-in Exchange 2016 port model',
  builder: (y) =>
    y
      .option('table', { choices: TABLES, describe: 'only this table' })
      .option('format', { choices: ['table', 'json', 'markdown'] as const, default: 'table' as const }) as never,
  handler: (args) => {
    process.stdout.write(formatModel(MODEL, args.format, args.table));
  },
};
