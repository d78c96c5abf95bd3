import { isIP } from 'node:net';
import { quote } from './describe.js';
import type { Field, Reader } from './reader.js';

/** One of the organization's own networks (`networks:`), as written and normalized. */
export interface Network {
  /** `198.18.3.0/24`, `2001:2:0:3::/64`: the prefix with its host bits clear. */
  readonly cidr: string;
  readonly address: string;
  readonly prefix: number;
  readonly family: 4 | 6;
}

/** The address as a number (IPv4 32 bits, IPv6 128 bits). */
export function addressBits(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  const [head = '', tail] = address.split('::');
  const groups = (text: string): string[] => {
    if (text === '') return [];
    const parts = text.split(':');
    const last = parts[parts.length - 1] ?? '';
    if (last.includes('.')) {
      const v4 = addressBits(last);
      parts.splice(parts.length - 1, 1, (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
    }
    return parts;
  };
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** The address text of a number: dotted quad, or RFC 5952 IPv6 (lower case, the longest zero run as `::`). */
export function bitsAddress(bits: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => Number((bits >> shift) & 0xffn)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => Number((bits >> shift) & 0xffffn));
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

export const familyBits = (family: 4 | 6): number => (family === 4 ? 32 : 128);

/** A network from `address/prefix`, or why the text is not one. */
export function parseNetwork(text: string): Network | string {
  const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
  const family = match ? isIP(match[1] as string) : 0;
  if (!match || (family !== 4 && family !== 6)) return `expected a network as address/prefix (198.18.3.0/24), got ${quote(text)}`;
  const prefix = Number(match[2]);
  const width = familyBits(family);
  if (prefix > width) return `prefix /${prefix} is longer than ${width} bits: ${quote(text)}`;
  const bits = addressBits(match[1] as string);
  const mask = ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - prefix)) - 1n);
  const address = bitsAddress(bits & mask, family);
  if ((bits & mask) !== bits) return `host bits set in ${quote(text)} (did you mean "${address}/${prefix}"?)`;
  return { cidr: `${address}/${prefix}`, address, prefix, family };
}

/** `networks:`: a list of CIDRs, each checked; none when the section is absent. */
export function readNetworks(reader: Reader, field: Field | undefined): Network[] {
  const items = field ? reader.list(field) : undefined;
  const networks: Network[] = [];
  const seen = new Set<string>();
  for (const item of items ?? []) {
    const text = reader.string(item);
    if (text === undefined) continue;
    const network = parseNetwork(text);
    if (typeof network === 'string') reader.report(item, network);
    else if (seen.has(network.cidr)) reader.report(item, `duplicate network ${quote(network.cidr)}`);
    else {
      seen.add(network.cidr);
      networks.push(network);
    }
  }
  return networks;
}
