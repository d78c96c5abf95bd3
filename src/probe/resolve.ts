import { promises as systemDns } from 'node:dns';
import { isIP } from 'node:net';
import type { Destination } from '../plan/types.js';
import { DnsQueryError, dnsQuery, type DnsAnswer, type DnsRecordType, type DnsServer } from './dns-query.js';

export type IpChoice = '4' | '6' | 'both';

export interface ResolveOptions {
  /** Servers to ask; [] = the system resolver. */
  readonly servers: readonly DnsServer[];
  readonly ip: IpChoice;
  /** Per query, per server. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** Every address a destination stands for, in order, or why there is none. */
export type Resolution =
  | {
      readonly addresses: readonly string[];
      /** For MX destinations: the mail host each address belongs to (SNI, EHLO and certificate name). */
      readonly names?: Readonly<Record<string, string>>;
    }
  | { readonly error: string };

const RCODE_NAMES: Readonly<Record<number, string>> = { 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };
export const rcodeName = (rcode: number): string => (rcode === 0 ? 'NOERROR' : (RCODE_NAMES[rcode] ?? `RCODE${rcode}`));

class NoAnswer extends Error {}

function familiesOf(ip: IpChoice): Array<'A' | 'AAAA'> {
  if (ip === '4') return ['A'];
  if (ip === '6') return ['AAAA'];
  return ['A', 'AAAA'];
}

/** Asks each server in turn: UDP first, TCP when the answer was truncated. Any rcode is an answer. */
async function ask(name: string, type: DnsRecordType, options: ResolveOptions): Promise<DnsAnswer> {
  const failures: string[] = [];
  for (const server of options.servers) {
    try {
      const answer = await dnsQuery(server, name, type, 'udp', options.timeoutMs, options.signal);
      return answer.truncated ? await dnsQuery(server, name, type, 'tcp', options.timeoutMs, options.signal) : answer;
    } catch (error) {
      if (error instanceof DnsQueryError && error.code === 'ABORT_ERR') throw error;
      failures.push(`${server.address}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new NoAnswer(`no DNS server answered (${failures.join('; ')})`);
}

function answerError(name: string, type: string, answer: DnsAnswer): string | undefined {
  return answer.rcode === 0 ? undefined : `${name} ${type}: ${rcodeName(answer.rcode)}`;
}

async function addressesViaServers(name: string, options: ResolveOptions): Promise<Resolution> {
  const answers = await Promise.all(familiesOf(options.ip).map(async (type) => ({ type, answer: await ask(name, type, options) })));
  const addresses = answers.flatMap(({ answer }) =>
    answer.answers.map((record) => record.address).filter((address): address is string => typeof address === 'string' && isIP(address) > 0),
  );
  if (addresses.length > 0) return { addresses: [...new Set(addresses)] };
  const errors = answers.map(({ type, answer }) => answerError(name, type, answer)).filter(Boolean);
  return { error: errors.length > 0 ? errors.join(', ') : `${name}: no ${familiesOf(options.ip).join('/')} record` };
}

async function addressesViaSystem(name: string, options: ResolveOptions): Promise<Resolution> {
  const family = options.ip === '4' ? 4 : options.ip === '6' ? 6 : 0;
  try {
    const found = await systemDns.lookup(name, { all: true, family, order: 'verbatim' });
    const addresses = [...new Set(found.map((entry) => entry.address))];
    return addresses.length > 0 ? { addresses } : { error: `${name}: no address` };
  } catch (error) {
    return { error: `${name}: ${(error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error))}` };
  }
}

async function exchangesOf(domain: string, options: ResolveOptions): Promise<{ exchanges: string[] } | { error: string }> {
  if (options.servers.length === 0) {
    try {
      const records = await systemDns.resolveMx(domain);
      return { exchanges: records.sort((a, b) => a.priority - b.priority).map((record) => record.exchange) };
    } catch (error) {
      return { error: `${domain} MX: ${(error as { code?: string }).code ?? String(error)}` };
    }
  }
  const answer = await ask(domain, 'MX', options);
  const failed = answerError(domain, 'MX', answer);
  if (failed) return { error: failed };
  const records = answer.answers.filter((record) => typeof record.exchange === 'string');
  return { exchanges: records.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0)).map((record) => record.exchange as string) };
}

function addressesOf(name: string, options: ResolveOptions): Promise<Resolution> {
  if (isIP(name)) return Promise.resolve({ addresses: [name] });
  return options.servers.length > 0 ? addressesViaServers(name, options) : addressesViaSystem(name, options);
}

async function resolveUnguarded(destination: Destination, options: ResolveOptions): Promise<Resolution> {
  const host = destination.host;
  if (destination.lookup === 'address' || isIP(host)) {
    return isIP(host) ? { addresses: [host] } : { error: `${host}: not an IP address` };
  }
  if (destination.lookup === 'name') return addressesOf(host, options);
  const mx = await exchangesOf(host, options);
  if ('error' in mx) return mx;
  if (mx.exchanges.length === 0) return { error: `${host}: no MX record` };
  const resolved = await Promise.all(mx.exchanges.map((exchange) => addressesOf(exchange, options)));
  const names: Record<string, string> = {};
  resolved.forEach((resolution, index) => {
    if (!('addresses' in resolution)) return;
    for (const address of resolution.addresses) names[address] ??= mx.exchanges[index] as string;
  });
  const addresses = Object.keys(names);
  if (addresses.length > 0) return { addresses, names };
  return { error: resolved.map((resolution) => ('error' in resolution ? resolution.error : '')).join(', ') };
}

/**
 * Turns a destination into every address it stands for (literal, A+AAAA, or MX hosts by
 * preference, then their A+AAAA), narrowed by `ip`. Rejects only when `signal` aborts.
 */
export async function resolveDestination(destination: Destination, options: ResolveOptions): Promise<Resolution> {
  if (options.signal.aborted) throw new DnsQueryError('cancelled', 'ABORT_ERR');
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new DnsQueryError('cancelled', 'ABORT_ERR'));
    options.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([
      resolveUnguarded(destination, options).catch((error: unknown) => {
        if (error instanceof NoAnswer) return { error: error.message };
        throw error;
      }),
      aborted,
    ]);
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
  }
}
