import { promises as systemDns } from 'node:dns';
import { isIP } from 'node:net';
import type { Destination } from '../plan/types.js';
import { DnsQueryError, dnsQuery, type DnsAnswer, type DnsRecordType, type DnsServer } from './dns-query.js';
import { addRoundTrip, NO_ROUND_TRIPS, timeoutFor, type RoundTripState } from './timing.js';
import { pause } from './pause.js';

export type IpChoice = '4' | '6' | 'both';

export interface ResolveOptions {
  /** Servers to ask; [] = the system resolver. */
  readonly servers: readonly DnsServer[];
  readonly ip: IpChoice;
  /** The first wait for a server's answer (--timeout); once it has answered, its own round trips set the wait. */
  readonly timeoutMs: number;
  /** Bounds of the waits round trips give (--min-timeout, --max-timeout); default: timeoutMs both. */
  readonly minTimeoutMs?: number;
  readonly maxTimeoutMs?: number;
  /** --retries: each server is asked each question 1 + retries times, and never fewer than MIN_TRIES. */
  readonly retries?: number;
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

export interface Resolver {
  /** Rejects only when the signal aborts. */
  resolve(destination: Destination): Promise<Resolution>;
}

const RCODE_NAMES: Readonly<Record<number, string>> = { 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };
export const rcodeName = (rcode: number): string => (rcode === 0 ? 'NOERROR' : (RCODE_NAMES[rcode] ?? `RCODE${rcode}`));

/**
 * A name left unresolved hides every check of it, and a query is one datagram each way: at
 * 10% loss each way one query in five is lost, six in a row one in 21,000. The waits double
 * from the server's timeout up to four times it.
 */
const MIN_TRIES = 6;
const MAX_BACKOFF = 4;
/** NOERROR and NXDOMAIN are the zone's answer; any other rcode is this server failing, and the next is asked. */
const FINAL_RCODES: ReadonlySet<number> = new Set([0, 3]);

class NoAnswer extends Error {}

function familiesOf(ip: IpChoice): Array<'A' | 'AAAA'> {
  if (ip === '4') return ['A'];
  if (ip === '6') return ['AAAA'];
  return ['A', 'AAAA'];
}

const serverText = (server: DnsServer): string => (isIP(server.address) === 6 ? `[${server.address}]:${server.port}` : `${server.address}:${server.port}`);

/** What one server said to one query, as the query's schedule needs it. */
type Said = { readonly answer: DnsAnswer } | { readonly failed: string } | { readonly silent: string };

/**
 * Resolution against the topology's servers (or the system resolver without any), sharing one
 * round-trip estimate per server across every name asked.
 */
export function createResolver(options: ResolveOptions): Resolver {
  const bounds = { initialMs: options.timeoutMs, minMs: options.minTimeoutMs ?? options.timeoutMs, maxMs: options.maxTimeoutMs ?? options.timeoutMs };
  const tries = Math.max(MIN_TRIES, (options.retries ?? 0) + 1);
  const roundTrips = new Map<string, RoundTripState>();
  const waitFor = (server: DnsServer, sent: number): number => {
    const base = timeoutFor(roundTrips.get(serverText(server)) ?? NO_ROUND_TRIPS, bounds);
    return Math.min(bounds.maxMs, base * 2 ** Math.min(sent, Math.log2(MAX_BACKOFF)));
  };
  const learn = (server: DnsServer, rttMs: number): void => {
    const key = serverText(server);
    roundTrips.set(key, addRoundTrip(roundTrips.get(key) ?? NO_ROUND_TRIPS, rttMs));
  };

  /** One UDP query (TCP when truncated), its socket kept until the whole question ends so a late answer counts. */
  async function once(server: DnsServer, name: string, type: DnsRecordType, signal: AbortSignal): Promise<Said> {
    try {
      let answer = await dnsQuery(server, name, type, 'udp', bounds.maxMs * MAX_BACKOFF, signal);
      learn(server, answer.rttMs);
      if (answer.truncated) answer = await dnsQuery(server, name, type, 'tcp', bounds.maxMs, signal);
      return FINAL_RCODES.has(answer.rcode) ? { answer } : { failed: rcodeName(answer.rcode) };
    } catch (error) {
      if (!(error instanceof DnsQueryError)) throw error;
      // This machine cannot send to it, or nothing listens there: asking again changes nothing.
      if (error.local || error.code === 'ECONNREFUSED') return { failed: error.code === 'ECONNREFUSED' ? 'ICMP port unreachable' : error.message };
      return { silent: error.message };
    }
  }

  /**
   * Asks the servers in turn, each up to `tries` times, a new socket and ID each time; the
   * first answer from any of them wins. Throws NoAnswer naming every server and what it did.
   */
  async function ask(name: string, type: DnsRecordType): Promise<DnsAnswer> {
    const outer = options.signal;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
    const sent = new Map<DnsServer, number>();
    const failed = new Map<DnsServer, string>();
    const heard = new Map<DnsServer, string>();
    let answer: DnsAnswer | undefined;
    let current = 0;
    let wake = (): void => undefined;
    let turn = 0;
    const next = (): DnsServer | undefined => {
      for (let i = 0; i < options.servers.length; i += 1) {
        const server = options.servers[(turn + i) % options.servers.length] as DnsServer;
        if (failed.has(server) || (sent.get(server) ?? 0) >= tries) continue;
        turn = (turn + i + 1) % options.servers.length;
        return server;
      }
      return undefined;
    };
    try {
      for (let server = next(); server && !answer && !stop.signal.aborted; server = next()) {
        const count = sent.get(server) ?? 0;
        sent.set(server, count + 1);
        const attempt = (current += 1);
        const asked = server;
        const wait = pause(waitFor(server, count), stop.signal);
        wake = wait.wake;
        void once(asked, name, type, stop.signal)
          .catch((error: unknown): Said => ({ failed: error instanceof Error ? error.message : String(error) }))
          .then((said) => {
          if ('answer' in said) answer ??= said.answer;
          else if ('failed' in said) failed.set(asked, said.failed);
          else if (!stop.signal.aborted) heard.set(asked, said.silent);
          // Silence after a later query was sent must not cut that one's wait short.
          if ('answer' in said || attempt === current) wake();
        });
        await wait.done;
      }
      if (outer.aborted) throw new DnsQueryError('cancelled', 'ABORT_ERR');
      if (answer) return answer;
      const servers = options.servers.map((server) => {
        const reason = failed.get(server) ?? heard.get(server) ?? `no answer to ${sent.get(server) ?? 0} queries over udp`;
        return `${serverText(server)}: ${reason}`;
      });
      throw new NoAnswer(`${name || '.'} ${type}: no DNS server answered (${servers.join('; ')})`);
    } finally {
      outer.removeEventListener('abort', onAbort);
      stop.abort('answered');
    }
  }

  /** A and AAAA are asked apart: one family lost never takes the other's addresses with it. */
  async function addressesViaServers(name: string): Promise<Resolution> {
    const families = familiesOf(options.ip);
    const asked = await Promise.all(
      families.map((type) =>
        ask(name, type).then(
          (answer) => ({ type, answer }),
          (error: unknown) => {
            if (error instanceof NoAnswer) return { type, error: error.message };
            throw error;
          },
        ),
      ),
    );
    const addresses = asked.flatMap((result) =>
      'answer' in result ? result.answer.answers.map((record) => record.address).filter((address): address is string => typeof address === 'string' && isIP(address) > 0) : [],
    );
    if (addresses.length > 0) return { addresses: [...new Set(addresses)] };
    const errors = asked.map((result) => ('error' in result ? result.error : answerError(name, result.type, result.answer))).filter(Boolean);
    return { error: errors.length > 0 ? errors.join(', ') : `${name}: no ${families.join('/')} record` };
  }

  async function exchangesOf(domain: string): Promise<{ exchanges: string[] } | { error: string }> {
    if (options.servers.length === 0) {
      try {
        const records = await systemDns.resolveMx(domain);
        return { exchanges: records.sort((a, b) => a.priority - b.priority).map((record) => record.exchange) };
      } catch (error) {
        return { error: `${domain} MX: ${(error as { code?: string }).code ?? String(error)}` };
      }
    }
    const answer = await ask(domain, 'MX');
    const failed = answerError(domain, 'MX', answer);
    if (failed) return { error: failed };
    const records = answer.answers.filter((record) => typeof record.exchange === 'string');
    return { exchanges: records.sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0)).map((record) => record.exchange as string) };
  }

  function addressesOf(name: string): Promise<Resolution> {
    if (isIP(name)) return Promise.resolve({ addresses: [name] });
    return options.servers.length > 0 ? addressesViaServers(name) : addressesViaSystem(name, options.ip);
  }

  async function resolveUnguarded(destination: Destination): Promise<Resolution> {
    const host = destination.host;
    if (destination.lookup === 'address' || isIP(host)) {
      return isIP(host) ? { addresses: [host] } : { error: `${host}: not an IP address` };
    }
    if (destination.lookup === 'name') return addressesOf(host);
    const mx = await exchangesOf(host);
    if ('error' in mx) return mx;
    if (mx.exchanges.length === 0) return { error: `${host}: no MX record` };
    const resolved = await Promise.all(mx.exchanges.map((exchange) => addressesOf(exchange)));
    const names: Record<string, string> = {};
    resolved.forEach((resolution, index) => {
      if (!('addresses' in resolution)) return;
      for (const address of resolution.addresses) names[address] ??= mx.exchanges[index] as string;
    });
    const addresses = Object.keys(names);
    if (addresses.length > 0) return { addresses, names };
    return { error: resolved.map((resolution) => ('error' in resolution ? resolution.error : '')).join(', ') };
  }

  return {
    async resolve(destination) {
      const signal = options.signal;
      if (signal.aborted) throw new DnsQueryError('cancelled', 'ABORT_ERR');
      let onAbort = (): void => undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new DnsQueryError('cancelled', 'ABORT_ERR'));
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([
          resolveUnguarded(destination).catch((error: unknown) => {
            if (error instanceof NoAnswer) return { error: error.message };
            throw error;
          }),
          aborted,
        ]);
      } finally {
        signal.removeEventListener('abort', onAbort);
        aborted.catch(() => undefined);
      }
    },
  };
}

function answerError(name: string, type: string, answer: DnsAnswer): string | undefined {
  return answer.rcode === 0 ? undefined : `${name} ${type}: ${rcodeName(answer.rcode)}`;
}

async function addressesViaSystem(name: string, ip: IpChoice): Promise<Resolution> {
  const family = ip === '4' ? 4 : ip === '6' ? 6 : 0;
  try {
    const found = await systemDns.lookup(name, { all: true, family, order: 'verbatim' });
    const addresses = [...new Set(found.map((entry) => entry.address))];
    return addresses.length > 0 ? { addresses } : { error: `${name}: no address` };
  } catch (error) {
    return { error: `${name}: ${(error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error))}` };
  }
}

/**
 * Turns a destination into every address it stands for (literal, A+AAAA, or MX hosts by
 * preference, then their A+AAAA), narrowed by `ip`. Rejects only when `signal` aborts.
 */
export function resolveDestination(destination: Destination, options: ResolveOptions): Promise<Resolution> {
  return createResolver(options).resolve(destination);
}
