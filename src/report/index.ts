import { json } from './json.js';
import { junit } from './junit.js';
import { markdown } from './markdown.js';
import { nagios } from './nagios.js';
import { prometheus } from './prometheus.js';
import { table } from './table.js';
import type { Report } from './types.js';

export { exitCode, nagiosState, NAGIOS_STATES } from './exit.js';

export const FORMATS = ['table', 'json', 'junit', 'markdown', 'nagios', 'prometheus'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  /** ANSI colours (table only): the CLI sets it for a TTY without NO_COLOR or --no-color. */
  readonly color: boolean;
  /** Table and markdown show only the changes against the baseline (the `diff` command). */
  readonly changesOnly?: boolean;
  /**
   * Set when the output is a terminal (table only): the table fits its columns and lists the
   * problems, counting the rows that pass. Absent for a file or a pipe: every row, full width.
   */
  readonly terminal?: { readonly columns: number };
  /** Every row, also on a terminal (`--all`). */
  readonly all?: boolean;
  /** Nagios: the certificate thresholds in days (`--cert-warn-days`, `--cert-crit-days`). */
  readonly certDays?: { readonly warn: number; readonly crit: number };
}

/** A pure formatter: the result (with optional `baseline`/`merged`) in, text out. */
export type Formatter = (result: Report, options: ReportOptions) => string;

export const formatters: Readonly<Record<Format, Formatter>> = { table, json, junit, markdown, nagios, prometheus };

