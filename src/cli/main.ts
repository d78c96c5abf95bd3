import yargs from 'yargs';
import type { CommandModule } from 'yargs';
import { isKnownError, UsageError } from './errors.js';
import { sanitize } from '../report/sanitize.js';
import { keepRawNumbers } from './numbers.js';
import { releaseEarlyTrap } from './signals.js';
import { TOOL } from './version.js';

type Command = CommandModule<any, any>;

/**
 * Each command is loaded only when it runs (or when yargs must list them all): `--version`,
 * `plan` or `init` then start without evaluating the probe engine, the lab or every formatter.
 * The order is the order of `--help`.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  ports: async () => (await import('./commands/ports.js')).portsCommand,
  init: async () => (await import('./commands/init.js')).initCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  scan: async () => (await import('./commands/scan.js')).scanCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  diff: async () => (await import('./commands/diff.js')).diffCommand,
  merge: async () => (await import('./commands/merge.js')).mergeCommand,
  smtp: async () => (await import('./commands/smtp.js')).smtpCommand,
  lab: async () => (await import('./commands/lab.js')).labCommand,
  rules: async () => (await import('./commands/rules.js')).rulesCommand,
};

/**
 * The commands a run needs: the one its first word names, none for a bare `--version`, else all
 * (`--help`, a typo to suggest a command for, options before the command).
 */
export function commandsFor(argv: readonly string[]): string[] {
  const first = argv[0];
  if (argv.length === 1 && first === '--version') return [];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
}

/** Commands that keep a signal for a partial result; the others get the default behaviour back. */
const GRACEFUL = new Set(['scan', 'lab']);

/**
 * A TopologyError holds one problem a line: each gets the prefix, so each stands alone in a log.
 * A message may quote what a file or a server held: nothing in it may act on the terminal.
 */
function printError(message: string): void {
  process.stderr.write(message.split('\n').map((line) => `exchange-ports: ${sanitize(line, { escape: true })}\n`).join(''));
}

async function fail(error: Error, argv: readonly string[]): Promise<void> {
  const { message } = error;
  printError(message);
  // A monitoring system reads stdout and the exit code: a Nagios plugin that cannot run is UNKNOWN.
  // When the report itself reached stdout, its status line stays the only one.
  const { nagiosUsageError, OutputErrors } = await import('./report-options.js');
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
  for (const name of commandsFor(argv)) cli.command(await COMMANDS[name]!());
  try {
    await cli.parseAsync();
  } catch (error) {
    if (isKnownError(error)) await fail(error, argv);
    else {
      const detail = process.env.EXCHANGE_PORTS_DEBUG && error instanceof Error ? `\n${error.stack}` : '';
      printError(`internal error: ${error instanceof Error ? error.message : String(error)}${detail}`);
      process.exitCode = 3;
    }
  } finally {
    releaseEarlyTrap();
  }
}
