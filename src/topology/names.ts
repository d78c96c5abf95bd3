import { isIP } from 'node:net';
import { quote } from './describe.js';

const LABEL = /^[a-z0-9-]+$/i;

const ATON_PART = /^(?:0x[0-9a-f]+|0[0-7]*|[1-9][0-9]*)$/i;

/**
 * The IPv4 address the system resolver reads `value` as, or undefined. getaddrinfo() first
 * tries inet_aton(), which takes one to four parts, each decimal, octal (leading 0) or hex
 * (0x), the last filling the bytes left: `127.1`, `0x7f.0.0.1`, `0177.0.0.1`, `2130706433`
 * are all 127.0.0.1 and would never be looked up as names.
 */
export function systemAddressOf(value: string): string | undefined {
  const parts = value.split('.');
  if (parts.length > 4 || !parts.every((part) => ATON_PART.test(part))) return undefined;
  const numbers = parts.map((part) => (/^0x/i.test(part) ? Number.parseInt(part.slice(2), 16) : part.length > 1 && part.startsWith('0') ? Number.parseInt(part, 8) : Number(part)));
  const last = numbers.pop() as number;
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined;
  const bytes = [...numbers];
  for (let i = 4 - numbers.length - 1; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes.join('.');
}

/** Why `value` is not an RFC 1123 host name, or undefined when it is one. */
export function hostNameProblem(value: string): string | undefined {
  const bad = (why: string) => `not a valid host name: ${quote(value)} (${why})`;
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0) return 'empty host name';
  const address = systemAddressOf(value);
  if (address !== undefined) return `${quote(value)} is not a host name: the system resolver reads it as the address ${address} (write it as ${address})`;
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
  if (systemAddressOf(value) !== undefined) return hostNameProblem(value);
  return meantAsAddress(value) ? addressProblem(value) : hostNameProblem(value);
}

/** A DNS domain (internet.mxDomain): a host name, never an address. */
export function domainProblem(value: string): string | undefined {
  if (isIP(value) !== 0 || meantAsAddress(value) || systemAddressOf(value) !== undefined) return `expected a domain name, got ${quote(value)}`;
  return hostNameProblem(value);
}
