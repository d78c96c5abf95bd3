import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { isKnownError, UsageError } from './errors.js';
import { diffCommand } from './commands/diff.js';
import { initCommand } from './commands/init.js';
import { labCommand } from './commands/lab.js';
import { mergeCommand } from './commands/merge.js';
import { planCommand } from './commands/plan.js';
import { portsCommand } from './commands/ports.js';
import { reportCommand } from './commands/report.js';
import { scanCommand } from './commands/scan.js';
import { smtpCommand } from './commands/smtp.js';
import { sanitize } from '../report/sanitize.js';
import { nagiosUsageError } from './report-options.js';
import { TOOL } from './version.js';

const commands: CommandModule<any, any>[] = [portsCommand, initCommand, planCommand, scanCommand, reportCommand, diffCommand, mergeCommand, smtpCommand, labCommand];

/** A TopologyError holds one problem a line: each gets the prefix, so each stands alone in a log. */
function fail(message: string, argv: readonly string[]): void {
  // A message may quote what a file or a server held: nothing in it may act on the terminal.
  process.stderr.write(message.split('\n').map((line) => `exchange-ports: ${sanitize(line)}\n`).join(''));
  // A monitoring system reads stdout and the exit code: a Nagios plugin that cannot run is UNKNOWN.
  const nagios = nagiosUsageError(argv, message);
  if (nagios) process.stdout.write(nagios.stdout);
  process.exitCode = nagios?.code ?? 2;
}

/** `exchange-ports scan ... | head`: a reader that went away is not an error worth a stack trace. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
}

export async function main(argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
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
    if (isKnownError(error)) fail(error.message, argv);
    else {
      const detail = process.env.EXCHANGE_PORTS_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
      process.stderr.write(`exchange-ports: internal error: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
      process.exitCode = 3;
    }
  }
}
