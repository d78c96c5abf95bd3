import { setMaxListeners } from 'node:events';
import type { CommandModule } from 'yargs';
import { MODEL } from '../../model/index.js';
import { dnsServersFor } from '../../plan/dns-servers.js';
import { resolveVantage } from '../../plan/vantage.js';
import { parseDnsServer, type DnsServer } from '../../probe/dns-query.js';
import { createResolver } from '../../probe/resolve.js';
import { buildRules, namesToResolve } from '../../rules/build.js';
import { rulesFrom } from '../../rules/from.js';
import { formatRules, REQUEST_FORMATS, requestFormatters, RULE_FORMATS, type RequestFormat, type RuleFormat } from '../../rules/index.js';
import { failingRequest } from '../../rules/only-failing.js';
import { loadTopology } from '../../topology/load.js';
import type { Topology } from '../../topology/types.js';
import { UsageError } from '../errors.js';
import { localIdentity } from '../local-identity.js';
import { readResultFile } from '../result-file.js';

interface Args {
  topology?: string;
  format: RuleFormat;
  from?: string;
  'only-failing'?: string[];
  timeout: number;
}

/** How long each name may take to resolve through the topology's DNS servers. */
const RESOLVE_TIMEOUT_MS = 2000;

/**
 * Hosts given by name only: most firewalls want addresses, so each name is resolved through the
 * topology's DNS servers; any that does not resolve stops the command, named (never left out).
 */
async function resolveNames(topology: Topology, timeoutMs: number): Promise<Map<string, string[]>> {
  const names = namesToResolve(topology);
  const resolved = new Map<string, string[]>();
  if (names.length === 0) return resolved;
  const servers = dnsServersFor(topology, { role: 'mailbox' })
    .map(parseDnsServer)
    .filter((s): s is DnsServer => s !== undefined);
  if (servers.length === 0) {
    throw new UsageError(`${topology.file}: cannot put these hosts in a rule without their addresses: ${names.join(', ')} (no DNS server address under hosts.dns to resolve them with; give each an address:)`);
  }
  const signal = new AbortController().signal;
  // Every name's questions listen on the one signal at once.
  setMaxListeners(0, signal);
  const resolver = createResolver({ servers, ip: 'both', timeoutMs, retries: 1, signal });
  const unresolved: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const answer = await resolver.resolve({ role: 'mailbox', host: name, lookup: 'name' });
      if ('error' in answer || answer.addresses.length === 0) unresolved.push('error' in answer ? answer.error : `${name}: no address`);
      else resolved.set(name, [...answer.addresses]);
    }),
  );
  if (unresolved.length > 0) {
    throw new UsageError(`${topology.file}: cannot put these hosts in a rule: they do not resolve through the topology's DNS: ${unresolved.sort().join('; ')} (give each an address:)`);
  }
  return resolved;
}

async function onlyFailing(files: readonly string[], format: RuleFormat): Promise<string> {
  if (!(REQUEST_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--only-failing makes a change request: --format ${REQUEST_FORMATS.join(', ')} (not ${format})`);
  }
  const results = await Promise.all(files.map(async (file) => ({ file, result: await readResultFile(file) })));
  const request = failingRequest(results.map(({ file, result }) => ({ file, organization: result.topology.organization, checks: result.checks })));
  return requestFormatters[format as RequestFormat](request);
}

export const rulesCommand: CommandModule<object, Args> = {
  command: 'rules',
  describe: 'The firewall rules the port tables call for: a change request, nftables, iptables or Windows Firewall',
  builder: (y) =>
    y
      .option('topology', { alias: 't', type: 'string', requiresArg: true, describe: 'the topology file (YAML or JSON)' })
      .option('format', { choices: RULE_FORMATS, default: 'table' as const, describe: 'a change request (table, markdown, csv, json) or a firewall configuration' })
      .option('from', { type: 'string', requiresArg: true, describe: 'only the rules for traffic from this vantage: ROLE or ROLE:HOST' })
      .option('only-failing', { type: 'string', array: true, requiresArg: true, describe: 'RESULT.json...: only the change request that fixes these scan results' })
      .option('timeout', { type: 'number', default: RESOLVE_TIMEOUT_MS, describe: 'ms to wait for a DNS answer when a host is named without an address' })
      .check((args) => {
        if (!args['only-failing'] && !args.topology) throw new UsageError('rules: give the topology (-t FILE), or scan results with --only-failing');
        if (!(args.timeout > 0 && args.timeout <= 60_000)) throw new UsageError(`--timeout: expected milliseconds from 1 to 60000, got ${String(args.timeout)}`);
        if (args['only-failing'] && (args.topology || args.from)) throw new UsageError('rules: --only-failing reads the rules from the scan results: no -t or --from with it');
        return true;
      }) as never,
  handler: async (args) => {
    if (args['only-failing']) {
      process.stdout.write(await onlyFailing(args['only-failing'], args.format));
      return;
    }
    const topology = await loadTopology(args.topology as string);
    const vantage = args.from === undefined ? undefined : resolveVantage(args.from, topology, localIdentity());
    const set = buildRules(MODEL, topology, await resolveNames(topology, args.timeout));
    process.stdout.write(formatRules(vantage ? rulesFrom(set, vantage) : set, args.format));
  },
};
