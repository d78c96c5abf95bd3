import type { Observation, Prober, ProbeTarget } from './types.js';
import { DnsQueryError, dnsQuery, type DnsRecordType } from './dns-query.js';
import { rcodeName } from './resolve.js';
import { errorCode, meaningOf } from './socket-errors.js';

/**
 * A real DNS query on 53/udp or 53/tcp: the MX of `queryDomain`, else the SOA of the root.
 * Any answer, whatever its rcode, proves the port open; rcode and answer count are facts.
 * An error this machine raised (no route, its own firewall) is `not probed`, never a state of the port.
 */
export function dnsProber(queryDomain?: string): Prober {
  const name = queryDomain ?? '';
  const type: DnsRecordType = queryDomain ? 'MX' : 'SOA';
  const question = `${queryDomain ?? '.'} ${type}`;
  return async (target: ProbeTarget, signal: AbortSignal): Promise<Observation> => {
    const { address, port, transport, timeoutMs } = target;
    const server = { address, port };
    try {
      const answer = await dnsQuery(server, name, type, transport, timeoutMs, signal);
      return {
        state: 'open',
        address,
        attempts: 1,
        rttMs: answer.rttMs,
        service: { kind: 'dns', transport, question, rcode: answer.rcode, rcodeName: rcodeName(answer.rcode), answers: answer.answers.length, truncated: answer.truncated },
      };
    } catch (error) {
      const code = error instanceof DnsQueryError ? error.code : errorCode(error);
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof DnsQueryError && error.reached) {
        return { state: 'open', address, attempts: 1, error: message, service: { kind: 'dns', transport, question, answered: false } };
      }
      if (error instanceof DnsQueryError && error.local) return { state: 'error', address, attempts: 1, error: `not probed: ${message}`, errorCode: error.code };
      if (code === 'ETIMEDOUT') return { state: transport === 'udp' ? 'open|filtered' : 'filtered', address, attempts: 1, error: message };
      if (code === 'ABORT_ERR') return { state: 'error', address, attempts: 1, error: message };
      const meaning = meaningOf(error, transport === 'udp' ? 'ICMP port unreachable' : 'connection refused');
      return { state: meaning.state, address, attempts: 1, error: meaning.error, ...(meaning.code ? { errorCode: meaning.code } : {}) };
    }
  };
}
