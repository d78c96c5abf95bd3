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
import { keepRawNumbers } from './numbers.js';
import { nagiosUsageError, OutputErrors } from './report-options.js';
import { releaseEarlyTrap } from './signals.js';
import { TOOL } from './version.js';

const commands: CommandModule<any, any>[] = [portsCommand, initCommand, planCommand, scanCommand, reportCommand, diffCommand, mergeCommand, smtpCommand, labCommand];

/** Commands that keep a signal for a partial result; the others get the default behaviour back. */
const GRACEFUL = new Set(['scan', 'lab']);

/**
 * A TopologyError holds one problem a line: each gets the prefix, so each stands alone in a log.
 * A message may quote what a file or a server held: nothing in it may act on the terminal.
 */
function printError(message: string): void {
  process.stderr.write(message.split('\n').map((line) => `exchange-ports: ${sanitize(line, { escape: true })}\n`).join(''));
}

function fail(error: Error, argv: readonly string[]): void {
  const { message } = error;
  printError(message);
  // A monitoring system reads stdout and the exit code: a Nagios plugin that cannot run is UNKNOWN.
  // When the report itself reached stdout, its status line stays the only one.
  const nagios = nagiosUsageError(argv, message);
  const reported = error instanceof OutputErrors && error.afterReport;
  if (nagios && !reported) process.stdout.write(nagios.stdout);
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
    .middleware((parsed) => {
      if (!GRACEFUL.has(String(parsed._[0]))) releaseEarlyTrap();
      keepRawNumbers(parsed, argv);
    })
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
    if (isKnownError(error)) fail(error, argv);
    else {
      const detail = process.env.EXCHANGE_PORTS_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
      printError(`internal error: ${error instanceof Error ? error.message : String(error)}${detail}`);
      process.exitCode = 3;
    }
  } finally {
    releaseEarlyTrap();
  }
}
