import type { Argv } from 'yargs';
import type { EngineOptions } from '../probe/engine.js';
import { parseExcludeRule } from '../probe/exclude.js';
import { UsageError } from './errors.js';
import { MAX_WAIT_MS, positive, whole } from './numbers.js';

/** The scan options that steer the probe engine, as yargs parses them. */
export interface EngineArgs {
  concurrency: number;
  'per-host': number;
  timeout: number;
  'min-timeout': number;
  'max-timeout': number;
  retries: number;
  'max-retries': number;
  deadline: number;
  rate?: number;
  ip: '4' | '6' | 'both';
  exclude: string[];
  quiet: boolean;
}

/** The options' defaults, as yargs hands them over: also what a scan that takes no flags (the lab) starts from. */
export const ENGINE_ARG_DEFAULTS: Readonly<EngineArgs> = {
  concurrency: 256,
  'per-host': 64,
  timeout: 500,
  'min-timeout': 100,
  'max-timeout': 10_000,
  retries: 1,
  'max-retries': 6,
  deadline: 600,
  ip: 'both',
  exclude: [],
  quiet: false,
};

const GROUP = 'Probing:';

export function engineOptions<T>(y: Argv<T>): Argv<T & EngineArgs> {
  return y
    .option('concurrency', { type: 'number', requiresArg: true, default: ENGINE_ARG_DEFAULTS.concurrency, group: GROUP, describe: 'probes in flight at once (capped by the open-file limit)' })
    .option('per-host', { type: 'number', requiresArg: true, default: ENGINE_ARG_DEFAULTS['per-host'], group: GROUP, describe: 'probes in flight per destination address' })
    .option('timeout', { type: 'number', requiresArg: true, default: ENGINE_ARG_DEFAULTS.timeout, group: GROUP, describe: "initial wait for an answer, ms: a host waits at least this long until it has answered itself (then adapts to its round trips); an unanswered try keeps listening while the next runs" })
    .option('min-timeout', { type: 'number', requiresArg: true, default: ENGINE_ARG_DEFAULTS['min-timeout'], group: GROUP, describe: 'lower bound of the adaptive wait, ms' })
    .option('max-timeout', { type: 'number', requiresArg: true, default: ENGINE_ARG_DEFAULTS['max-timeout'], group: GROUP, describe: 'upper bound of the adaptive wait, ms' })
    .option('retries', { type: 'number', requiresArg: true, default: ENGINE_ARG_DEFAULTS.retries, group: GROUP, describe: 'tries again after silence before calling a port filtered' })
    .option('max-retries', { type: 'number', requiresArg: true, default: ENGINE_ARG_DEFAULTS['max-retries'], group: GROUP, describe: 'the most retries a host that lost probes gets (an answer that needed k retries gives its silent ports k+1)' })
    .option('deadline', { type: 'number', requiresArg: true, default: ENGINE_ARG_DEFAULTS.deadline, group: GROUP, describe: 'seconds for the whole scan; what is unfinished then is reported as such' })
    .option('rate', { type: 'number', requiresArg: true, group: GROUP, describe: 'at most this many probes started per second' })
    .option('ip', { type: 'string', choices: ['4', '6', 'both'] as const, default: 'both' as const, group: GROUP, describe: 'address families to probe' })
    .option('exclude', { type: 'string', array: true, default: [] as string[], group: GROUP, describe: 'address or CIDR never to probe (repeatable)' })
    .option('quiet', { type: 'boolean', default: false, group: GROUP, describe: 'no progress line' })
    .coerce('ip', (value: unknown) => String(value)) as unknown as Argv<T & EngineArgs>;
}

const MAX_DEADLINE_S = 86_400;

/** Checks the parsed options and turns them into the engine's. Throws UsageError naming the option. */
export function toEngineOptions(args: EngineArgs, extra: Partial<Pick<EngineOptions, 'onProgress'>> = {}): EngineOptions {
  const minTimeoutMs = whole('min-timeout', args['min-timeout'], 1, MAX_WAIT_MS);
  const maxTimeoutMs = whole('max-timeout', args['max-timeout'], 1, MAX_WAIT_MS);
  if (minTimeoutMs > maxTimeoutMs) throw new UsageError(`--min-timeout ${minTimeoutMs} is above --max-timeout ${maxTimeoutMs}`);
  const timeoutMs = whole('timeout', args.timeout, 1, MAX_WAIT_MS);
  if (timeoutMs < minTimeoutMs || timeoutMs > maxTimeoutMs) {
    throw new UsageError(`--timeout ${timeoutMs} is outside --min-timeout ${minTimeoutMs} .. --max-timeout ${maxTimeoutMs}`);
  }
  const retries = whole('retries', args.retries, 0);
  const maxRetries = whole('max-retries', args['max-retries'] ?? ENGINE_ARG_DEFAULTS['max-retries'], 0);
  if (retries > maxRetries) throw new UsageError(`--retries ${retries} is above --max-retries ${maxRetries}`);
  const exclude = (args.exclude ?? []).flatMap((entry) => String(entry).split(',')).map((entry) => entry.trim()).filter(Boolean);
  const bad = exclude.find((entry) => !parseExcludeRule(entry));
  if (bad !== undefined) throw new UsageError(`--exclude: "${bad}" is not an IP address or CIDR block`);
  if (!['4', '6', 'both'].includes(args.ip)) throw new UsageError(`--ip: expected 4, 6 or both, got ${JSON.stringify(args.ip)}`);
  return {
    concurrency: whole('concurrency', args.concurrency, 1),
    perHost: whole('per-host', args['per-host'], 1),
    timeoutMs,
    minTimeoutMs,
    maxTimeoutMs,
    retries,
    maxRetries,
    deadlineMs: Math.round(positive('deadline', args.deadline, MAX_DEADLINE_S) * 1000),
    ...(args.rate !== undefined ? { rate: positive('rate', args.rate) } : {}),
    ip: args.ip,
    exclude,
    dnsServers: [],
    ...(extra.onProgress ? { onProgress: extra.onProgress } : {}),
  };
}
