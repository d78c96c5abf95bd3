import Table from 'cli-table3';
import type { ScanResult } from '../verdict/types.js';
import { FAILING } from '../verdict/summary.js';
import { sanitize } from './sanitize.js';

export type Format = 'table' | 'json';
export const FORMATS: readonly Format[] = ['table', 'json'];

export interface ReportOptions {
  readonly color: boolean;
}

export type Formatter = (result: ScanResult, options: ReportOptions) => string;

function json(result: ScanResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

function table(result: ScanResult): string {
  const t = new Table({ head: ['verdict', 'flow', 'destination', 'port', 'expectation', 'observed', 'why'], style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (const c of result.checks) {
    const where = c.destination.address && c.destination.address !== c.destination.host ? `${c.destination.host} (${c.destination.address})` : c.destination.host;
    t.push([c.verdict, c.flow, sanitize(where), `${c.port}/${c.transport}`, c.expectation, c.observed.state, sanitize(c.why)]);
  }
  const s = result.summary;
  return `${t.toString()}\n${s.total} checks: ${s.pass} pass, ${s.fail} fail, ${s.down} down, ${s.exposed} exposed, ${s.warn} warn, ${s.inconclusive} inconclusive, ${s.skipped} skipped\n`;
}

export const formatters: Readonly<Record<Format, Formatter>> = { table, json };

/** 0 all good, 1 a fail/down/exposed verdict, 3 could not scan. */
export function exitCode(result: ScanResult): number {
  if (result.couldNotScan) return 3;
  return result.checks.some((c) => FAILING.has(c.verdict)) ? 1 : 0;
}
