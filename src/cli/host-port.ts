import { isIP } from 'node:net';
import { hostNameProblem } from '../topology/names.js';
import { UsageError } from './errors.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

function port(text: string, spec: string): number {
  const value = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= 65535)) throw new UsageError(`${spec}: the port must be a number from 1 to 65535`);
  return value;
}

/** `host`, `host:port`, `198.18.0.1:25`, `[2001:db8::1]` or `[2001:db8::1]:25`. */
export function parseHostPort(spec: string, defaultPort: number): HostPort {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(spec);
  if (bracketed) {
    const host = bracketed[1] ?? '';
    if (isIP(host) !== 6) throw new UsageError(`${spec}: only an IPv6 address goes in brackets`);
    return { host, port: bracketed[2] === undefined ? defaultPort : port(bracketed[2], spec) };
  }
  const parts = spec.split(':');
  // `::1:25` is itself an IPv6 address: only brackets make the port unambiguous.
  if (parts.length > 2) throw new UsageError(`${spec}: write an IPv6 address in brackets, e.g. [::1]:25`);
  const [host = '', portText] = parts;
  // The same host names a topology accepts (RFC 1123).
  if (isIP(host) !== 4 && hostNameProblem(host) !== undefined) throw new UsageError(`${spec}: "${host}" is not a host name or IP address`);
  return { host: host.replace(/\.$/, ''), port: portText === undefined ? defaultPort : port(portText, spec) };
}
