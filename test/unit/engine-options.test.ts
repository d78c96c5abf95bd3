import yargs from 'yargs';
import { engineOptions, toEngineOptions, type EngineArgs } from '../../src/cli/engine-options.js';
import { parseExcludeRule, createExcluder } from '../../src/probe/exclude.js';
import { capConcurrency } from '../../src/probe/limits.js';

async function parse(argv: string[]): Promise<EngineArgs> {
  return (await engineOptions(yargs(argv).strict().exitProcess(false).fail((message) => {
    throw new Error(message);
  })).parseAsync()) as unknown as EngineArgs;
}

describe('engine options', () => {
  it('gives defaults and converts the deadline to ms', async () => {
    const options = toEngineOptions(await parse([]));
    expect(options).toMatchObject({ concurrency: 256, perHost: 64, timeoutMs: 500, minTimeoutMs: 100, maxTimeoutMs: 10000, retries: 1, maxRetries: 6, deadlineMs: 600000, ip: 'both', exclude: [], dnsServers: [] });
    expect(options.rate).toBeUndefined();
  });

  it('reads every option, repeatable --exclude included', async () => {
    const args = await parse(['--concurrency', '8', '--per-host', '2', '--timeout', '300', '--min-timeout', '50', '--max-timeout', '900', '--retries', '0', '--max-retries', '3', '--deadline', '2.5', '--rate', '100', '--ip', '6', '--exclude', '198.18.0.0/24', '--exclude', '::1', '--quiet']);
    // DNS servers and the DNS question come from the topology, in scanTopology (test/integration/run-scan.test.ts).
    expect(toEngineOptions(args)).toEqual({
      concurrency: 8, perHost: 2, timeoutMs: 300, minTimeoutMs: 50, maxTimeoutMs: 900, retries: 0, maxRetries: 3, deadlineMs: 2500, rate: 100, ip: '6',
      exclude: ['198.18.0.0/24', '::1'], dnsServers: [],
    });
    expect(args.quiet).toBe(true);
  });

  it.each([
    [['--concurrency', '0'], '--concurrency: expected a whole number of at least 1, got 0'],
    [['--retries', '-1'], '--retries: expected a whole number of at least 0, got -1'],
    [['--retries', '7'], '--retries 7 is above --max-retries 6'],
    [['--max-retries', '-2'], '--max-retries: expected a whole number of at least 0, got -2'],
    [['--min-timeout', '500', '--max-timeout', '400', '--timeout', '450'], '--min-timeout 500 is above --max-timeout 400'],
    [['--timeout', '20000'], '--timeout 20000 is outside --min-timeout 100 .. --max-timeout 10000'],
    [['--deadline', '0'], '--deadline: expected a number above 0 and at most 86400, got 0'],
    [['--max-timeout', '9999999'], '--max-timeout: expected a whole number from 1 to 600000, got 9999999'],
    [['--exclude', '198.18.0.0/33'], '--exclude: "198.18.0.0/33" is not an IP address or CIDR block'],
    [['--exclude', 'mail.example.test'], '--exclude: "mail.example.test" is not an IP address or CIDR block'],
  ])('rejects %j with a one-line usage error', async (argv, message) => {
    const args = await parse(argv);
    expect(() => toEngineOptions(args)).toThrow(expect.objectContaining({ name: 'UsageError', message }));
  });
});

describe('exclude rules', () => {
  it('matches addresses and CIDR blocks of both families', () => {
    expect(parseExcludeRule('198.18.1.0/24')?.text).toBe('198.18.1.0/24');
    expect(parseExcludeRule('2001:db8::/32')?.text).toBe('2001:db8::/32');
    expect(parseExcludeRule('198.18.1.0/24/1')).toBeUndefined();
    const excluded = createExcluder(['198.18.1.0/24', '198.18.9.9', '2001:db8::/32']);
    expect(excluded('198.18.1.77')).toBe('198.18.1.0/24');
    expect(excluded('198.18.9.9')).toBe('198.18.9.9');
    expect(excluded('198.18.9.10')).toBeUndefined();
    expect(excluded('2001:db8:1::5')).toBe('2001:db8::/32');
    expect(excluded('2001:db9::5')).toBeUndefined();
  });
});

describe('open-file limit', () => {
  it('keeps the concurrency under the descriptors left, never below 1', () => {
    expect(capConcurrency(256, { softLimit: 64, inUse: 20 })).toBe(32);
    expect(capConcurrency(16, { softLimit: 64, inUse: 20 })).toBe(16);
    expect(capConcurrency(256, { softLimit: 30, inUse: 29 })).toBe(1);
    expect(capConcurrency(256, {})).toBe(256);
  });
});
