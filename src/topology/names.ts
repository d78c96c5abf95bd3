import { isIP } from 'node:net';
import { quote } from './describe.js';

const LABEL = /^[a-z0-9-]+$/i;

/** Why `value` is not an RFC 1123 host name, or undefined when it is one. */
export function hostNameProblem(value: string): string | undefined {
  const bad = (why: string) => `not a valid host name: ${quote(value)} (${why})`;
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0) return 'empty host name';
  if (name.includes('://')) return bad('a host name, not a URL');
  if (name.length > 253) return bad('longer than 253 characters');
  for (const label of name.split('.')) {
    if (label.length === 0) return bad('empty label');
    if (label.length > 63) return bad(`label longer than 63 characters`);
    if (!LABEL.test(label)) {
      const char = [...label].find((c) => !/[a-z0-9-]/i.test(c)) as string;
      return bad(`${quote(char)} is not allowed: letters, digits, hyphens and dots only`);
    }
    if (label.startsWith('-') || label.endsWith('-')) return bad(`label ${quote(label)} starts or ends with a hyphen`);
  }
  return undefined;
}

export function addressProblem(value: string): string | undefined {
  return isIP(value) === 0 ? `not an IP address: ${quote(value)}` : undefined;
}

const WITH_PORT = /^[^:/]+:\d+$/;

/** Digits and dots only, or a colon that is not a URL's or a port's, was meant as an IP address. */
function meantAsAddress(value: string): boolean {
  return /^[0-9.]+$/.test(value) || (value.includes(':') && !value.includes('/') && !WITH_PORT.test(value));
}

/** A host is named by an RFC 1123 host name or an IP address literal. */
export function hostProblem(value: string): string | undefined {
  if (isIP(value) !== 0) return undefined;
  if (WITH_PORT.test(value)) return `not a host name or an IP address: ${quote(value)} (ports go under ports)`;
  return meantAsAddress(value) ? addressProblem(value) : hostNameProblem(value);
}

/** A DNS domain (internet.mxDomain): a host name, never an address. */
export function domainProblem(value: string): string | undefined {
  if (isIP(value) !== 0 || meantAsAddress(value)) return `expected a domain name, got ${quote(value)}`;
  return hostNameProblem(value);
}
