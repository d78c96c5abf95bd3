import type { Argv } from 'yargs';
import type { Vantage } from '../plan/types.js';
import { assertSameVantages, diffResults, vantagesOf, type DiffOptions } from '../report/diff.js';
import { sourceLabel } from '../report/pairs.js';
import { sanitize } from '../report/sanitize.js';
import { exitCode, FORMATS, formatters, type Format } from '../report/index.js';
import type { Report } from '../report/types.js';
import { UsageError } from './errors.js';
import { checkOutputTarget, OutputError, THIS_PLATFORM, writeOutput, type Platform } from './output.js';
import { readResultFile } from './result-file.js';

export interface ReportArgs {
  /** Repeatable; the n-th --out goes with the n-th --format, formats left over print to stdout. */
  format?: Format[];
  out?: string[];
  /** False with --no-color. */
  color?: boolean;
  /** A saved JSON result to compare with. */
  baseline?: string;
  /** Compare with a baseline from another vantage anyway (merge: different topologies too). */
  force?: boolean;
  /** Every row of the table, also on a terminal. */
  all?: boolean;
}

/** The scan's certificate thresholds, when the command has them (Nagios perfdata). */
type CertificateArgs = Partial<Record<'cert-warn-days' | 'cert-crit-days', number>>;

const GROUP = 'Report:';

/** Adds --format, --out, --no-color and (unless turned off) --baseline to a command. */
export function reportOptions<T>(y: Argv<T>, options: { baseline?: boolean } = {}): Argv<T & ReportArgs> {
  let out = y
    .option('format', {
      type: 'string',
      array: true,
      choices: FORMATS,
      group: GROUP,
      describe: 'report format; repeat it to write several (default: table)',
    })
    .option('out', {
      type: 'string',
      array: true,
      group: GROUP,
      describe: 'write the matching --format (in order) to FILE, atomically; repeatable',
    })
    .option('color', {
      type: 'boolean',
      group: GROUP,
      describe: 'colour the table on a terminal (--no-color or NO_COLOR turn it off)',
    })
    .option('all', {
      type: 'boolean',
      group: GROUP,
      describe: 'list every row of the table on a terminal too (it lists the problems and counts the rest)',
    });
  if (options.baseline !== false) {
    out = out.option('baseline', {
      type: 'string',
      group: GROUP,
      describe: 'a saved JSON result to compare with: exit 1 only on a regression or new exposure',
    }).option('force', {
      type: 'boolean',
      group: GROUP,
      describe: 'compare with a --baseline taken from another vantage anyway',
    });
  }
  return out as unknown as Argv<T & ReportArgs>;
}

/** The result compared with an earlier one: `baseline` lists every change (other vantages refused unless forced). */
export function withBaseline(result: Report, before: Report, file: string, options: DiffOptions = {}): Report {
  return { ...result, baseline: diffResults(before, result, file, options) };
}

export interface EmitOptions {
  /** Table, markdown and JUnit show only the changes (the diff command). */
  readonly changesOnly?: boolean;
  readonly stdout?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'> & { readonly columns?: number };
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: Platform;
}

interface Job {
  readonly format: Format;
  readonly file?: string;
}

function jobs(args: ReportArgs): Job[] {
  const outs = args.out ?? [];
  const formats = args.format?.length || outs.length ? (args.format ?? []) : (['table'] as Format[]);
  if (outs.length > formats.length) {
    throw new UsageError(`--out ${outs[formats.length]} has no --format to go with (the n-th --out goes with the n-th --format)`);
  }
  const list = formats.map((format, i) => ({ format, ...(outs[i] !== undefined ? { file: outs[i] } : {}) }));
  const toStdout = list.filter((j) => j.file === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`only one format can go to standard output, not ${toStdout.map((j) => j.format).join(' and ')}: give each other --format its --out`);
  }
  const twice = outs.find((file, i) => outs.indexOf(file) !== i);
  if (twice !== undefined) throw new UsageError(`--out ${twice} is given twice: one file holds one format`);
  return list;
}

/** The format that goes to standard output, if any (throws UsageError for pairs that do not fit). */
export function screenFormat(args: ReportArgs): Format | undefined {
  return jobs(args).find((j) => j.file === undefined)?.format;
}

/** Some --out files could not be written; stdout and the other files were. */
export class OutputErrors extends UsageError {
  constructor(
    readonly errors: readonly OutputError[],
    /** A report went to standard output before this was thrown. */
    readonly afterReport: boolean,
  ) {
    super(errors.map((e) => e.message).join('\n'), 'EOUTPUT');
  }
}

/** The reports a command will emit, with every input they need read and checked. */
export interface PreparedReports {
  /**
   * Writes the result in every requested format (files, then stdout) and returns the exit
   * code: Nagios states when one of the formats is nagios, the default codes otherwise. A file
   * that cannot be written does not stop the others or stdout: OutputErrors comes after.
   */
  emit(result: Report, options?: EmitOptions): Promise<number>;
}

/**
 * Checks the --format/--out pairs and the --out targets, and reads and validates --baseline
 * (against the scan's vantage, when given): a scan calls this before its first packet, so a
 * mistake there does not throw a scan away.
 */
export async function prepareReports(
  args: ReportArgs,
  { platform = THIS_PLATFORM, vantage }: { readonly platform?: Platform; readonly vantage?: Vantage } = {},
): Promise<PreparedReports> {
  const list = jobs(args);
  for (const job of list) if (job.file !== undefined) await checkOutputTarget(job.file, platform);
  const baseline = args.baseline === undefined ? undefined : { file: args.baseline, before: await readResultFile(args.baseline) };
  // A baseline from another vantage is refused now, not after the scan it would throw away.
  if (baseline && vantage) assertSameVantages(vantagesOf(baseline.before), [sourceLabel(vantage)], baseline.file, { force: args.force ?? false, afterName: 'this scan' });
  return {
    async emit(result, options = {}) {
      const report = baseline ? withBaseline(result, baseline.before, baseline.file, { force: args.force ?? false, afterName: 'this result' }) : result;
      const stdout = options.stdout ?? process.stdout;
      const env = options.env ?? process.env;
      const color = Boolean(stdout.isTTY) && !env.NO_COLOR && args.color !== false;
      const changesOnly = options.changesOnly ?? false;
      const { 'cert-warn-days': warn, 'cert-crit-days': crit } = args as CertificateArgs;
      const common = { changesOnly, all: args.all ?? false, ...(warn !== undefined && crit !== undefined ? { certDays: { warn, crit } } : {}) };
      // A terminal gets the table fitted to its width; a file or pipe the full listing.
      const terminal = stdout.isTTY ? { terminal: { columns: stdout.columns || 80 } } : {};
      const failed: OutputError[] = [];
      for (const job of list) {
        if (job.file === undefined) continue;
        const text = formatters[job.format](report, { color: false, ...common });
        try {
          await writeOutput(job.file, text, { platform: options.platform ?? platform });
        } catch (error) {
          if (!(error instanceof OutputError)) throw error;
          failed.push(error);
        }
      }
      const onScreen = list.find((j) => j.file === undefined);
      if (onScreen) stdout.write(formatters[onScreen.format](report, { color, ...common, ...terminal }));
      if (failed.length > 0) throw new OutputErrors(failed, onScreen !== undefined);
      return exitCode(report, list.some((j) => j.format === 'nagios') ? 'nagios' : 'table');
    },
  };
}

/** prepareReports, then emit: for commands whose inputs are all read by the time they report. */
export async function emitReports(result: Report, args: ReportArgs, options: EmitOptions = {}): Promise<number> {
  return (await prepareReports(args, options.platform ? { platform: options.platform } : {})).emit(result, options);
}

/**
 * For main.ts: under `--format nagios` a usage or topology error is UNKNOWN (exit 3) with a
 * plugin status line on stdout, as monitoring-plugins expect; undefined for other formats.
 */
export function nagiosUsageError(argv: readonly string[], message: string): { code: 3; stdout: string } | undefined {
  const nagios = argv.some((a, i) => a === '--format=nagios' || (a === '--format' && argv[i + 1] === 'nagios'));
  // Whatever the message quotes (a file's bytes, an alias name) reaches the monitoring system inert and visible.
  const line = sanitize(message.replace(/\|/g, '/').replace(/\s*\n\s*/g, ' '), { escape: true });
  // `smtp` speaks as check_smtp does (`SMTP UNKNOWN - ...`), the rest as the scan's plugin output.
  const plugin = argv[0] === 'smtp' ? 'SMTP' : 'EXCHANGE-PORTS';
  return nagios ? { code: 3, stdout: `${plugin} UNKNOWN - ${line}\n` } : undefined;
}
