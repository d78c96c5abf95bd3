import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { isKnownError, UsageError } from './errors.js';
import { initCommand } from './commands/init.js';
import { planCommand } from './commands/plan.js';
import { portsCommand } from './commands/ports.js';
import { scanCommand } from './commands/scan.js';
import { smtpCommand } from './commands/smtp.js';
import { TOOL } from './version.js';

const commands: CommandModule<any, any>[] = [portsCommand, initCommand, planCommand, scanCommand, smtpCommand];

/** A TopologyError holds one problem a line: each gets the prefix, so each stands alone in a log. */
function fail(message: string): void {
  process.stderr.write(message.split('\n').map((line) => `exchange-ports: ${line}\n`).join(''));
  process.exitCode = 2;
}

export async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName('exchange-ports')
    .version(TOOL.version)
    .strict()
    .demandCommand(1, 'name a command (see --help)')
    .recommendCommands()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs' own argument errors (requiresArg, nargs, coerce) arrive as a YError: still a usage error.
      if (error && error.name !== 'YError') throw error;
      if (error) message = error.message;
      throw new UsageError((message ?? 'bad arguments').replace(/\s*\n\s*/g, ' '));
    });
  for (const command of commands) cli.command(command);
  try {
    await cli.parseAsync();
  } catch (error) {
    if (isKnownError(error)) fail(error.message);
    else {
      const detail = process.env.EXCHANGE_PORTS_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
      process.stderr.write(`exchange-ports: internal error: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
      process.exitCode = 3;
    }
  }
}
